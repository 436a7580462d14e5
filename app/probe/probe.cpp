#include "probe.h"

#include "alerts/alertmonitor.h"
#include "models/latencylog.h"
#include "refresh/session.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <QDateTime>

Probe::Probe(QObject *parent)
    : QObject(parent)
{ }

Probe::~Probe()
{
    // The server first: no scrape may read a session that is going away.
    m_server.reset();
    m_metrics.reset();
    m_alerts.reset();
    m_session.reset();
    m_log.reset();
}

bool Probe::start(std::unique_ptr<Session> session, const QHostAddress &address, quint16 port,
                  bool accountMetrics, QString *error, ProbeLimits limits)
{
    m_session = std::move(session);
    m_log = std::make_unique<LatencyLog>();
    // Minutes of calls at the fastest cadences: what the rules' windows need, at a tenth of the window's
    // cost.
    m_log->setCapacity(logCapacity);
    connect(m_session->http(), &HttpClient::sampleReady, m_log.get(), &LatencyLog::append);
    m_alerts = std::make_unique<AlertMonitor>(m_session.get(), m_log.get());
    m_metrics = std::make_unique<ProbeMetrics>();
    m_metrics->watch(m_session.get(), accountMetrics);
    m_metrics->setAlerts(m_alerts->engine());
    Refresher *refresher = m_session->refresher();
    m_server = std::make_unique<ProbeServer>(
        [this] { return m_metrics->text(QDateTime::currentMSecsSinceEpoch()); },
        [refresher] { return ProbeHealth::of(*refresher, QDateTime::currentMSecsSinceEpoch()); }, limits,
        [this] {
            QJsonArray open;
            for (const Alert &alert : m_alerts->engine()->openAlerts())
                open.append(toJson(alert));
            return QJsonDocument(QJsonObject {{QStringLiteral("alerts"), open}})
                .toJson(QJsonDocument::Compact);
        });
    if (!m_server->listen(address, port, error))
        return false;
    refresher->start();
    m_alerts->start();
    return true;
}

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return false;
    QString host = text.left(colon);
    bool ok = false;
    const uint number = text.mid(colon + 1).toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(QLatin1Char(':')))
        return false; // an IPv6 address goes in brackets
    const QHostAddress parsed = host.isEmpty() || host == QLatin1String("localhost")
        ? QHostAddress(QHostAddress::LocalHost)
        : QHostAddress(host);
    if (parsed.isNull())
        return false;
    *address = parsed;
    *port = quint16(number);
    return true;
}
