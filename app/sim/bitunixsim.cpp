#include "bitunixsim.h"
#include "simmarket.h"

#include "exchanges/bitunix/bitunixsigner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <optional>

namespace {

SimResponse envelope(const QJsonValue &data)
{
    const QJsonObject body {{QStringLiteral("code"), 0},
                            {QStringLiteral("data"), data},
                            {QStringLiteral("msg"), QStringLiteral("Success")}};
    return SimResponse::json(QJsonDocument(body).toJson(QJsonDocument::Compact));
}

QString num(double value, int decimals)
{
    return decimalText(value, decimals, false);
}

QStringList requestedSymbols(const SimRequest &request, const char *key)
{
    const QString value =
        QUrlQuery(QString::fromUtf8(request.query())).queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    return value.isEmpty() ? QStringList() : value.split(QLatin1Char(','), Qt::SkipEmptyParts);
}

} // namespace

BitunixSim::BitunixSim(const SimMarket *market, const QByteArray &apiKey, const QByteArray &secret)
    : m_market(market)
    , m_apiKey(apiKey)
    , m_secret(secret)
{
    // Entries a little off the opening prices, so that the demo shows gains and losses on both sides.
    struct Seed
    {
        const char *symbol;
        bool isLong;
        double qty;
        double entryOffset;
        int leverage;
        bool isolated;
        int hoursOpen;
    };
    const Seed seeds[] = {
        {"BTCUSDT", true, 0.05, -0.012, 20, false, 30},
        {"ETHUSDT", false, 1.2, 0.015, 10, true, 6},
        {"SOLUSDT", true, 20, 0.004, 5, true, 52},
        {"DOGEUSDT", false, 5000, -0.02, 3, false, 3},
    };
    qint64 id = 19'283'746'501;
    for (const Seed &seed : seeds) {
        const SimInstrument *in = m_market->bySymbol(QString::fromLatin1(seed.symbol));
        if (!in)
            continue;
        Position p;
        p.positionId = QString::number(id++);
        p.symbol = in->bitunixSymbol;
        p.isLong = seed.isLong;
        p.qty = seed.qty;
        p.entry = std::round(in->bitunixMark() * (1 + seed.entryOffset) * std::pow(10, in->quotePrecision))
            / std::pow(10, in->quotePrecision);
        p.leverage = seed.leverage;
        p.isolated = seed.isolated;
        p.createdMs = -qint64(seed.hoursOpen) * 3600 * 1000; // relative; made absolute when served
        m_positions.append(p);
    }
}

SimResponse BitunixSim::error(int code, const QString &message)
{
    const QJsonObject body {{QStringLiteral("code"), code},
                            {QStringLiteral("data"), QJsonValue::Null},
                            {QStringLiteral("msg"), message}};
    return SimResponse::json(QJsonDocument(body).toJson(QJsonDocument::Compact));
}

SimResponse BitunixSim::handle(const SimRequest &request, qint64 nowMs) const
{
    const QByteArray path = request.path();
    const bool isPublic = path == "/api/v1/futures/market/tickers"
        || path == "/api/v1/futures/market/trading_pairs"
        || path == "/api/v1/futures/market/funding_rate/batch"
        || path == "/api/v1/futures/market/funding_rate";
    const bool isPrivate =
        path == "/api/v1/futures/position/get_pending_positions" || path == "/api/v1/futures/account";
    if (!isPublic && !isPrivate)
        return SimResponse::json(R"({"code":404,"msg":"Not Found"})", 404);
    if (request.method != "GET")
        return SimResponse::json(R"({"code":405,"msg":"Method Not Allowed"})", 405);

    if (path == "/api/v1/futures/market/tickers")
        return tickers(request);
    if (path == "/api/v1/futures/market/trading_pairs")
        return tradingPairs(request);
    if (path == "/api/v1/futures/market/funding_rate/batch")
        return fundingRates({}, nowMs);
    if (path == "/api/v1/futures/market/funding_rate") {
        const QString symbol = QUrlQuery(QString::fromUtf8(request.query()))
                                   .queryItemValue(QStringLiteral("symbol"), QUrl::FullyDecoded);
        if (symbol.isEmpty())
            return error(10002, QStringLiteral("Parameter Error"));
        return fundingRates(symbol, nowMs);
    }
    if (const auto rejection = rejectUnsigned(request, nowMs))
        return *rejection;
    if (path == "/api/v1/futures/position/get_pending_positions")
        return pendingPositions(request, nowMs);
    return account(request);
}

