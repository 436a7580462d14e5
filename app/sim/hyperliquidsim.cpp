#include "hyperliquidsim.h"
#include "simmarket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace {

QString usd(double value)
{
    return decimalText(value, 6, true);
}

SimResponse json(const QJsonValue &value)
{
    if (value.isArray())
        return SimResponse::json(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return SimResponse::json(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

bool isAddress(const QString &text)
{
    static const QRegularExpression address(QStringLiteral("^0x[0-9a-fA-F]{40}$"));
    return address.match(text).hasMatch();
}

} // namespace

HyperliquidSim::HyperliquidSim(const SimMarket *market, const QString &demoAddress)
    : m_market(market)
    , m_address(demoAddress.toLower())
{
    struct Seed
    {
        const char *coin;
        double szi;
        double entryOffset;
        int leverage;
        bool isolated;
    };
    const Seed seeds[] = {
        {"ETH", -1.5, 0.02, 20, false},
        {"BTC", 0.02, -0.01, 10, false},
        {"HYPE", 40, -0.03, 5, true},
        {"SOL", -12, 0.006, 10, true},
    };
    for (const Seed &seed : seeds) {
        const SimInstrument *in = m_market->byName(QString::fromLatin1(seed.coin));
        if (!in)
            continue;
        Position p;
        p.coin = in->hyperliquidName;
        p.szi = seed.szi;
        p.entry =
            hyperliquidPriceText(in->hyperliquidMark() * (1 + seed.entryOffset), in->szDecimals).toDouble();
        p.leverage = seed.leverage;
        p.isolated = seed.isolated;
        p.isolatedMargin = seed.isolated ? std::abs(p.szi) * p.entry / p.leverage : 0;
        p.fundingSinceOpen = std::abs(p.szi) * p.entry * 0.00012;
        m_positions.append(p);
    }
}

double HyperliquidSim::liquidationPrice(double mark, double szi, double marginAvailable, int maxLeverage)
{
    const double side = szi > 0 ? 1 : -1;
    const double l = 1.0 / (2.0 * maxLeverage);
    return mark - side * marginAvailable / std::abs(szi) / (1 - l * side);
}

SimResponse HyperliquidSim::unprocessable()
{
    return SimResponse::text("Failed to deserialize the JSON body into the target type", 422);
}

SimResponse HyperliquidSim::handle(const SimRequest &request, qint64 nowMs) const
{
    if (request.path() != "/info")
        return SimResponse::text("Not Found", 404);
    if (request.method != "POST")
        return SimResponse::text("Method Not Allowed", 405);

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return unprocessable();
    const QJsonObject body = document.object();
    const QString type = body.value(QStringLiteral("type")).toString();
    const QJsonValue user = body.value(QStringLiteral("user"));

    if (type == QLatin1String("allMids"))
        return json(allMids());
    if (type == QLatin1String("meta"))
        return json(meta());
    if (type == QLatin1String("metaAndAssetCtxs"))
        return json(QJsonArray {meta(), assetContexts()});
    if (type == QLatin1String("spotMeta"))
        return json(spotMeta());
    if (type == QLatin1String("clearinghouseState") || type == QLatin1String("spotClearinghouseState")) {
        if (!user.isString() || !isAddress(user.toString()))
            return unprocessable();
        if (type == QLatin1String("clearinghouseState"))
            return json(clearinghouseState(user.toString().toLower(), nowMs));
        return json(spotClearinghouseState(user.toString().toLower()));
    }
    return unprocessable();
}

QJsonObject HyperliquidSim::meta() const
{
    QJsonArray universe;
    QList<int> tables;
    for (const SimInstrument &in : m_market->instruments()) {
        if (in.hyperliquidName.isEmpty())
            continue;
        QJsonObject asset {{QStringLiteral("szDecimals"), in.szDecimals},
                           {QStringLiteral("name"), in.hyperliquidName},
                           {QStringLiteral("maxLeverage"), in.maxLeverage},
                           {QStringLiteral("marginTableId"), in.marginTableId}};
        if (in.delisted)
            asset.insert(QStringLiteral("isDelisted"), true);
        universe.append(asset);
        if (!tables.contains(in.marginTableId))
            tables.append(in.marginTableId);
    }
    QJsonArray marginTables;
    for (int id : std::as_const(tables)) {
        const QJsonArray tiers {QJsonObject {{QStringLiteral("lowerBound"), QStringLiteral("0.0")},
                                             {QStringLiteral("maxLeverage"), id}}};
        marginTables.append(QJsonArray {id,
                                        QJsonObject {{QStringLiteral("description"), QString()},
                                                     {QStringLiteral("marginTiers"), tiers}}});
    }
    return QJsonObject {{QStringLiteral("universe"), universe},
                        {QStringLiteral("marginTables"), marginTables},
                        {QStringLiteral("collateralToken"), 0}};
}

QJsonArray HyperliquidSim::assetContexts() const
{
    QJsonArray contexts;
    for (const SimInstrument &in : m_market->instruments()) {
        if (in.hyperliquidName.isEmpty())
            continue;
        const int sz = in.szDecimals;
        const double mark = in.hyperliquidMark();
        const double oracle = in.hyperliquidOracle();
        const double baseVolume = in.baseVolume24h / in.contractUnit;
        QJsonObject ctx {
            {QStringLiteral("funding"), decimalText(in.funding, 10, true)},
            {QStringLiteral("openInterest"), decimalText(in.openInterest / in.contractUnit, sz, true)},
            {QStringLiteral("prevDayPx"), hyperliquidPriceText(in.open24h * in.contractUnit, sz)},
            {QStringLiteral("dayNtlVlm"), decimalText(baseVolume * mark, 6, true)},
            {QStringLiteral("oraclePx"), hyperliquidPriceText(oracle, sz)},
            {QStringLiteral("markPx"), hyperliquidPriceText(mark, sz)},
            {QStringLiteral("dayBaseVlm"), decimalText(baseVolume, sz, true)},
        };
        if (in.delisted) {
            // Delisted assets keep their index; their book is gone.
            ctx.insert(QStringLiteral("premium"), QJsonValue::Null);
            ctx.insert(QStringLiteral("midPx"), QJsonValue::Null);
            ctx.insert(QStringLiteral("impactPxs"), QJsonValue::Null);
        } else {
            const double tick = mark * 0.00005;
            ctx.insert(QStringLiteral("premium"), decimalText((mark - oracle) / oracle, 10, true));
            ctx.insert(QStringLiteral("midPx"), hyperliquidPriceText(mark + tick / 2, sz));
            ctx.insert(
                QStringLiteral("impactPxs"),
                QJsonArray {hyperliquidPriceText(mark - tick, sz), hyperliquidPriceText(mark + tick, sz)});
        }
        contexts.append(ctx);
    }
    return contexts;
}

QJsonObject HyperliquidSim::allMids() const
{
    QJsonObject mids;
    for (const SimInstrument &in : m_market->instruments()) {
        if (in.hyperliquidName.isEmpty() || in.delisted)
            continue;
        const double mark = in.hyperliquidMark();
        mids.insert(in.hyperliquidName, hyperliquidPriceText(mark * 1.000025, in.szDecimals));
        if (in.hyperliquidName == QLatin1String("HYPE"))
            mids.insert(QStringLiteral("@107"), hyperliquidPriceText(mark * 0.9999, in.szDecimals)); // spot
    }
    mids.insert(QStringLiteral("PURR/USDC"), QStringLiteral("0.18342"));
    return mids;
}

double HyperliquidSim::markOf(const Position &p) const
{
    const SimInstrument *in = m_market->byName(p.coin);
    return in ? in->hyperliquidMark() : p.entry;
}

int HyperliquidSim::maxLeverageOf(const Position &p) const
{
    const SimInstrument *in = m_market->byName(p.coin);
    return in ? in->maxLeverage : 10;
}

QJsonObject HyperliquidSim::clearinghouseState(const QString &user, qint64 nowMs) const
{
    const bool demo = user == m_address;
    const QList<Position> positions = demo ? m_positions : QList<Position>();

    // Cross side first: its account value backs every cross position's liquidation price.
    double crossPnl = 0, crossNtl = 0, crossSigned = 0, crossMargin = 0, crossMaintenance = 0;
    double isolatedValue = 0, isolatedNtl = 0, isolatedSigned = 0, isolatedMarginUsed = 0;
    for (const Position &p : positions) {
        const double mark = markOf(p);
        const double value = std::abs(p.szi) * mark;
        if (p.isolated) {
            const double marginUsed = p.isolatedMargin + p.szi * (mark - p.entry);
            isolatedValue += marginUsed;
            isolatedMarginUsed += marginUsed;
            isolatedNtl += value;
            isolatedSigned += p.szi * mark;
        } else {
            crossPnl += p.szi * (mark - p.entry);
            crossNtl += value;
            crossSigned += p.szi * mark;
            crossMargin += value / p.leverage;
            // Maintenance margin is half the initial margin at the asset's maximum leverage.
            crossMaintenance += value / (2.0 * maxLeverageOf(p));
        }
    }
    const double collateral = demo ? m_crossCollateral : 0;
    const double crossValue = collateral + crossPnl;

    QJsonArray assetPositions;
    for (const Position &p : positions) {
        const SimInstrument *in = m_market->byName(p.coin);
        const int sz = in ? in->szDecimals : 2;
        const double mark = markOf(p);
        const double value = std::abs(p.szi) * mark;
        const double pnl = p.szi * (mark - p.entry);
        const double marginUsed = p.isolated ? p.isolatedMargin + pnl : value / p.leverage;
        const double maintenance = value / (2.0 * maxLeverageOf(p));
        const double marginAvailable = p.isolated ? marginUsed - maintenance : crossValue - crossMaintenance;
        const double liq = liquidationPrice(mark, p.szi, marginAvailable, maxLeverageOf(p));
        QJsonObject leverage {
            {QStringLiteral("type"), p.isolated ? QStringLiteral("isolated") : QStringLiteral("cross")},
            {QStringLiteral("value"), p.leverage}};
        if (p.isolated)
            leverage.insert(QStringLiteral("rawUsd"), usd(p.isolatedMargin - p.szi * p.entry));
        const QJsonObject position {
            {QStringLiteral("coin"), p.coin},
            {QStringLiteral("szi"), decimalText(p.szi, sz, true)},
            {QStringLiteral("leverage"), leverage},
            {QStringLiteral("entryPx"), hyperliquidPriceText(p.entry, sz)},
            {QStringLiteral("positionValue"), usd(value)},
            {QStringLiteral("unrealizedPnl"), usd(pnl)},
            {QStringLiteral("returnOnEquity"),
             decimalText(pnl / (std::abs(p.szi) * p.entry / p.leverage), 10, true)},
            {QStringLiteral("liquidationPx"),
             liq > 0 ? QJsonValue(decimalText(liq, 10, true)) : QJsonValue::Null},
            {QStringLiteral("marginUsed"), usd(marginUsed)},
            {QStringLiteral("maxLeverage"), maxLeverageOf(p)},
            {QStringLiteral("cumFunding"),
             QJsonObject {{QStringLiteral("allTime"), usd(p.fundingSinceOpen * 3)},
                          {QStringLiteral("sinceOpen"), usd(p.fundingSinceOpen)},
                          {QStringLiteral("sinceChange"), usd(p.fundingSinceOpen)}}},
        };
        assetPositions.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("oneWay")},
                                           {QStringLiteral("position"), position}});
    }

    auto summary = [](double accountValue, double ntl, double signedNtl, double marginUsed) {
        return QJsonObject {{QStringLiteral("accountValue"), usd(accountValue)},
                            {QStringLiteral("totalNtlPos"), usd(ntl)},
                            {QStringLiteral("totalRawUsd"), usd(accountValue - signedNtl)},
                            {QStringLiteral("totalMarginUsed"), usd(marginUsed)}};
    };
    return QJsonObject {
        {QStringLiteral("marginSummary"),
         summary(crossValue + isolatedValue, crossNtl + isolatedNtl, crossSigned + isolatedSigned,
                 crossMargin + isolatedMarginUsed)},
        {QStringLiteral("crossMarginSummary"), summary(crossValue, crossNtl, crossSigned, crossMargin)},
        {QStringLiteral("crossMaintenanceMarginUsed"), usd(crossMaintenance)},
        {QStringLiteral("withdrawable"), usd(std::max(0.0, crossValue - crossMargin))},
        {QStringLiteral("assetPositions"), assetPositions},
        {QStringLiteral("time"), nowMs},
    };
}

