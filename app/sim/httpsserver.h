#pragma once

#include "democa.h"
#include "http1parser.h"

#include <QObject>
#include <QSslServer>
#include <QUrl>

#include <functional>

// What a simulated origin answers, and how the bytes go out.
struct SimResponse
{
    enum class Action {
        Respond,
        CloseAfterResponse, // answer, then close the connection whatever the client asked
        Stall, // never answer; the connection stays open until the client gives up
        // On an idle connection that already served a request: close it at once, no answer (the keep-alive
        // race, where the server's idle close crosses the client's next request). On a new connection, or an
        // HTTP/2 connection with other streams open: Respond.
        DropIfReused,
    };
    enum class Delivery {
        Whole,
        Truncated, // announce the full length, send half the body, close (HTTP/2: RST_STREAM, that stream
                   // only)
        Reset, // send half the body, then reset the TCP connection (HTTP/2 too: every stream on it fails)
        Trickle, // the body in small chunks, one per trickleIntervalMs
    };

    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    Action action = Action::Respond;
    Delivery delivery = Delivery::Whole;
    int delayMs = 0; // server processing time before the answer
    int trickleIntervalMs = 100;
    int trickleChunkBytes = 64;
    // No Content-Length: the body ends when the connection closes (HTTP/1.0 style).
    bool closeDelimited = false;

    static SimResponse json(const QByteArray &body, int status = 200);
    static SimResponse text(const QByteArray &body, int status);
};

// Which accepted connection served a response, as the server saw it: the response header
// `x-exsim-connection: ID/ORDINAL; accepted=NS` names the connection (numbered from 1 in the order this
// server accepted them), the request's place on it (1 for the first request or stream) and when the
// connection was accepted (steadyNowNs()). Ground truth for tests and the benchmark; the client never reads
// it to classify.
struct ConnectionIdentity
{
    int id = 0;
    qint64 acceptedNs = 0;

    std::pair<QByteArray, QByteArray> header(int ordinal) const;
};
Q_DECLARE_METATYPE(ConnectionIdentity)

// An HTTPS origin server on 127.0.0.1 for exsim and the tests: TLS with a demo certificate, HTTP/1.1
// keep-alive (with an idle timeout and a cap on requests per connection), Connection: close honoured, HTTP/2
// when ALPN picks h2 (Http2Connection), and counts of what it accepted so tests can compare them with what
// the client reports.
class HttpsServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<SimResponse(const SimRequest &)>;

    HttpsServer(const DemoCertificates &certificates, Handler handler, QObject *parent = nullptr);
    ~HttpsServer() override;

    bool listen(quint16 port = 0); // on 127.0.0.1; 0 picks a free port
    QString errorString() const { return m_server.errorString(); }
    quint16 port() const { return m_server.serverPort(); }
    QUrl origin() const;

    void setKeepAliveIdleMs(int ms) { m_keepAliveIdleMs = ms; }
    void setMaxRequestsPerConnection(int count) { m_maxRequestsPerConnection = count; }
    // ALPN offers h2 and http/1.1, or http/1.1 only; applies to connections accepted from now on.
    void setHttp2Enabled(bool enabled);
    bool http2Enabled() const { return m_http2Enabled; }

    int acceptedConnections() const { return m_accepted; }
    int failedHandshakes() const { return m_failedHandshakes; }
    int requestsServed() const { return m_served; }
    int openConnections() const { return m_open; }
    int http2Connections() const { return m_http2Connections; } // accepted connections that negotiated h2
    // Connections closed under a request, unanswered (DropIfReused: the keep-alive race).
    int racedConnections() const { return m_raced; }

signals:
    void connectionAccepted();
    void requestReceived(const SimRequest &request);

private:
    class Connection;
    friend class Http2Connection;
    void onEncryptedConnection();
    SimResponse handle(const SimRequest &request); // the step both protocols share for a complete request

    QSslServer m_server;
    Handler m_handler;
    int m_keepAliveIdleMs = 60'000;
    int m_maxRequestsPerConnection = 0; // 0: no cap
    int m_accepted = 0;
    int m_failedHandshakes = 0;
    int m_served = 0;
    int m_open = 0;
    int m_http2Connections = 0;
    int m_raced = 0;
    bool m_http2Enabled = true;
};