std::optional<SimResponse> BitunixSim::rejectUnsigned(const SimRequest &request, qint64 nowMs) const
{
    const QByteArray key = request.header("api-key");
    const QByteArray nonce = request.header("nonce");
    const QByteArray timestamp = request.header("timestamp");
    const QByteArray sign = request.header("sign");
    if (key.isEmpty() || key != m_apiKey)
        return error(10003, QStringLiteral("api-key can't be empty"));
    bool numeric = false;
    const qint64 sentAt = timestamp.toLongLong(&numeric);
    if (nonce.isEmpty() || !numeric)
        return error(10002, QStringLiteral("Parameter Error"));
    if (std::abs(nowMs - sentAt) > maxClockSkewMs)
        return error(10002,
                     QStringLiteral("Parameter Error: timestamp is more than %1 s from the server time")
                         .arg(maxClockSkewMs / 1000));
    const QByteArray canonical = BitunixSigner::canonicalQuery(QUrlQuery(QString::fromUtf8(request.query())));
    if (sign != BitunixSigner::sign(nonce, timestamp, key, canonical, request.body, m_secret))
        return error(10007, QStringLiteral("Signature Error"));
    return std::nullopt;
}

SimResponse BitunixSim::tickers(const SimRequest &request) const
{
    const QStringList wanted = requestedSymbols(request, "symbols");
    QJsonArray data;
    for (const SimInstrument &in : m_market->instruments()) {
        if (in.bitunixSymbol.isEmpty() || (!wanted.isEmpty() && !wanted.contains(in.bitunixSymbol)))
            continue;
        const int p = in.quotePrecision;
        const double mark = in.bitunixMark();
        const double last = mark * (1 + 0.00005 * std::sin(mark)); // a trade is rarely exactly at the mark
        const double unit = in.contractUnit;
        const double baseVolume = in.baseVolume24h / unit;
        // Named as the ticker page words it: quoteVol "trading volume of the coin", baseVol the USDT turnover
        // (the recorded kline has them so; docs/exchange-apis.md#bitunix-tickers calls the naming
        // unverified).
        data.append(QJsonObject {
            {QStringLiteral("symbol"), in.bitunixSymbol},
            {QStringLiteral("markPrice"), num(mark, p)},
            {QStringLiteral("lastPrice"), num(last, p)},
            {QStringLiteral("open"), num(in.open24h * unit, p)},
            {QStringLiteral("last"), num(last, p)},
            {QStringLiteral("quoteVol"), num(baseVolume, in.basePrecision)},
            {QStringLiteral("baseVol"), num(baseVolume * mark, 4)},
            {QStringLiteral("high"), num(std::max(in.high24h * unit, last), p)},
            {QStringLiteral("low"), num(std::min(in.low24h * unit, last), p)},
        });
    }
    return envelope(data);
}

SimResponse BitunixSim::tradingPairs(const SimRequest &request) const
{
    const QStringList wanted = requestedSymbols(request, "symbols");
    QJsonArray data;
    for (const SimInstrument &in : m_market->instruments()) {
        if (in.bitunixSymbol.isEmpty() || (!wanted.isEmpty() && !wanted.contains(in.bitunixSymbol)))
            continue;
        const QString base = in.bitunixSymbol.chopped(4);
        data.append(QJsonObject {
            {QStringLiteral("symbol"), in.bitunixSymbol},
            {QStringLiteral("base"), base},
            {QStringLiteral("quote"), QStringLiteral("USDT")},
            {QStringLiteral("minTradeVolume"), num(std::pow(10, -in.basePrecision), in.basePrecision)},
            {QStringLiteral("minBuyPriceOffset"), QStringLiteral("-0.95")},
            {QStringLiteral("maxSellPriceOffset"), QStringLiteral("100")},
            {QStringLiteral("maxLimitOrderVolume"), QStringLiteral("100000")},
            {QStringLiteral("maxMarketOrderVolume"), QStringLiteral("50000")},
            {QStringLiteral("basePrecision"), in.basePrecision},
            {QStringLiteral("quotePrecision"), in.quotePrecision},
            {QStringLiteral("minLeverage"), 1},
            {QStringLiteral("maxLeverage"), in.bitunixMaxLeverage},
            {QStringLiteral("defaultLeverage"), 20},
            {QStringLiteral("defaultMarginMode"), 1},
            {QStringLiteral("priceProtectScope"), QStringLiteral("0.02")},
            {QStringLiteral("symbolStatus"), QStringLiteral("OPEN")},
        });
    }
    return envelope(data);
}

