#pragma once

#include <QList>
#include <QString>

#include <random>

// One perpetual as both simulated exchanges list it. Prices follow one random walk; each exchange sees it
// with a small basis of its own.
struct SimInstrument
{
    QString base; // "BTC"
    QString bitunixSymbol; // "BTCUSDT"; empty: not listed on Bitunix
    QString hyperliquidName; // "BTC", "kPEPE"; empty: not listed on Hyperliquid
    double contractUnit = 1; // 1000PEPEUSDT and kPEPE trade 1000 PEPE
    int szDecimals = 2; // Hyperliquid size decimals
    int maxLeverage = 20; // Hyperliquid
    int marginTableId = 20;
    bool delisted = false; // Hyperliquid keeps delisted assets in the universe, with null context fields
    int quotePrecision = 2; // Bitunix price decimals
    int basePrecision = 2; // Bitunix quantity decimals
    int bitunixMaxLeverage = 75;

    double price = 0; // the walk, per base unit
    double open24h = 0; // Bitunix "open", Hyperliquid "prevDayPx" (per base unit)
    double high24h = 0;
    double low24h = 0;
    double baseVolume24h = 0;
    double openInterest = 0; // base units
    double funding = 0; // Hyperliquid, hourly
    double bitunixBasis = 0;
    double hyperliquidBasis = 0;
    double volatility = 0; // per sqrt(second)
    bool held = false; // the price stays where a test or a script put it (holdPrice) until released

    double bitunixMark() const { return price * contractUnit * (1 + bitunixBasis); }
    double hyperliquidMark() const { return price * contractUnit * (1 + hyperliquidBasis); }
    double hyperliquidOracle() const { return price * contractUnit; }
};

// A decimal as the exchanges write it: at most `decimals` places, trailing zeros dropped; Hyperliquid keeps
// one
// (".0"), Bitunix none.
QString decimalText(double value, int decimals, bool keepPointZero);
// Hyperliquid prices: five significant figures, at most 6 - szDecimals places.
QString hyperliquidPriceText(double price, int szDecimals);

class SimMarket
{
public:
    enum class Size {
        Demo, // two dozen assets
        Full, // the exchanges' real sizes, delisted too (docs/exchange-apis.md#hyperliquid-asset-contexts)
    };
    explicit SimMarket(quint32 seed = std::random_device {}(), Size size = Size::Demo);

    // Advances every price by a random walk over `seconds` of market time.
    void tick(double seconds);

    const QList<SimInstrument> &instruments() const { return m_instruments; }
    const SimInstrument *bySymbol(const QString &bitunixSymbol) const;
    const SimInstrument *byName(const QString &hyperliquidName) const;
    // Puts one asset ("BTC") at `price` per base unit and keeps it there, the rest of the market moving on;
    // false for an unknown asset or a price that is not positive.
    bool holdPrice(const QString &base, double price);
    bool releasePrice(const QString &base);
    double normal() { return m_normal(m_random); }

private:
    struct Shape; // what an instrument is, before the seed's draws
    static QList<Shape> fullUniverse(const QList<SimInstrument> &listed);
    void add(const Shape &shape);

    QList<SimInstrument> m_instruments;
    std::mt19937 m_random;
    std::normal_distribution<double> m_normal {0.0, 1.0};
};
