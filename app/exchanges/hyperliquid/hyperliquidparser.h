#pragma once

#include "exchanges/marketdata.h"
#include "exchanges/parsed.h"

#include <QByteArray>
#include <QHash>
#include <QList>

// Hyperliquid POST /info responses (docs/exchange-apis.md#hyperliquid-info): plain JSON, no envelope,
// decimals as strings (numbers accepted too), leverage.value/szDecimals/time as numbers (strings accepted
// too). HTTP errors (422 text/plain, 500 null, 429) are the client's to check before parsing; a body of
// "null" is a parse error here. Fields appear without notice: only what is shown, or needed to compute it, is
// required; unknown fields and enum values (marginMode, growthMode, ...) are ignored, and names keep their
// dex prefix ("xyz:TSLA").
namespace HyperliquidParser {

// [meta, assetCtxs], index-aligned; delisted assets stay in place (null midPx/premium/impactPxs allowed).
// last = midPx, or markPx when there is no book; priceDecimals = 6 - szDecimals.
Parsed<QList<Ticker>> metaAndAssetCtxs(const QByteArray &body);

struct UserState
{
    QList<Position> positions;
    // equity = marginSummary.accountValue; available = withdrawable, at the top or (2023) inside
    // marginSummary, else crossMarginSummary; invalid when none has it.
    AccountSummary account;
    qint64 timeMs = 0; // 0 when absent (older responses)
};
// Current and 2023 shapes; liquidationPx null (or "NaN") means none; side from the sign of szi. A
// leverage.type other than cross or isolated reads as isolated when the leverage has rawUsd (only isolated
// has it).
Parsed<UserState> clearinghouseState(const QByteArray &body);

struct SpotBalance
{
    QString coin;
    int token = -1;
    Decimal total;
    Decimal hold;
};
Parsed<QList<SpotBalance>> spotClearinghouseState(const QByteArray &body);
// coin -> mid. A coin whose mid is null (no book) is left out; any other non-decimal fails the answer.
Parsed<QHash<QString, Decimal>> allMids(const QByteArray &body);

} // namespace HyperliquidParser
