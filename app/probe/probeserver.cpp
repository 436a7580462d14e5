#include "probeserver.h"

#include "probe/exposition.h"
#include "probe/probemetrics.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <sys/socket.h>

Q_LOGGING_CATEGORY(lcProbe, "exdash.probe", QtWarningMsg)

namespace {

QByteArray plainResponse(int status, const char *reason, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
        + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// "GET /metrics HTTP/1.1" so far: a method in capitals, a target, a version. A line not complete yet is given
// the benefit of the doubt.
bool looksLikeRequestLine(const QByteArray &start)
{
    qsizetype begin = 0;
    while (begin < start.size() && (start[begin] == '\r' || start[begin] == '\n'))
        ++begin;
    const qsizetype end = start.indexOf('\n', begin);
    const QByteArray line = start.mid(begin, end < 0 ? -1 : end - begin).trimmed();
    const QList<QByteArray> words = line.split(' ');
    for (char c : words.first()) {
        if (c < 'A' || c > 'Z')
            return false;
    }
    if (end < 0)
        return true;
    return words.size() == 3 && !words[0].isEmpty() && !words[1].isEmpty() && words[2].startsWith("HTTP/1.");
}

// Open connections, in all and per client address: shared by the server and its guards, whichever goes first.
struct ConnectionCounts
{
    int total = 0;
    QHash<QHostAddress, int> perAddress;
};

// What a client sends for one request, counted as it arrives, and how long it takes.
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, const ProbeLimits &limits, std::shared_ptr<ConnectionCounts> counts)
        : QObject(socket)
        , m_socket(socket)
        , m_limits(limits)
        , m_counts(std::move(counts))
        , m_peer(socket->peerAddress())
    {
        ++m_counts->total;
        ++m_counts->perAddress[m_peer];
        // Connected before Qt HTTP Server's own slot: it sees each read's new bytes before the parser
        // consumes them.
        connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
        connect(socket, &QIODevice::bytesWritten, this, &ConnectionGuard::onAnswerWritten);
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, &ConnectionGuard::onDeadline);
        m_deadline.start(m_limits.requestTimeoutMs); // for the first request to begin
    }
    ~ConnectionGuard() override
    {
        --m_counts->total;
        if (--m_counts->perAddress[m_peer] <= 0)
            m_counts->perAddress.remove(m_peer);
    }

private:
    void onReadyRead()
    {
        if (m_closing) {
            m_socket->skip(m_socket->bytesAvailable());
            return;
        }
        const bool requestStarts = m_unanswered == 0;
        m_unanswered += m_socket->bytesAvailable();
        if (requestStarts) {
            // Each request has the whole timeout from its first byte, however long the connection sat idle.
            m_deadline.start(m_limits.requestTimeoutMs);
            // Qt HTTP Server 6.4 closes on a request line it cannot parse without a word: answer it.
            if (!looksLikeRequestLine(m_socket->peek(1024))) {
                refuse(400, "Bad Request", "not an HTTP/1.x request\n");
                return;
            }
        }
        if (m_unanswered > m_limits.maxRequestBytes)
            refuse(431, "Request Header Fields Too Large", "request over the probe's limit\n");
    }
    void onAnswerWritten()
    {
        if (m_closing || m_socket->bytesToWrite() > 0)
            return;
        m_unanswered = 0;
        m_deadline.start(m_limits.requestTimeoutMs); // for the next request to begin
    }
    void onDeadline()
    {
        if (m_closing || m_socket->bytesToWrite() > 0) {
            m_socket->abort(); // a client that does not read its answer (or the refusal) in time
            return;
        }
        if (m_unanswered == 0) {
            m_socket->disconnectFromHost(); // idle keep-alive
            return;
        }
        refuse(408, "Request Timeout", "request not complete in time\n");
    }

    // Answers, stops the parser, and closes after the client has had the answer: the write side at once,
    // the read side once the client closes or a second has passed, reading (and dropping) what it still
    // sends, so that the kernel does not reset the connection over unread bytes before the answer arrives.
    void refuse(int status, const char *reason, const QByteArray &body)
    {
        qCInfo(lcProbe) << "refusing a request from" << m_peer << status;
        m_closing = true;
        disconnect(m_socket, &QIODevice::readyRead, nullptr, nullptr);
        connect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
        if (m_socket->isTransactionStarted())
            m_socket->rollbackTransaction();
        m_socket->skip(m_socket->bytesAvailable());
        m_socket->write(plainResponse(status, reason, body));
        m_socket->flush();
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
        m_deadline.start(1000);
    }

    QTcpSocket *m_socket;
    ProbeLimits m_limits;
    std::shared_ptr<ConnectionCounts> m_counts;
    QHostAddress m_peer;
    QTimer m_deadline;
    qint64 m_unanswered = 0;
    bool m_closing = false;
};

} // namespace

