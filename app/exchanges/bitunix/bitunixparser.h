#pragma once

#include "exchanges/marketdata.h"
#include "exchanges/parsed.h"

#include <QByteArray>
#include <QHash>
#include <QList>

// Bitunix futures responses (docs/exchange-apis.md#bitunix-envelope): {"code", "data", "msg"} envelopes,
// decimals as strings (numbers accepted too), leverage/ctime as numbers (strings accepted too).
namespace BitunixParser {

enum class ErrorKind {
    None,
    Auth, // 10003, 10004, 10007: check API key, secret, IP whitelist; do not retry
    RateLimit, // 10005, 10006: back off
    BadSymbol, // 20001
    BadRequest, // 10002, 10008
    Other,
};
ErrorKind classify(int code);
QString describe(ErrorKind kind); // what a trader should do about it

struct Precision
{
    int priceDecimals = -1; // quotePrecision
    int sizeDecimals = -1; // basePrecision
};

// data: array of tickers. Volumes: whichever of quoteVol/baseVol is about last price times the other is the
// USDT turnover (the naming is unverified, docs/exchange-apis.md#bitunix-tickers).
Parsed<QList<Ticker>> tickers(const QByteArray &body);
// data: array (or null: no positions). markPrice and positionValue are left invalid: the client joins the
// ticker.
Parsed<QList<Position>> pendingPositions(const QByteArray &body);
// data: one object, or an array holding one per margin coin (sources disagree). equity = available + frozen +
// margin + crossUnrealizedPNL + isolationUnrealizedPNL (unverified formula,
// docs/exchange-apis.md#bitunix-account).
Parsed<AccountSummary> account(const QByteArray &body, const QString &marginCoin = QStringLiteral("USDT"));
Parsed<QHash<QString, Precision>> tradingPairs(const QByteArray &body);

// One contract's funding (docs/exchange-apis.md#bitunix-funding).
struct FundingRate
{
    QString symbol;
    Decimal rate; // per interval, as sent (per hour: rate / intervalHours)
    int intervalHours = 0; // 0: unknown (missing, zero or not a whole number of hours)
    qint64 nextFundingMs = 0; // ms since the epoch; 0: unknown
    Decimal markPrice; // invalid when absent
};
// data: an array (funding_rate/batch, and funding_rate?symbol= as documented), or one object
// (funding_rate?symbol= as a public client reports the live API). Required: symbol and fundingRate; the other
// fields are read when present, and a present nextFundingTime or markPrice must be well-formed.
Parsed<QList<FundingRate>> fundingRates(const QByteArray &body);

} // namespace BitunixParser
