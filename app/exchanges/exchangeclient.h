#pragma once

#include "marketdata.h"

#include "net/httpclient.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

#include <iterator>

// Tickers: the prices that move (Bitunix tickers, Hyperliquid allMids), fetched often and cheaply.
// MarketStats: what changes slowly and costs more (Hyperliquid's marks, funding, open interest and 24 h
// volume; Bitunix's funding).
enum class DataKind { Tickers, MarketStats, Positions, Account };
QString nameOf(DataKind kind);
constexpr DataKind allDataKinds[] = {DataKind::Tickers, DataKind::MarketStats, DataKind::Positions,
                                     DataKind::Account};
constexpr int dataKindCount = int(std::size(allDataKinds));

enum class FetchErrorKind {
    None,
    NoCredentials, // nothing was sent
    Auth, // key, secret, signature or IP whitelist: retrying will not help
    RateLimit,
    Network, // refused, unreachable, reset, closed
    Tls, // the certificate is not trusted
    Timeout,
    Http, // an HTTP error status
    Parse, // the answer is not what the API documents
    Other,
};
QString nameOf(FetchErrorKind kind); // "no-credentials", "auth", "rate-limit", ...

struct FetchError
{
    FetchErrorKind kind = FetchErrorKind::None;
    QString message;
    qint64 retryAfterMs = -1; // what the server asked for, if it did

    bool ok() const { return kind == FetchErrorKind::None; }
    // Worth waiting longer before the next try (rate limits, server errors, network trouble), as opposed to
    // errors that keep the normal cadence (authentication, parse errors).
    bool backOff() const;
};

Q_DECLARE_METATYPE(FetchError)

// An HTTP-date (RFC 9110 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT"); invalid when it is not one.
QDateTime httpDate(const QByteArray &value);

// One exchange's data feed: builds requests, sends them through the shared HttpClient, parses the answers
// into value types and emits them. Keeps nothing but what it needs to join answers that come at different
// cadences (Bitunix tickers, funding and marks; Hyperliquid contexts, mids and spot balances); the models
// keep the last good data.
class ExchangeClient : public QObject
{
    Q_OBJECT
public:
    ExchangeClient(Exchange exchange, HttpClient *http, QObject *parent = nullptr);

    Exchange exchange() const { return m_exchange; }
    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    // Bases ("BTC", "PEPE") to show; empty: everything.
    void setWatchlist(const QStringList &bases);
    QStringList watchlist() const { return m_watchlist; }

    // Starts one fetch; fetched() follows exactly once, whatever happens.
    virtual void fetch(DataKind kind) = 0;
    // What one fetch of `kind` costs against the exchange's rate budget, and which budget it draws on.
    virtual int weight(DataKind kind) const = 0;
    virtual QString budgetName(DataKind kind) const = 0;
    virtual int budgetCapacity() const = 0; // per budget, per window
    virtual qint64 budgetWindowMs() const = 0;
    // The budget in a few words for the status bar ("weight/min"), and the whole limit in a sentence
    // ("1200 weight per minute per IP").
    virtual QString budgetUnit() const = 0;
    virtual QString rateLimitText() const = 0;
    virtual bool hasCredentials() const = 0;

    // The asset a symbol trades ("BTCUSDT" -> "BTC", "1000PEPEUSDT" and "kPEPE" -> "PEPE").
    static QString baseAsset(Exchange exchange, const QString &symbol);

signals:
    void tickersUpdated(Exchange exchange, const QList<Ticker> &tickers);
    void positionsUpdated(Exchange exchange, const QList<Position> &positions);
    void accountUpdated(const AccountSummary &account);
    void fetched(Exchange exchange, DataKind kind, const FetchError &error);

protected:
    // The transport and HTTP part of an answer: None when there is a 2xx body to parse.
    static FetchError transportError(const HttpResponse &response);
    bool watched(const QString &symbol) const;
    HttpRequest request(const QString &endpoint, const QString &pathAndQuery) const;
    void finish(DataKind kind, const FetchError &error);

    HttpClient *m_http;

private:
    Exchange m_exchange;
    QUrl m_baseUrl;
    QStringList m_watchlist;
};
