#include "probe.h"

#include "refresh/session.h"

#include <QDateTime>

Probe::Probe(QObject *parent)
    : QObject(parent)
{ }

Probe::~Probe()
{
    // The server first: no scrape may read a session that is going away.
    m_server.reset();
    m_metrics.reset();
    m_session.reset();
}

bool Probe::start(std::unique_ptr<Session> session, const QHostAddress &address, quint16 port,
                  bool accountMetrics, QString *error, ProbeLimits limits)
{
    m_session = std::move(session);
    m_metrics = std::make_unique<ProbeMetrics>();
    m_metrics->watch(m_session.get(), accountMetrics);
    Refresher *refresher = m_session->refresher();
    m_server = std::make_unique<ProbeServer>(
        [this] { return m_metrics->text(QDateTime::currentMSecsSinceEpoch()); },
        [refresher] { return ProbeHealth::of(*refresher, QDateTime::currentMSecsSinceEpoch()); }, limits);
    if (!m_server->listen(address, port, error))
        return false;
    refresher->start();
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