SimResponse BitunixSim::fundingRates(const QString &symbol, qint64 nowMs) const
{
    constexpr qint64 intervalMs = qint64(fundingIntervalHours) * 3600 * 1000;
    // Settlements at 00:00, 08:00 and 16:00 UTC: the next one strictly after now.
    const qint64 next = (nowMs / intervalMs + 1) * intervalMs;
    constexpr double maxRate = 0.3;
    QJsonArray data;
    for (const SimInstrument &in : m_market->instruments()) {
        if (in.bitunixSymbol.isEmpty() || (!symbol.isEmpty() && in.bitunixSymbol != symbol))
            continue;
        const int p = in.quotePrecision;
        const double mark = in.bitunixMark();
        const double last = mark * (1 + 0.00005 * std::sin(mark)); // as in tickers()
        // Hyperliquid's hourly rate over Bitunix's interval, moved by the premium Bitunix's mark has over
        // Hyperliquid's: close, as arbitrage keeps them, but not equal.
        const double rate =
            std::clamp(in.funding * fundingIntervalHours + 0.25 * (in.bitunixBasis - in.hyperliquidBasis),
                       -maxRate, maxRate);
        data.append(QJsonObject {
            {QStringLiteral("symbol"), in.bitunixSymbol},
            {QStringLiteral("markPrice"), num(mark, p)},
            {QStringLiteral("lastPrice"), num(last, p)},
            {QStringLiteral("indexPrice"), num(in.hyperliquidOracle(), p)}, // the walk, without a basis
            {QStringLiteral("fundingRate"), num(rate, 8)},
            {QStringLiteral("fundingInterval"), fundingIntervalHours},
            {QStringLiteral("nextFundingTime"), QString::number(next)},
            {QStringLiteral("maxFundingRate"), num(maxRate, 4)},
            {QStringLiteral("minFundingRate"), num(-maxRate, 4)},
        });
    }
    if (!symbol.isEmpty() && data.isEmpty())
        return error(20001, QStringLiteral("Market not exists"));
    return envelope(data);
}

double BitunixSim::markOf(const Position &p) const
{
    const SimInstrument *in = m_market->bySymbol(p.symbol);
    return in ? in->bitunixMark() : p.entry;
}

double BitunixSim::unrealizedPnl(const Position &p) const
{
    return (p.isLong ? 1 : -1) * (markOf(p) - p.entry) * p.qty;
}

double BitunixSim::available() const
{
    double locked = 0;
    for (const Position &p : m_positions)
        locked += positionMargin(p);
    return m_collateral - locked;
}

