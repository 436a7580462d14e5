#include "simmarket.h"

#include <cmath>

namespace {

struct Listing
{
    const char *base;
    double price; // USD, late 2026-ish
    double dailyBaseVolume;
    int szDecimals;
    int maxLeverage;
    int quotePrecision;
    int basePrecision;
    bool onBitunix;
    bool onHyperliquid;
};

// Enough variety to exercise precision: five-figure prices, sub-cent prices, thousand-unit contracts, an
// asset only one exchange lists, and one Hyperliquid has delisted.
constexpr Listing listings[] = {
    {"BTC", 97010.0, 48000, 5, 40, 1, 4, true, true},
    {"ETH", 3620.0, 510000, 4, 25, 2, 3, true, true},
    {"SOL", 212.4, 4100000, 2, 20, 3, 2, true, true},
    {"XRP", 2.384, 260000000, 0, 20, 4, 0, true, true},
    {"DOGE", 0.3912, 1900000000, 0, 10, 5, 0, true, true},
    {"BNB", 702.3, 90000, 3, 10, 2, 2, true, true},
    {"ADA", 1.0315, 380000000, 0, 10, 4, 0, true, true},
    {"AVAX", 48.72, 6200000, 2, 10, 3, 1, true, true},
    {"LINK", 27.91, 9800000, 1, 10, 3, 1, true, true},
    {"DOT", 9.874, 21000000, 1, 10, 3, 1, true, true},
    {"LTC", 128.65, 1500000, 2, 10, 2, 2, true, true},
    {"BCH", 512.8, 210000, 3, 10, 2, 2, true, true},
    {"TRX", 0.2671, 900000000, 0, 10, 5, 0, true, true},
    {"SUI", 4.512, 74000000, 1, 10, 4, 1, true, true},
    {"APT", 12.87, 16000000, 2, 10, 3, 2, true, true},
    {"ARB", 1.0412, 210000000, 1, 10, 4, 1, true, true},
    {"OP", 2.694, 52000000, 1, 10, 4, 1, true, true},
    {"NEAR", 6.873, 44000000, 1, 10, 3, 1, true, true},
    {"ATOM", 9.385, 18000000, 2, 5, 3, 2, true, true},
    {"INJ", 31.42, 5100000, 1, 10, 3, 1, true, true},
    {"AAVE", 341.6, 420000, 2, 10, 2, 2, true, true},
    {"WIF", 3.113, 150000000, 0, 5, 4, 0, true, true},
    {"HYPE", 27.83, 9300000, 2, 10, 3, 2, false, true},
    {"PEPE", 0.00002311, 42000000000000.0, 0, 10, 8, 0, true, true},
    {"MATIC", 0.3754, 0, 1, 20, 4, 0, false, true},
};

} // namespace

QString decimalText(double value, int decimals, bool keepPointZero)
{
    if (!std::isfinite(value))
        value = 0;
    QString text = QString::number(value, 'f', std::max(0, decimals));
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    if (text == QLatin1String("-0"))
        text = QStringLiteral("0");
    if (keepPointZero && !text.contains(QLatin1Char('.')))
        text += QStringLiteral(".0");
    return text;
}

QString hyperliquidPriceText(double price, int szDecimals)
{
    if (price <= 0 || !std::isfinite(price))
        return QStringLiteral("0.0");
    const int integerDigits = int(std::floor(std::log10(price))) + 1; // 0 or less below 1
    const int decimals = std::clamp(5 - integerDigits, 0, std::max(0, 6 - szDecimals));
    return decimalText(price, decimals, true);
}

SimMarket::SimMarket(quint32 seed)
    : m_random(seed)
{
    for (const Listing &l : listings) {
        SimInstrument in;
        in.base = QString::fromLatin1(l.base);
        const bool pepe = in.base == QLatin1String("PEPE");
        if (l.onBitunix)
            in.bitunixSymbol = (pepe ? QStringLiteral("1000PEPE") : in.base) + QStringLiteral("USDT");
        if (l.onHyperliquid)
            in.hyperliquidName = pepe ? QStringLiteral("kPEPE") : in.base;
        in.contractUnit = pepe ? 1000 : 1;
        in.szDecimals = l.szDecimals;
        in.maxLeverage = l.maxLeverage;
        in.marginTableId = l.maxLeverage;
        in.delisted = in.base == QLatin1String("MATIC");
        in.quotePrecision = pepe ? 7 : l.quotePrecision;
        in.basePrecision = l.basePrecision;
        in.bitunixMaxLeverage = l.maxLeverage >= 25 ? 125 : 75;

        in.price = l.price;
        in.open24h = l.price * std::exp(0.03 * normal());
        in.high24h = std::max(in.price, in.open24h) * (1 + 0.01 * std::abs(normal()));
        in.low24h = std::min(in.price, in.open24h) * (1 - 0.01 * std::abs(normal()));
        in.baseVolume24h = l.dailyBaseVolume * (0.8 + 0.4 * std::abs(normal()) / 2);
        in.openInterest = in.delisted ? 0 : l.dailyBaseVolume * 0.4;
        in.funding = in.delisted ? 0 : 0.0000125 + 0.00002 * normal();
        in.bitunixBasis = 0.0002 * normal();
        in.hyperliquidBasis = 0.0002 * normal();
        // About 60 % a year, so that a demo visibly moves; delisted assets are frozen.
        in.volatility = in.delisted ? 0 : 0.6 / std::sqrt(365.0 * 24 * 3600) * (1 + 0.5 * std::abs(normal()));
        m_instruments.append(in);
    }
}

void SimMarket::tick(double seconds)
{
    if (seconds <= 0)
        return;
    for (SimInstrument &in : m_instruments) {
        if (in.delisted)
            continue;
        // Ten times the nominal volatility: a calm market is a dull demo.
        in.price *= std::exp(10 * in.volatility * std::sqrt(seconds) * normal());
        in.high24h = std::max(in.high24h, in.price);
        in.low24h = std::min(in.low24h, in.price);
        in.baseVolume24h *= 1 + 0.001 * normal() * std::sqrt(seconds);
        in.openInterest = std::max(0.0, in.openInterest * (1 + 0.0005 * normal() * std::sqrt(seconds)));
        in.funding = std::clamp(in.funding + 0.000001 * normal() * std::sqrt(seconds), -0.0005, 0.0005);
        in.bitunixBasis = std::clamp(in.bitunixBasis + 0.00002 * normal(), -0.001, 0.001);
        in.hyperliquidBasis = std::clamp(in.hyperliquidBasis + 0.00002 * normal(), -0.001, 0.001);
    }
}

const SimInstrument *SimMarket::bySymbol(const QString &bitunixSymbol) const
{
    for (const SimInstrument &in : m_instruments) {
        if (!in.bitunixSymbol.isEmpty() && in.bitunixSymbol == bitunixSymbol)
            return &in;
    }
    return nullptr;
}

const SimInstrument *SimMarket::byName(const QString &hyperliquidName) const
{
    for (const SimInstrument &in : m_instruments) {
        if (!in.hyperliquidName.isEmpty() && in.hyperliquidName == hyperliquidName)
            return &in;
    }
    return nullptr;
}
