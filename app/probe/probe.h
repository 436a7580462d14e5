#pragma once

#include "probe/probemetrics.h"
#include "probe/probeserver.h"

#include <QHostAddress>

#include <memory>

class AlertMonitor;
class LatencyLog;
class Session;

// `exdash --probe`: a started Session, refreshing without a window, with its metrics and health served over
// HTTP for Prometheus.
class Probe : public QObject
{
    Q_OBJECT
public:
    static constexpr quint16 defaultPort = 9469;
    static constexpr int logCapacity = 10'000;

    explicit Probe(QObject *parent = nullptr);
    ~Probe() override;

    // Takes a started session, serves it on address:port (0: any free port) and starts its refresher.
    // accountMetrics: equity, uPnL and positions in the metrics too.
    bool start(std::unique_ptr<Session> session, const QHostAddress &address, quint16 port,
               bool accountMetrics, QString *error, ProbeLimits limits = {});

    Session *session() { return m_session.get(); }
    ProbeMetrics *metrics() { return m_metrics.get(); }
    ProbeServer *server() { return m_server.get(); }
    AlertMonitor *alerts() { return m_alerts.get(); }
    quint16 port() const { return m_server ? m_server->port() : 0; }

private:
    std::unique_ptr<Session> m_session;
    std::unique_ptr<LatencyLog> m_log; // the alert rules' window of calls
    std::unique_ptr<AlertMonitor> m_alerts;
    std::unique_ptr<ProbeMetrics> m_metrics;
    std::unique_ptr<ProbeServer> m_server;
};

// "127.0.0.1:9469", "[::1]:9469", "0.0.0.0:80", ":9469" (loopback): false when it is not one.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port);
