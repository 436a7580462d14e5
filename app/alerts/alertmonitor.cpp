#include "alertmonitor.h"

#include "alerts/alertrules.h"
#include "refresh/session.h"

#include <QDateTime>

AlertMonitor::AlertMonitor(Session *session, const LatencyLog *log, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_log(log)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setSettings(session->config().alerts);
    m_engine.setQuietMs(qint64(m_settings.quietS) * 1000);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { evaluate(m_clock()); });
    for (ExchangeClient *client : session->clients()) {
        connect(client, &ExchangeClient::positionsUpdated, this, &AlertMonitor::recordPositions);
        connect(client, &ExchangeClient::accountUpdated, this, &AlertMonitor::recordAccount);
    }
}

void AlertMonitor::setSettings(const AlertSettings &settings)
{
    if (!settings.isValid())
        return;
    m_settings = settings;
    m_engine.setQuietMs(qint64(settings.quietS) * 1000);
}

void AlertMonitor::start()
{
    m_startedAtMs = m_clock();
    m_timer.start();
}

void AlertMonitor::stop()
{
    m_timer.stop();
}

void AlertMonitor::recordPositions(Exchange exchange, const QList<Position> &positions)
{
    m_positions[int(exchange)] = positions;
}

void AlertMonitor::recordAccount(const AccountSummary &account)
{
    if (!account.equity.isValid())
        return;
    auto &history = m_equity[int(account.exchange)];
    const qint64 nowMs = m_clock();
    history.append({nowMs, account.equity.value});
    // Kept for the longest window the settings allow to change to without losing what was seen: the current
    // one.
    const qint64 keepFromMs = nowMs - qint64(m_settings.equityWindowMinutes) * 60'000;
    while (history.size() > 1 && history.first().first < keepFromMs)
        history.removeFirst();
}

void AlertMonitor::evaluate(qint64 nowMs)
{
    const auto isOpen = [this](AlertKind kind, const QString &subject) {
        return m_engine.isOpen(kind, subject);
    };
    QList<AlertCondition> holding;
    m_skipped.clear();
    for (Exchange exchange : allExchanges)
        holding += AlertRules::liquidation(m_positions[int(exchange)], m_settings, isOpen, &m_skipped);
    if (Refresher *refresher = m_session->refresher(); refresher && m_startedAtMs > 0) {
        int cadences[dataKindCount];
        for (DataKind kind : allDataKinds)
            cadences[int(kind)] = refresher->cadence(kind);
        for (Exchange exchange : allExchanges) {
            FeedStatus feeds[dataKindCount];
            for (DataKind kind : allDataKinds)
                feeds[int(kind)] = refresher->status(exchange, kind);
            if (auto c = AlertRules::exchange(exchange, feeds, cadences, nowMs, nowMs - m_startedAtMs,
                                              m_settings, isOpen))
                holding.append(*c);
        }
    }
    if (m_log) {
        holding += AlertRules::latency(*m_log, nowMs, m_settings, isOpen);
        holding += AlertRules::reuse(*m_log, nowMs, m_settings, isOpen);
    }
    for (Exchange exchange : allExchanges) {
        if (auto c = AlertRules::equity(exchange, m_equity[int(exchange)], nowMs, m_settings, isOpen))
            holding.append(*c);
    }
    m_engine.update(holding, nowMs);
}

QJsonObject toJson(const Alert &alert)
{
    return {
        {QStringLiteral("id"), qint64(alert.id)},
        {QStringLiteral("kind"), nameOf(alert.kind)},
        {QStringLiteral("subject"), alert.subject},
        {QStringLiteral("severity"), nameOf(alert.severity)},
        {QStringLiteral("summary"), alert.summary},
        {QStringLiteral("values"), alert.values},
        {QStringLiteral("lastValues"), alert.lastValues},
        {QStringLiteral("firedAt"),
         QDateTime::fromMSecsSinceEpoch(alert.firedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("resolvedAt"),
         alert.isOpen()
             ? QJsonValue(QJsonValue::Null)
             : QJsonValue(
                 QDateTime::fromMSecsSinceEpoch(alert.resolvedAtMs, Qt::UTC).toString(Qt::ISODateWithMs))},
    };
}