QJsonObject HyperliquidSim::spotMeta() const
{
    auto token = [](const char *name, int index, int szDecimals, int weiDecimals, const char *tokenId) {
        return QJsonObject {{QStringLiteral("name"), QLatin1String(name)},
                            {QStringLiteral("szDecimals"), szDecimals},
                            {QStringLiteral("weiDecimals"), weiDecimals},
                            {QStringLiteral("index"), index},
                            {QStringLiteral("tokenId"), QLatin1String(tokenId)},
                            {QStringLiteral("isCanonical"), true},
                            {QStringLiteral("evmContract"), QJsonValue::Null},
                            {QStringLiteral("fullName"), QJsonValue::Null}};
    };
    auto pair = [](const char *name, int base, int index) {
        return QJsonObject {{QStringLiteral("name"), QLatin1String(name)},
                            {QStringLiteral("tokens"), QJsonArray {base, 0}},
                            {QStringLiteral("index"), index},
                            {QStringLiteral("isCanonical"), true}};
    };
    return QJsonObject {
        {QStringLiteral("tokens"),
         QJsonArray {token("USDC", 0, 8, 8, "0x6d1e7cde53ba9467b783cb7c530ce054"),
                     token("PURR", 1, 0, 5, "0xc1fb593aeffbeb02f85e0308e9956a90"),
                     token("HYPE", 150, 2, 8, "0x0d01dc56dcaaca66ad901c959b4011ec")}},
        {QStringLiteral("universe"), QJsonArray {pair("PURR/USDC", 1, 0), pair("@107", 150, 107)}},
    };
}

QJsonObject HyperliquidSim::spotClearinghouseState(const QString &user) const
{
    QJsonArray balances;
    if (user == m_address) {
        balances.append(QJsonObject {{QStringLiteral("coin"), QStringLiteral("USDC")},
                                     {QStringLiteral("token"), 0},
                                     {QStringLiteral("total"), QStringLiteral("1250.42")},
                                     {QStringLiteral("hold"), QStringLiteral("0.0")},
                                     {QStringLiteral("entryNtl"), QStringLiteral("0.0")}});
        balances.append(QJsonObject {{QStringLiteral("coin"), QStringLiteral("HYPE")},
                                     {QStringLiteral("token"), 150},
                                     {QStringLiteral("total"), QStringLiteral("12.5")},
                                     {QStringLiteral("hold"), QStringLiteral("0.0")},
                                     {QStringLiteral("entryNtl"), QStringLiteral("301.875")}});
    }
    return QJsonObject {{QStringLiteral("balances"), balances}};
}
