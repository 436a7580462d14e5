#pragma once

#include "exchanges/exchangeclient.h"

#include "bitunixparser.h"

#include <QHash>

// Bitunix futures: tickers (one call for the whole watchlist) joined to the funding of every contract (one
// call, less often), and the signed pending positions and account. Bitunix publishes no open interest.
class BitunixClient : public ExchangeClient
{
    Q_OBJECT
public:
    static constexpr const char *defaultUrl = "https://fapi.bitunix.com";
    static constexpr int requestsPerSecondPerEndpoint = 10;

    explicit BitunixClient(HttpClient *http, QObject *parent = nullptr);

    // Never logged, never stored by this class beyond memory.
    void setCredentials(const QByteArray &apiKey, const QByteArray &secret);
    bool hasCredentials() const override { return !m_apiKey.isEmpty() && !m_secret.isEmpty(); }

    // How far Bitunix's clock is ahead of this computer's, read from the Date header of its answers: signed
    // calls carry a timestamp the server checks, so a skewed local clock would fail every one of them. 0
    // while the skew is within what Date's one-second resolution can tell.
    qint64 clockOffsetMs() const { return m_clockOffsetMs; }

    void fetch(DataKind kind) override;
    int weight(DataKind) const override { return 1; }
    QString budgetName(DataKind kind) const override { return nameOf(kind); } // 10 req/s per endpoint
    int budgetCapacity() const override { return requestsPerSecondPerEndpoint; }
    qint64 budgetWindowMs() const override { return 1000; }
    QString budgetUnit() const override { return QStringLiteral("calls/s"); }
    QString rateLimitText() const override;

private:
    void fetchTickers();
    void fetchPrivate(DataKind kind);
    void onTickers(const HttpResponse &response);
    void fetchFunding();
    void onFunding(const HttpResponse &response);
    void addFunding(Ticker &ticker) const;
    void onPositions(const HttpResponse &response);
    void onAccount(const HttpResponse &response);
    template<typename T>
    bool failed(DataKind kind, const Parsed<T> &parsed);
    void emitPositions();
    void readServerClock(const HttpResponse &response);

    QByteArray m_apiKey;
    QByteArray m_secret;
    QHash<QString, BitunixParser::Precision> m_precision;
    bool m_precisionRequested = false;
    QHash<QString, Decimal> m_marks; // symbol -> mark, from the last tickers
    QList<Ticker> m_tickers; // the last shown, to re-join with new funding
    QHash<QString, BitunixParser::FundingRate> m_funding; // symbol -> the last good funding
    QList<Position> m_positions; // last good, to re-join with new marks
    bool m_havePositions = false;
    qint64 m_clockOffsetMs = 0;
    quint64 m_account = 0; // bumped when the credentials change: answers for the old account are dropped
};
