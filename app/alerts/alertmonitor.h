#pragma once

#include "alerts/alerts.h"
#include "exchanges/marketdata.h"

#include <QJsonObject>
#include <QTimer>

#include <array>
#include <functional>

class LatencyLog;
class Session;

// Evaluates the alert rules once a second from what a Session's clients, its Refresher and a LatencyLog hold,
// and keeps the alerts (AlertEngine). Lives in the core: the window, `--once` and the probe show its alerts.
class AlertMonitor : public QObject
{
    Q_OBJECT
public:
    static constexpr int intervalMs = 1000;

    AlertMonitor(Session *session, const LatencyLog *log, QObject *parent = nullptr);

    void setSettings(const AlertSettings &settings);
    const AlertSettings &settings() const { return m_settings; }
    AlertEngine *engine() { return &m_engine; }
    const AlertEngine *engine() const { return &m_engine; }
    // Positions the liquidation rule cannot judge, and why ("HL ETH long: cross margin, ...").
    const QStringList &skippedPositions() const { return m_skipped; }

    // Evaluates every second from now on; the feeds count as fetched from now (for "never refreshed").
    void start();
    void stop();
    // One evaluation at nowMs (ms since the epoch): what the timer calls.
    void evaluate(qint64 nowMs);
    // Default: QDateTime::currentMSecsSinceEpoch. Tests move time by hand.
    void setClock(std::function<qint64()> nowMs) { m_clock = std::move(nowMs); }

private:
    void recordPositions(Exchange exchange, const QList<Position> &positions);
    void recordAccount(const AccountSummary &account);

    Session *m_session;
    const LatencyLog *m_log;
    AlertEngine m_engine;
    AlertSettings m_settings;
    QTimer m_timer;
    std::function<qint64()> m_clock;
    qint64 m_startedAtMs = 0;
    std::array<QList<Position>, exchangeCount> m_positions;
    std::array<QList<std::pair<qint64, double>>, exchangeCount> m_equity; // (ms, equity), oldest first
    QStringList m_skipped;
};

// An alert as `--once --json`, the probe and the tests see it.
QJsonObject toJson(const Alert &alert);
