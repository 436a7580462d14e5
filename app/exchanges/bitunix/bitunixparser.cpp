#include "bitunixparser.h"

#include "exchanges/jsonreader.h"

#include <cmath>

namespace BitunixParser {

namespace {

// The envelope's data when code is 0. A non-zero code fails the reader with the exchange's code and message.
JsonNode successData(JsonReader &reader)
{
    const JsonNode root = reader.root();
    if (!root.expect(QJsonValue::Object))
        return {};
    const int code = root.integer32("code");
    if (reader.failed())
        return {};
    if (code != 0) {
        const JsonNode msg = root.field("msg");
        QString text = msg.type() == QJsonValue::String ? msg.toText(JsonNode::Optional) : QString();
        if (text.isEmpty())
            text = QStringLiteral("(no message)");
        reader.failWithApiCode(code, QStringLiteral("bitunix %1: %2").arg(code).arg(text));
        return {};
    }
    return root.field("data");
}

// The position of the node's text among choices, ignoring case; -1 after failing.
int choiceOf(const JsonNode &node, const QStringList &choices)
{
    const QString text = node.toText();
    for (int i = 0; i < choices.size(); ++i) {
        if (text.compare(choices.at(i), Qt::CaseInsensitive) == 0)
            return i;
    }
    if (!text.isEmpty())
        node.failExpected(
            qPrintable(QLatin1Char('"') + choices.join(QStringLiteral("\" or \"")) + QLatin1Char('"')));
    return -1;
}

// +1 when quoteVol reads as coins (baseVol / quoteVol is about the price), -1 for the reverse, 0 when the
// numbers cannot tell: one is missing or zero, or the price is so close to 1 that both readings fit.
int volumeEvidence(const Decimal &quoteVol, const Decimal &baseVol, const Decimal &price)
{
    if (!quoteVol.isValid() || !baseVol.isValid() || !price.isValid() || quoteVol.value <= 0
        || baseVol.value <= 0 || price.value <= 0)
        return 0;
    const double quoteVolIsCoins = std::abs(std::log(baseVol.value / quoteVol.value / price.value));
    const double baseVolIsCoins = std::abs(std::log(quoteVol.value / baseVol.value / price.value));
    if (std::min(quoteVolIsCoins, baseVolIsCoins) > std::log(2.0)
        || std::abs(quoteVolIsCoins - baseVolIsCoins) < std::log(4.0))
        return 0;
    return quoteVolIsCoins < baseVolIsCoins ? 1 : -1;
}

// A count of decimal places for display. The model pads prices to it, so an absurd count from the wire would
// allocate without bound; no price needs more places than a double carries.
int decimalPlaces(const JsonNode &node)
{
    constexpr int maxPlaces = 18;
    const int places = node.toInt();
    if (places < 0 || places > maxPlaces)
        node.fail(QStringLiteral("expected 0 to %1 decimal places, got %2").arg(maxPlaces).arg(places));
    return places;
}

} // namespace

ErrorKind classify(int code)
{
    switch (code) {
    case 0:
        return ErrorKind::None;
    case 10003:
    case 10004:
    case 10007:
        return ErrorKind::Auth;
    case 10005:
    case 10006:
        return ErrorKind::RateLimit;
    case 20001:
        return ErrorKind::BadSymbol;
    case 10002:
    case 10008:
        return ErrorKind::BadRequest;
    default:
        return ErrorKind::Other;
    }
}

QString describe(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return {};
    case ErrorKind::Auth:
        return QStringLiteral("check API key/secret/IP whitelist");
    case ErrorKind::RateLimit:
        return QStringLiteral("rate limited: wait, then poll less often");
    case ErrorKind::BadSymbol:
        return QStringLiteral("unknown symbol: check the symbol name");
    case ErrorKind::BadRequest:
        return QStringLiteral("request rejected as malformed: please report this as a bug");
    case ErrorKind::Other:
        break;
    }
    return QStringLiteral("exchange error: see the message");
}

Parsed<QList<Ticker>> tickers(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode data = successData(reader);
    QList<Ticker> result;
    QList<std::pair<Decimal, Decimal>> volumes; // quoteVol, baseVol as sent
    int evidence = 0;
    for (const JsonNode &item : data.elements()) {
        if (!item.expect(QJsonValue::Object))
            break;
        Ticker ticker;
        ticker.exchange = Exchange::Bitunix;
        ticker.symbol = item.text("symbol");
        ticker.mark = item.decimal("markPrice");
        if (item.has("lastPrice"))
            ticker.last = item.decimal("lastPrice");
        else if (item.has("last"))
            ticker.last = item.decimal("last");
        else
            item.field("lastPrice").fail(QStringLiteral("missing (expected a decimal; no \"last\" either)"));
        ticker.open24h = item.decimal("open", JsonNode::Optional);
        ticker.high24h = item.decimal("high", JsonNode::Optional);
        ticker.low24h = item.decimal("low", JsonNode::Optional);
        const Decimal quoteVol = item.decimal("quoteVol", JsonNode::Optional);
        const Decimal baseVol = item.decimal("baseVol", JsonNode::Optional);
        evidence += volumeEvidence(quoteVol, baseVol, ticker.last);
        volumes.append({quoteVol, baseVol});
        result.append(ticker);
    }
    // The naming is the exchange's, not the symbol's: decide once, from the tickers whose numbers tell.
    // Without evidence, follow the ticker page's wording (quoteVol "of the coin"), which the kline recordings
    // and exsim share.
    const bool quoteVolIsCoins = evidence >= 0;
    for (qsizetype i = 0; i < result.size(); ++i) {
        result[i].volumeBase = quoteVolIsCoins ? volumes.at(i).first : volumes.at(i).second;
        result[i].volumeQuote = quoteVolIsCoins ? volumes.at(i).second : volumes.at(i).first;
    }
    return reader.result(result);
}

