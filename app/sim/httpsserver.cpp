#include "httpsserver.h"
#include "http2connection.h"

#include "net/steadyclock.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcSim, "exdash.sim", QtWarningMsg)

namespace {

constexpr char identityProperty[] = "exsimConnectionIdentity";

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Content Too Large";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace

std::pair<QByteArray, QByteArray> ConnectionIdentity::header(int ordinal) const
{
    return {QByteArrayLiteral("x-exsim-connection"),
            QByteArray::number(id) + '/' + QByteArray::number(ordinal)
                + "; accepted=" + QByteArray::number(acceptedNs)};
}

SimResponse SimResponse::json(const QByteArray &body, int status)
{
    SimResponse response;
    response.status = status;
    response.body = body;
    return response;
}

SimResponse SimResponse::text(const QByteArray &body, int status)
{
    SimResponse response = json(body, status);
    response.contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    return response;
}

// One accepted TLS connection: serves its requests one at a time, in order.
class HttpsServer::Connection : public QObject
{
public:
    Connection(HttpsServer *server, QSslSocket *socket, const ConnectionIdentity &identity)
        : QObject(socket)
        , m_server(server)
        , m_socket(socket)
        , m_identity(identity)
    {
        m_idle.setSingleShot(true);
        connect(&m_idle, &QTimer::timeout, socket, [socket] { socket->disconnectFromHost(); });
        connect(socket, &QSslSocket::readyRead, this, [this] {
            m_parser.feed(m_socket->readAll());
            serveNext();
        });
        armIdleTimer();
    }

private:
    void armIdleTimer()
    {
        if (m_server->m_keepAliveIdleMs > 0)
            m_idle.start(m_server->m_keepAliveIdleMs);
    }

    void serveNext()
    {
        if (m_busy)
            return;
        SimRequest request;
        switch (m_parser.next(&request)) {
        case Http1RequestParser::Status::NeedMore:
            return;
        case Http1RequestParser::Status::Error:
            m_busy = true;
            ++m_served;
            write(SimResponse::text(m_parser.error().toUtf8(), m_parser.errorStatus()), true);
            return;
        case Http1RequestParser::Status::Ready:
            break;
        }
        m_busy = true;
        m_idle.stop();
        ++m_served;
        const SimResponse response = m_server->handle(request);
        if (response.action == SimResponse::Action::Stall)
            return;
        if (response.action == SimResponse::Action::DropIfReused && m_served > 1) {
            ++m_server->m_raced;
            m_socket->abort();
            return;
        }
        const int cap = m_server->m_maxRequestsPerConnection;
        const bool close = !request.keepAlive() || response.action == SimResponse::Action::CloseAfterResponse
            || response.closeDelimited || (cap > 0 && m_served >= cap);
        if (response.delayMs > 0)
            QTimer::singleShot(response.delayMs, this, [this, response, close] { write(response, close); });
        else
            write(response, close);
    }

    void write(const SimResponse &response, bool close)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
            + reasonPhrase(response.status) + "\r\nContent-Type: " + response.contentType;
        if (!response.closeDelimited)
            head += "\r\nContent-Length: " + QByteArray::number(response.body.size());
        for (const auto &[name, value] : response.headers)
            head += "\r\n" + name + ": " + value;
        const auto [tagName, tag] = m_identity.header(m_served);
        head += "\r\n" + tagName + ": " + tag;
        if (close) {
            head += "\r\nConnection: close";
        } else {
            head += "\r\nConnection: keep-alive";
            if (m_server->m_keepAliveIdleMs > 0)
                head += "\r\nKeep-Alive: timeout=" + QByteArray::number(m_server->m_keepAliveIdleMs / 1000);
        }
        head += "\r\n\r\n";
        ++m_server->m_served;

