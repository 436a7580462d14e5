#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <cmath>
#include <iterator>
#include <limits>

enum class Exchange { Bitunix, Hyperliquid };
// Every exchange, in the order they are shown: a new one is added here (and to the enum) once.
constexpr Exchange allExchanges[] = {Exchange::Bitunix, Exchange::Hyperliquid};
constexpr int exchangeCount = int(std::size(allExchanges));
QString nameOf(Exchange exchange); // "bitunix", "hyperliquid": in URLs, files, JSON
QString shortNameOf(Exchange exchange); // "BX", "HL": in tables and the status bar
QString displayNameOf(Exchange exchange); // "Bitunix", "Hyperliquid": in sentences

// A number as the exchange wrote it, and its value. The text is kept so that what is shown, exported or
// passed on is exactly what was received; the value is for arithmetic and sorting.
struct Decimal
{
    QString text; // empty: absent (missing, null, or "none" such as a liquidation price <= 0)
    double value = std::numeric_limits<double>::quiet_NaN();

    bool isValid() const { return !text.isEmpty() && std::isfinite(value); }
    // For derived numbers: the shortest text that reads back as `value`, without an exponent (as exchanges
    // write them: 0.0000625, not 6.25e-05).
    static Decimal fromValue(double value);
};

struct Ticker
{
    Exchange exchange = Exchange::Bitunix;
    QString symbol; // as the exchange names it: "BTCUSDT", "BTC", "kPEPE"
    Decimal last; // Bitunix lastPrice; Hyperliquid mid (or mark when there is no book)
    Decimal mark;
    Decimal open24h; // Bitunix open; Hyperliquid prevDayPx
    Decimal high24h; // Bitunix only
    Decimal low24h; // Bitunix only
    Decimal volumeBase; // 24 h, in coins
    Decimal volumeQuote; // 24 h, in USDT/USD
    Decimal funding; // per hour (Bitunix: its rate over its interval)
    int fundingIntervalHours = 0; // how often funding is paid (Hyperliquid: 1); 0: unknown
    qint64 nextFundingMs = 0; // ms since the epoch; 0: unknown
    Decimal openInterest; // in coins; Hyperliquid only
    Decimal oracle; // Hyperliquid only
    int priceDecimals = -1; // display precision when the exchange says it (-1: unknown)
    int sizeDecimals = -1;
    bool delisted = false;

    // 24 h change in percent, from open24h to last (mark when there is no last); NaN when unknown.
    double change24hPercent() const;
};

struct Position
{
    enum class Side { Long, Short };

    Exchange exchange = Exchange::Bitunix;
    QString symbol;
    QString positionId; // Bitunix only
    Side side = Side::Long;
    Decimal size; // unsigned, in coins (contracts for 1000PEPE-style symbols)
    Decimal entryPrice;
    Decimal markPrice; // Bitunix: from the ticker of the same symbol, joined by the client
    Decimal positionValue; // notional at mark
    Decimal unrealizedPnl;
    Decimal returnOnEquity; // a fraction; Bitunix: uPnL / margin
    Decimal liquidationPrice; // invalid: none
    Decimal margin;
    int leverage = 0;
    bool isolated = false;
};

struct AccountSummary
{
    Exchange exchange = Exchange::Bitunix;
    Decimal equity;
    Decimal available;
    Decimal unrealizedPnl;
    Decimal marginUsed;
};

Q_DECLARE_METATYPE(Ticker)
Q_DECLARE_METATYPE(Position)
Q_DECLARE_METATYPE(AccountSummary)