Parsed<QList<Position>> pendingPositions(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode data = successData(reader);
    QList<Position> result;
    if (data.isNull())
        return reader.result(result);
    for (const JsonNode &item : data.elements()) {
        if (!item.expect(QJsonValue::Object))
            break;
        Position position;
        position.exchange = Exchange::Bitunix;
        const JsonNode id = item.field("positionId");
        position.positionId = id.type() == QJsonValue::Double ? QString::number(id.toInteger()) : id.toText();
        position.symbol = item.text("symbol");
        position.side = choiceOf(item.field("side"), {QStringLiteral("LONG"), QStringLiteral("SHORT")}) == 1
            ? Position::Side::Short
            : Position::Side::Long;
        position.size = item.decimal("qty");
        if (position.size.value < 0)
            item.field("qty").fail(
                QStringLiteral("expected an unsigned size, got %1").arg(position.size.text));
        position.entryPrice = item.decimal("avgOpenPrice");
        position.unrealizedPnl = item.decimal("unrealizedPNL");
        position.margin = item.decimal("margin");
        position.leverage = item.integer32("leverage");
        position.isolated =
            choiceOf(item.field("marginMode"), {QStringLiteral("CROSS"), QStringLiteral("ISOLATION")}) == 1;
        const Decimal liquidation = item.decimal("liqPrice", JsonNode::Optional);
        if (liquidation.isValid() && liquidation.value > 0)
            position.liquidationPrice = liquidation;
        if (position.margin.isValid() && position.margin.value > 0 && position.unrealizedPnl.isValid())
            position.returnOnEquity =
                Decimal::fromValue(position.unrealizedPnl.value / position.margin.value);
        result.append(position);
    }
    return reader.result(result);
}

Parsed<AccountSummary> account(const QByteArray &body, const QString &marginCoin)
{
    JsonReader reader(body);
    const JsonNode data = successData(reader);
    JsonNode entry;
    if (data.type() == QJsonValue::Array) {
        bool found = false;
        for (const JsonNode &candidate : data.elements()) {
            if (!candidate.expect(QJsonValue::Object))
                break;
            if (candidate.text("marginCoin", JsonNode::Optional).compare(marginCoin, Qt::CaseInsensitive)
                == 0) {
                entry = candidate;
                found = true;
                break;
            }
        }
        if (!found)
            data.fail(QStringLiteral("no account with marginCoin %1").arg(marginCoin));
    } else if (data.type() == QJsonValue::Object) {
        entry = data;
        const QString coin = data.text("marginCoin", JsonNode::Optional);
        if (!coin.isEmpty() && coin.compare(marginCoin, Qt::CaseInsensitive) != 0)
            data.field("marginCoin").fail(QStringLiteral("expected %1, got %2").arg(marginCoin, coin));
    } else {
        data.failExpected("an object or an array");
    }

    AccountSummary summary;
    summary.exchange = Exchange::Bitunix;
    const Decimal available = entry.decimal("available");
    const Decimal frozen = entry.decimal("frozen");
    const Decimal margin = entry.decimal("margin");
    const Decimal crossPnl = entry.decimal("crossUnrealizedPNL");
    const Decimal isolatedPnl = entry.decimal("isolationUnrealizedPNL");
    summary.available = available;
    summary.marginUsed = margin;
    summary.unrealizedPnl = decimalSum({crossPnl, isolatedPnl});
    summary.equity = decimalSum({available, frozen, margin, crossPnl, isolatedPnl});
    return reader.result(summary);
}

Parsed<QHash<QString, Precision>> tradingPairs(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode data = successData(reader);
    QHash<QString, Precision> result;
    for (const JsonNode &item : data.elements()) {
        if (!item.expect(QJsonValue::Object))
            break;
        Precision precision;
        precision.priceDecimals = decimalPlaces(item.field("quotePrecision"));
        precision.sizeDecimals = decimalPlaces(item.field("basePrecision"));
        result.insert(item.text("symbol"), precision);
    }
    return reader.result(result);
}

Parsed<QList<FundingRate>> fundingRates(const QByteArray &body)
{
    JsonReader reader(body);
    const JsonNode data = successData(reader);
    QList<JsonNode> items;
    if (data.type() == QJsonValue::Array)
        items = data.elements();
    else if (data.type() == QJsonValue::Object)
        items = {data};
    else
        data.failExpected("an array or an object");

    // No interval is longer than a day on any exchange; a bigger count is a unit mix-up, not hours.
    constexpr qint64 maxIntervalHours = 24;
    QList<FundingRate> result;
    for (const JsonNode &item : items) {
        if (!item.expect(QJsonValue::Object))
            break;
        FundingRate funding;
        funding.symbol = item.text("symbol");
        funding.rate = item.decimal("fundingRate");
        const qint64 hours = item.wholeNumberOr("fundingInterval", 0);
        funding.intervalHours = hours > 0 && hours <= maxIntervalHours ? int(hours) : 0;
        funding.nextFundingMs = item.integer("nextFundingTime", JsonNode::Optional);
        if (funding.nextFundingMs < 0)
            item.field("nextFundingTime")
                .fail(QStringLiteral("expected ms since the epoch, got %1").arg(funding.nextFundingMs));
        funding.markPrice = item.decimal("markPrice", JsonNode::Optional);
        result.append(funding);
    }
    return reader.result(result);
}

} // namespace BitunixParser