        const QByteArray half = response.body.left(response.body.size() / 2);
        switch (response.delivery) {
        case SimResponse::Delivery::Whole:
            m_socket->write(head + response.body);
            break;
        case SimResponse::Delivery::Truncated:
            m_socket->write(head + half);
            m_socket->disconnectFromHost();
            return;
        case SimResponse::Delivery::Reset:
            m_socket->write(head + half);
            m_socket->flush();
            m_socket->abort();
            return;
        case SimResponse::Delivery::Trickle:
            m_socket->write(head);
            trickle(response.body, response.trickleIntervalMs, response.trickleChunkBytes, close);
            return;
        }
        finishResponse(close);
    }

    void trickle(const QByteArray &rest, int intervalMs, int chunkBytes, bool close)
    {
        if (rest.isEmpty()) {
            finishResponse(close);
            return;
        }
        m_socket->write(rest.left(chunkBytes));
        QTimer::singleShot(intervalMs, this,
                           [this, rest = rest.mid(chunkBytes), intervalMs, chunkBytes, close] {
                               trickle(rest, intervalMs, chunkBytes, close);
                           });
    }

    void finishResponse(bool close)
    {
        if (close) {
            m_socket->disconnectFromHost();
            return;
        }
        m_busy = false;
        armIdleTimer();
        serveNext();
    }

    HttpsServer *m_server;
    QSslSocket *m_socket;
    ConnectionIdentity m_identity;
    Http1RequestParser m_parser;
    QTimer m_idle;
    int m_served = 0;
    bool m_busy = false;
};

HttpsServer::HttpsServer(const DemoCertificates &certificates, Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificates.server);
    tls.setPrivateKey(certificates.serverKey);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    m_server.setSslConfiguration(tls);
    setHttp2Enabled(m_http2Enabled);
    m_server.setHandshakeTimeout(10'000);

    connect(&m_server, &QSslServer::startedEncryptionHandshake, this, [this](QSslSocket *socket) {
        ++m_accepted;
        socket->setProperty(identityProperty,
                            QVariant::fromValue(ConnectionIdentity {m_accepted, steadyNowNs()}));
        emit connectionAccepted();
    });
    connect(&m_server, &QSslServer::pendingConnectionAvailable, this, &HttpsServer::onEncryptedConnection);
    connect(&m_server, &QSslServer::errorOccurred, this,
            [this](QSslSocket *, QAbstractSocket::SocketError error) {
                ++m_failedHandshakes;
                qCDebug(lcSim) << "TLS handshake failed:" << error;
            });
}

HttpsServer::~HttpsServer() = default;

void HttpsServer::setHttp2Enabled(bool enabled)
{
    m_http2Enabled = enabled;
    QSslConfiguration tls = m_server.sslConfiguration();
    if (enabled)
        tls.setAllowedNextProtocols(
            {QSslConfiguration::ALPNProtocolHTTP2, QSslConfiguration::NextProtocolHttp1_1});
    else
        tls.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    m_server.setSslConfiguration(tls);
}

bool HttpsServer::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

QUrl HttpsServer::origin() const
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

void HttpsServer::onEncryptedConnection()
{
    while (QTcpSocket *tcp = m_server.nextPendingConnection()) {
        auto *socket = static_cast<QSslSocket *>(tcp);
        // A late answer (server time) must not wait behind Nagle for the ACK of the TLS session tickets the
        // handshake sent: that held every new connection's first answer by a delayed-ACK 40 ms.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        ++m_open;
        connect(socket, &QSslSocket::disconnected, this, [this, socket] {
            --m_open;
            socket->deleteLater();
        });
        const auto identity = socket->property(identityProperty).value<ConnectionIdentity>();
        if (socket->sslConfiguration().nextNegotiatedProtocol() == QSslConfiguration::ALPNProtocolHTTP2) {
            ++m_http2Connections;
            new Http2Connection(this, socket, identity);
        } else {
            new Connection(this, socket, identity);
        }
    }
}

SimResponse HttpsServer::handle(const SimRequest &request)
{
    emit requestReceived(request);
    return m_handler(request);
}
