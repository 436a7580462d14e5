#include "hyperliquidparser.h"

#include "exchanges/jsonreader.h"

#include <algorithm>
#include <cmath>

namespace HyperliquidParser {

namespace {

// Current responses have withdrawable at the top; the original 2023 shape has it inside marginSummary and
// crossMarginSummary. Absent everywhere: unknown, not an error.
Decimal withdrawable(const JsonNode &root)
{
    if (root.has("withdrawable"))
        return root.decimal("withdrawable");
    for (const char *summary : {"marginSummary", "crossMarginSummary"}) {
        const JsonNode node = root.field(summary);
        if (node.type() == QJsonValue::Object && node.has("withdrawable"))
            return node.decimal("withdrawable");
    }
    return {};
}

} // namespace

Parsed<QList<Ticker>> metaAndAssetCtxs(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode root = reader.root();
    const QList<JsonNode> parts = root.elements();
    if (!reader.failed() && parts.size() != 2)
        root.fail(
            QStringLiteral("expected [meta, assetCtxs], got an array of %1 elements").arg(parts.size()));
    if (reader.failed())
        return reader.result(QList<Ticker>());

    const QList<JsonNode> universe = parts.at(0).field("universe").elements();
    const QList<JsonNode> contexts = parts.at(1).elements();
    if (!reader.failed() && universe.size() != contexts.size())
        root.fail(
            QStringLiteral(
                "$[0].universe has %1 assets but $[1] has %2 asset contexts: they must be index-aligned")
                .arg(universe.size())
                .arg(contexts.size()));

    QList<Ticker> result;
    for (qsizetype i = 0; i < universe.size() && !reader.failed(); ++i) {
        const JsonNode &asset = universe.at(i);
        const JsonNode &context = contexts.at(i);
        if (!asset.expect(QJsonValue::Object) || !context.expect(QJsonValue::Object))
            break;
        Ticker ticker;
        ticker.exchange = Exchange::Hyperliquid;
        ticker.symbol = asset.text("name");
        ticker.sizeDecimals = asset.integer32("szDecimals");
        if (ticker.sizeDecimals < 0)
            asset.field("szDecimals")
                .fail(QStringLiteral("expected a count of decimal places, got %1").arg(ticker.sizeDecimals));
        else
            ticker.priceDecimals = std::max(0, 6 - ticker.sizeDecimals);
        ticker.delisted = asset.boolean("isDelisted", JsonNode::Optional);
        ticker.mark = context.decimal("markPx");
        const Decimal mid = context.decimal("midPx", JsonNode::Optional);
        ticker.last = mid.isValid() ? mid : ticker.mark;
        ticker.open24h = context.decimal("prevDayPx");
        ticker.volumeQuote = context.decimal("dayNtlVlm");
        ticker.volumeBase = context.decimal("dayBaseVlm", JsonNode::Optional);
        ticker.funding = context.decimal("funding");
        ticker.openInterest = context.decimal("openInterest");
        ticker.oracle = context.decimal("oraclePx");
        result.append(ticker);
    }
    return reader.result(result);
}

Parsed<UserState> clearinghouseState(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode root = reader.root();
    root.expect(QJsonValue::Object);
    UserState state;
    QList<Decimal> pnls;
    for (const JsonNode &entry : root.field("assetPositions").elements()) {
        const JsonNode item = entry.field("position");
        const Decimal signedSize = item.decimal("szi");
        if (reader.failed())
            break;
        if (signedSize.value == 0)
            continue; // a closed position the exchange still lists
        Position position;
        position.exchange = Exchange::Hyperliquid;
        position.symbol = item.text("coin");
        position.side = signedSize.value < 0 ? Position::Side::Short : Position::Side::Long;
        position.size.value = std::abs(signedSize.value);
        position.size.text = signedSize.text;
        if (position.size.text.startsWith(QLatin1Char('-'))
            || position.size.text.startsWith(QLatin1Char('+')))
            position.size.text.remove(0, 1);
        position.entryPrice = item.decimal("entryPx", JsonNode::Optional);
        position.positionValue = item.decimal("positionValue");
        position.unrealizedPnl = item.decimal("unrealizedPnl");
        position.returnOnEquity = item.decimal("returnOnEquity");
        position.liquidationPrice = item.decimalOrNone("liquidationPx");
        position.margin = item.decimal("marginUsed");
        const JsonNode leverage = item.field("leverage");
        position.leverage = leverage.integer32("value");
        const QString type = leverage.text("type");
        if (type.compare(QLatin1String("isolated"), Qt::CaseInsensitive) == 0)
            position.isolated = true;
        else if (type.compare(QLatin1String("cross"), Qt::CaseInsensitive) != 0)
            position.isolated = leverage.has("rawUsd"); // a mode of a later version: only isolated has rawUsd
        if (position.positionValue.isValid())
            position.markPrice = Decimal::fromValue(position.positionValue.value / position.size.value);
        pnls.append(position.unrealizedPnl);
        state.positions.append(position);
    }

    const JsonNode summary = root.field("marginSummary");
    state.account.exchange = Exchange::Hyperliquid;
    state.account.equity = summary.decimal("accountValue");
    state.account.marginUsed = summary.decimal("totalMarginUsed");
    state.account.available = withdrawable(root);
    state.account.unrealizedPnl = decimalSum(pnls);
    state.timeMs = root.integer("time", JsonNode::Optional);
    return reader.result(state);
}

Parsed<QList<SpotBalance>> spotClearinghouseState(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode root = reader.root();
    root.expect(QJsonValue::Object);
    QList<SpotBalance> result;
    for (const JsonNode &item : root.field("balances").elements()) {
        if (!item.expect(QJsonValue::Object))
            break;
        SpotBalance balance;
        balance.coin = item.text("coin");
        balance.token = item.integer32("token");
        balance.total = item.decimal("total");
        balance.hold = item.decimal("hold");
        result.append(balance);
    }
    return reader.result(result);
}

Parsed<QHash<QString, Decimal>> allMids(const QByteArray &body)
{
    JsonReader reader(body);
    QHash<QString, Decimal> result;
    for (const auto &[coin, mid] : reader.root().members()) {
        if (!mid.isNull())
            result.insert(coin, mid.toDecimal());
    }
    return reader.result(result);
}

} // namespace HyperliquidParser
