#pragma once

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

class QHttpServer;
class GuardedTcpServer;
struct ProbeHealth;

// The probe's HTTP endpoint, served by Qt HTTP Server: `GET /metrics` (Prometheus' text format), `GET
// /healthz` (200 or 503 with a line per exchange), 404 for any other path, 405 for any other method.
//
// Qt HTTP Server 6.4 reads a request without a size limit or a deadline; the TCP server in front of it gives
// each connection both (431 for a request over maxRequestBytes, 408 for one that is not complete within
// requestTimeoutMs, an idle keep-alive connection closed after the same time) and caps the open connections
// (503 beyond), so that nothing a client sends can take the memory, the descriptors or the main thread the
// refresher needs.
struct ProbeLimits
{
    int maxConnections = 32;
    int requestTimeoutMs = 10'000;
    qint64 maxRequestBytes = 16 * 1024; // request line and headers; the probe takes no body
};

class ProbeServer : public QObject
{
    Q_OBJECT
public:
    // alerts: the JSON of `GET /alerts`; without it, that path is 404 like any other.
    ProbeServer(std::function<QByteArray()> metrics, std::function<ProbeHealth()> health,
                ProbeLimits limits = {}, std::function<QByteArray()> alerts = {}, QObject *parent = nullptr);
    ~ProbeServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    int openConnections() const;

private:
    std::unique_ptr<QHttpServer> m_http;
    GuardedTcpServer *m_tcp = nullptr; // owned by m_http
};