class GuardedTcpServer : public QTcpServer
{
public:
    GuardedTcpServer(const ProbeLimits &limits, QObject *parent)
        : QTcpServer(parent)
        , m_limits(limits)
    { }
    int openConnections() const { return m_counts->total; }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        // Half the connections at most from one address: one client cannot lock Prometheus out.
        const int perAddressLimit = std::max(1, m_limits.maxConnections / 2);
        if (m_counts->total >= m_limits.maxConnections
            || m_counts->perAddress.value(socket->peerAddress()) >= perAddressLimit) {
            qCWarning(lcProbe) << "refusing a connection from" << socket->peerAddress() << "over the limit of"
                               << m_limits.maxConnections << "in all and" << perAddressLimit << "per address";
            socket->write(plainResponse(503, "Service Unavailable", "too many connections\n"));
            socket->disconnectFromHost();
            connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            return;
        }
        // The whole unanswered request fits; beyond it the socket stops reading and the guard answers.
        socket->setReadBufferSize(2 * m_limits.maxRequestBytes);
        new ConnectionGuard(socket, m_limits, m_counts);
        addPendingConnection(socket);
    }

private:
    ProbeLimits m_limits;
    std::shared_ptr<ConnectionCounts> m_counts = std::make_shared<ConnectionCounts>();
};

ProbeServer::ProbeServer(std::function<QByteArray()> metrics, std::function<ProbeHealth()> health,
                         ProbeLimits limits, std::function<QByteArray()> alerts, QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<QHttpServer>())
    , m_tcp(new GuardedTcpServer(limits, this))
{
    const auto methodNotAllowed = [](const QHttpServerRequest &request) {
        QHttpServerResponse response(QByteArrayLiteral("text/plain; charset=utf-8"),
                                     request.method() == QHttpServerRequest::Method::Head
                                         ? QByteArray()
                                         : QByteArrayLiteral("only GET\n"),
                                     QHttpServerResponse::StatusCode::MethodNotAllowed);
        response.addHeader(QByteArrayLiteral("Allow"), QByteArrayLiteral("GET"));
        return response;
    };
    m_http->route(QStringLiteral("/metrics"), [metrics, methodNotAllowed](const QHttpServerRequest &request) {
        if (request.method() != QHttpServerRequest::Method::Get)
            return methodNotAllowed(request);
        return QHttpServerResponse(QByteArray(Exposition::contentType), metrics());
    });
    m_http->route(QStringLiteral("/healthz"), [health, methodNotAllowed](const QHttpServerRequest &request) {
        if (request.method() != QHttpServerRequest::Method::Get)
            return methodNotAllowed(request);
        const ProbeHealth h = health();
        return QHttpServerResponse(QByteArrayLiteral("text/plain; charset=utf-8"), h.text.toUtf8(),
                                   h.healthy ? QHttpServerResponse::StatusCode::Ok
                                             : QHttpServerResponse::StatusCode::ServiceUnavailable);
    });
    if (alerts) {
        m_http->route(QStringLiteral("/alerts"),
                      [alerts, methodNotAllowed](const QHttpServerRequest &request) {
                          if (request.method() != QHttpServerRequest::Method::Get)
                              return methodNotAllowed(request);
                          return QHttpServerResponse(QByteArrayLiteral("application/json"), alerts());
                      });
    }
    m_http->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QByteArray body = request.method() == QHttpServerRequest::Method::Head
            ? QByteArray()
            : QByteArrayLiteral("not found: the probe serves /metrics and /healthz\n");
        responder.write(body, QByteArrayLiteral("text/plain; charset=utf-8"),
                        QHttpServerResponder::StatusCode::NotFound);
    });
}

ProbeServer::~ProbeServer() = default;

bool ProbeServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_tcp->listen(address, port)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2: %3")
                         .arg(address.toString())
                         .arg(port)
                         .arg(m_tcp->errorString());
        return false;
    }
    m_http->bind(m_tcp);
    return true;
}

quint16 ProbeServer::port() const
{
    return m_tcp->serverPort();
}

int ProbeServer::openConnections() const
{
    return m_tcp->openConnections();
}
