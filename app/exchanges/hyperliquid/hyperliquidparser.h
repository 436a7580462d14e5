#pragma once

#include "exchanges/marketdata.h"
#include "exchanges/parsed.h"

#include <QByteArray>
#include <QHash>
#include <QList>

// Hyperliquid POST /info responses (exchange-apis.md 2): plain JSON, no envelope, decimals as strings
// (numbers accepted too), leverage.value/maxLeverage/time as numbers (strings accepted too). HTTP errors (422
// text/plain, 500 null, 429) are the client's to check before parsing; a body of "null" is a parse error
// here.
namespace HyperliquidParser {

// [meta, assetCtxs], index-aligned; delisted assets stay in place (null midPx/premium/impactPxs allowed).
// last = midPx, or markPx when there is no book; priceDecimals = 6 - szDecimals.
Parsed<QList<Ticker>> metaAndAssetCtxs(const QByteArray &body);

struct UserState
{
    QList<Position> positions;
    AccountSummary account; // equity = marginSummary.accountValue, available = withdrawable
    qint64 timeMs = 0; // 0 when absent (older responses)
};
// Current and 2023 shapes; liquidationPx null (or "NaN") means none; side from the sign of szi.
Parsed<UserState> clearinghouseState(const QByteArray &body);

struct SpotBalance
{
    QString coin;
    int token = -1;
    Decimal total;
    Decimal hold;
};
Parsed<QList<SpotBalance>> spotClearinghouseState(const QByteArray &body);
// tokens[].index -> tokens[].name
Parsed<QHash<int, QString>> spotMeta(const QByteArray &body);
Parsed<QHash<QString, Decimal>> allMids(const QByteArray &body);

} // namespace HyperliquidParser
