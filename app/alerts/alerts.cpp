#include "alerts.h"

QString nameOf(AlertKind kind)
{
    switch (kind) {
    case AlertKind::Liquidation:
        return QStringLiteral("liquidation");
    case AlertKind::Exchange:
        return QStringLiteral("exchange");
    case AlertKind::Latency:
        return QStringLiteral("latency");
    case AlertKind::Reuse:
        return QStringLiteral("reuse");
    case AlertKind::Equity:
        return QStringLiteral("equity");
    }
    return {};
}

QString displayNameOf(AlertKind kind)
{
    switch (kind) {
    case AlertKind::Liquidation:
        return QCoreApplication::translate("Alerts", "Liquidation");
    case AlertKind::Exchange:
        return QCoreApplication::translate("Alerts", "Exchange");
    case AlertKind::Latency:
        return QCoreApplication::translate("Alerts", "Latency");
    case AlertKind::Reuse:
        return QCoreApplication::translate("Alerts", "Connection reuse");
    case AlertKind::Equity:
        return QCoreApplication::translate("Alerts", "Equity");
    }
    return {};
}

QString nameOf(AlertSeverity severity)
{
    return severity == AlertSeverity::Critical ? QStringLiteral("critical") : QStringLiteral("warning");
}

bool AlertSettings::isValid(QString *problem) const
{
    const auto fail = [problem](const QString &why) {
        if (problem)
            *problem = why;
        return false;
    };
    if (!(liquidationDistancePct > 0 && liquidationDistancePct < 100))
        return fail(QStringLiteral("the liquidation distance must be above 0 and below 100 %"));
    if (failuresInARow < 1)
        return fail(QStringLiteral("failures in a row must be 1 or more"));
    if (!(slowP95Ms > 0))
        return fail(QStringLiteral("the p95 threshold must be above 0 ms"));
    if (latencyWindowS < 1)
        return fail(QStringLiteral("the latency window must be 1 s or more"));
    if (!(reuseCollapseShare > 0 && reuseCollapseShare < 1))
        return fail(QStringLiteral("the handshake share must be above 0 and below 100 %"));
    if (minCalls < 1)
        return fail(QStringLiteral("the calls a judgement needs must be 1 or more"));
    if (!(equityDropPct > 0 && equityDropPct < 100))
        return fail(QStringLiteral("the equity drop must be above 0 and below 100 %"));
    if (equityWindowMinutes < 1)
        return fail(QStringLiteral("the equity window must be 1 minute or more"));
    if (quietS < 0)
        return fail(QStringLiteral("the quiet period cannot be negative"));
    return true;
}

bool AlertSettings::operator==(const AlertSettings &o) const
{
    return liquidationDistancePct == o.liquidationDistancePct && failuresInARow == o.failuresInARow
        && slowP95Ms == o.slowP95Ms && latencyWindowS == o.latencyWindowS
        && reuseCollapseShare == o.reuseCollapseShare && minCalls == o.minCalls
        && equityEnabled == o.equityEnabled && equityDropPct == o.equityDropPct
        && equityWindowMinutes == o.equityWindowMinutes && quietS == o.quietS && silenced == o.silenced;
}

AlertEngine::AlertEngine(QObject *parent)
    : QObject(parent)
{ }

QString AlertEngine::keyOf(AlertKind kind, const QString &subject)
{
    return nameOf(kind) + QLatin1Char('\n') + subject;
}

Alert *AlertEngine::find(quint64 id)
{
    for (Alert &alert : m_history) {
        if (alert.id == id)
            return &alert;
    }
    return nullptr;
}

void AlertEngine::update(const QList<AlertCondition> &holding, qint64 nowMs)
{
    bool changedAny = false;
    QSet<QString> seen;
    for (const AlertCondition &condition : holding) {
        const QString key = keyOf(condition.kind, condition.subject);
        seen.insert(key);
        if (const auto open = m_open.constFind(key); open != m_open.cend()) {
            Alert *alert = find(*open);
            if (alert && (alert->lastValues != condition.values || condition.severity > alert->severity)) {
                alert->lastValues = condition.values;
                alert->severity = std::max(alert->severity, condition.severity);
                changedAny = true;
            }
            continue;
        }
        if (const auto resolved = m_resolvedAtMs.constFind(key);
            resolved != m_resolvedAtMs.cend() && nowMs - *resolved < m_quietMs)
            continue;
        Alert alert;
        alert.id = m_nextId++;
        alert.kind = condition.kind;
        alert.subject = condition.subject;
        alert.severity = condition.severity;
        alert.summary = condition.summary;
        alert.values = condition.values;
        alert.lastValues = condition.values;
        alert.firedAtMs = nowMs;
        m_history.append(alert);
        m_open.insert(key, alert.id);
        changedAny = true;
        emit fired(alert);
    }
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        Alert *alert = find(it.value());
        m_resolvedAtMs.insert(it.key(), nowMs);
        it = m_open.erase(it);
        if (!alert)
            continue;
        alert->resolvedAtMs = nowMs;
        changedAny = true;
        emit resolved(*alert);
    }
    // Resolved episodes beyond the limit go, oldest first; open ones stay.
    while (m_history.size() > historyLimit) {
        const auto oldestResolved =
            std::find_if(m_history.begin(), m_history.end(), [](const Alert &a) { return !a.isOpen(); });
        if (oldestResolved == m_history.end())
            break;
        m_history.erase(oldestResolved);
    }
    if (changedAny)
        emit changed();
}

bool AlertEngine::isOpen(AlertKind kind, const QString &subject) const
{
    return m_open.contains(keyOf(kind, subject));
}

QList<Alert> AlertEngine::openAlerts() const
{
    QList<Alert> open;
    for (const Alert &alert : m_history) {
        if (alert.isOpen())
            open.append(alert);
    }
    return open;
}

bool AlertEngine::worstOpen(AlertSeverity *severity) const
{
    bool any = false;
    for (const Alert &alert : m_history) {
        if (!alert.isOpen())
            continue;
        *severity = any ? std::max(*severity, alert.severity) : alert.severity;
        any = true;
    }
    return any;
}
