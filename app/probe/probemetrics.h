#pragma once

#include "exchanges/exchangeclient.h"
#include "net/requestsample.h"
#include "probe/exposition.h"

#include <QObject>

#include <array>

class AlertEngine;
class Session;
class Refresher;

// What `exdash --probe` exposes to Prometheus: every finished request (durations, phases, connections,
// handshakes avoided, failures, resends), every fetch's outcome, and at scrape time the feeds' age and
// staleness, the rate budgets, the account (only when asked for) and the process. Label values come from
// small fixed sets (exchange, endpoint, host, arm, connection kind, error kind): no symbol, no URL query, no
// secret.
class ProbeMetrics : public QObject
{
    Q_OBJECT
public:
    // Request durations and phases, in seconds: 0.5 ms to 5 s in a 1-1.5-2-3-5-7.5 series (steps of at
    // most 1.67×).
    static const QList<double> &bucketBounds();

    explicit ProbeMetrics(QObject *parent = nullptr);

    // Records what the session's HttpClient and clients report from now on; the gauges read its Refresher
    // at each scrape. accountMetrics: equity, uPnL and positions too.
    void watch(Session *session, bool accountMetrics);
    // The open alerts, counted by kind and severity at each scrape.
    void setAlerts(const AlertEngine *alerts) { m_alerts = alerts; }

    void record(const RequestSample &sample);
    void recordFetch(Exchange exchange, DataKind kind, const FetchError &error);
    void recordPositions(Exchange exchange, const QList<Position> &positions);
    void recordAccount(const AccountSummary &account);

    // The whole exposition at wall-clock time nowMs.
    QByteArray text(qint64 nowMs) const;

private:
    void writeRequests(ExpositionWriter &out) const;
    void writeFeeds(ExpositionWriter &out, qint64 nowMs) const;
    void writeAccounts(ExpositionWriter &out) const;

    Session *m_session = nullptr;
    const AlertEngine *m_alerts = nullptr;
    bool m_accountMetrics = false;
    LabelledSeries<Histogram> m_durations; // exchange, endpoint, host, arm, connection
    LabelledSeries<Histogram> m_phases; // exchange, host, arm, phase
    LabelledSeries<double> m_requests; // exchange, endpoint, host, arm
    LabelledSeries<double> m_failures; // exchange, endpoint, host, arm, error
    LabelledSeries<double> m_connectionsOpened; // exchange, host, arm
    LabelledSeries<double> m_handshakesAvoided; // exchange, host
    LabelledSeries<double> m_resends; // exchange, host
    LabelledSeries<double> m_fetchErrors; // exchange, data, kind

    struct AccountFigures
    {
        bool hasAccount = false;
        double equity = 0;
        double unrealizedPnl = 0;
        bool hasPositions = false;
        int positions = 0;
        double nearestLiquidation = -1; // |mark − liq| / mark over positions with a liquidation price
    };
    std::array<AccountFigures, exchangeCount> m_accounts;
};

// `GET /healthz`: healthy while every exchange's data kinds (those it fetches) refreshed within three
// cadences; the text says which did not, and why.
struct ProbeHealth
{
    bool healthy = false;
    QString text; // one line per exchange

    static ProbeHealth of(const Refresher &refresher, qint64 nowMs);
};