SimResponse BitunixSim::pendingPositions(const SimRequest &request, qint64 nowMs) const
{
    const QUrlQuery query(QString::fromUtf8(request.query()));
    const QString symbol = query.queryItemValue(QStringLiteral("symbol"));
    const QString positionId = query.queryItemValue(QStringLiteral("positionId"));
    double crossPnl = 0;
    for (const Position &p : m_positions) {
        if (!p.isolated)
            crossPnl += unrealizedPnl(p);
    }

    QJsonArray data;
    for (const Position &p : m_positions) {
        if ((!symbol.isEmpty() && p.symbol != symbol)
            || (!positionId.isEmpty() && p.positionId != positionId))
            continue;
        const SimInstrument *in = m_market->bySymbol(p.symbol);
        const int pricePrecision = in ? in->quotePrecision : 2;
        const double mark = markOf(p);
        const double pnl = unrealizedPnl(p);
        const double margin = positionMargin(p);
        const double mmr = maintenanceMarginRate;
        // Isolated: the position's own margin is at stake; cross: the account's free balance (and the other
        // cross positions' PnL) backs it too. Long: margin + qty (liq - entry) = mmr qty liq.
        const double backing = margin + (p.isolated ? 0 : available() + crossPnl - pnl);
        const double liq = p.isLong ? (p.qty * p.entry - backing) / (p.qty * (1 - mmr))
                                    : (p.qty * p.entry + backing) / (p.qty * (1 + mmr));
        const double entryValue = p.qty * p.entry;
        const double hours = double(-p.createdMs) / 3.6e6;
        data.append(QJsonObject {
            {QStringLiteral("positionId"), p.positionId},
            {QStringLiteral("symbol"), p.symbol},
            {QStringLiteral("qty"), num(p.qty, in ? in->basePrecision : 4)},
            {QStringLiteral("entryValue"), num(entryValue, 4)},
            {QStringLiteral("side"), p.isLong ? QStringLiteral("LONG") : QStringLiteral("SHORT")},
            {QStringLiteral("positionMode"), QStringLiteral("ONE_WAY")},
            {QStringLiteral("marginMode"),
             p.isolated ? QStringLiteral("ISOLATION") : QStringLiteral("CROSS")},
            {QStringLiteral("leverage"), p.leverage},
            {QStringLiteral("fee"), num(entryValue * 0.0006, 6)},
            {QStringLiteral("funding"), num(-entryValue * 0.0001 * hours / 8, 6)},
            {QStringLiteral("realizedPNL"), QStringLiteral("0")},
            {QStringLiteral("margin"), num(margin, 6)},
            {QStringLiteral("unrealizedPNL"), num(pnl, 6)},
            {QStringLiteral("liqPrice"), liq > 0 ? num(liq, pricePrecision) : QStringLiteral("0")},
            {QStringLiteral("marginRate"), num(mmr * p.qty * mark / std::max(1e-9, margin + pnl), 6)},
            {QStringLiteral("avgOpenPrice"), num(p.entry, pricePrecision)},
            {QStringLiteral("ctime"), nowMs + p.createdMs},
            {QStringLiteral("mtime"), nowMs + p.createdMs},
        });
    }
    return envelope(data);
}

SimResponse BitunixSim::account(const SimRequest &request) const
{
    const QString coin =
        QUrlQuery(QString::fromUtf8(request.query())).queryItemValue(QStringLiteral("marginCoin"));
    if (coin.isEmpty())
        return error(10002, QStringLiteral("Parameter Error"));
    if (coin != QLatin1String("USDT"))
        return envelope(QJsonArray());
    double locked = 0, crossPnl = 0, isolatedPnl = 0;
    for (const Position &p : m_positions) {
        locked += positionMargin(p);
        (p.isolated ? isolatedPnl : crossPnl) += unrealizedPnl(p);
    }
    const double free = m_collateral - locked;
    // The docs example has data as a one-element array; the Java demo reads an object. exsim follows the
    // docs.
    return envelope(QJsonArray {QJsonObject {
        {QStringLiteral("marginCoin"), QStringLiteral("USDT")},
        {QStringLiteral("available"), num(free, 6)},
        {QStringLiteral("frozen"), QStringLiteral("0")},
        {QStringLiteral("margin"), num(locked, 6)},
        {QStringLiteral("transfer"), num(std::max(0.0, free + std::min(0.0, crossPnl)), 6)},
        {QStringLiteral("positionMode"), QStringLiteral("ONE_WAY")},
        {QStringLiteral("crossUnrealizedPNL"), num(crossPnl, 6)},
        {QStringLiteral("isolationUnrealizedPNL"), num(isolatedPnl, 6)},
        {QStringLiteral("bonus"), QStringLiteral("0")},
    }});
}
