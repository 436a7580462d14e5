#include "wanlink.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <deque>

// One direction of one relayed connection: bytes read from `from` reach `to` after the link's delay.
class WanLink::Pipe : public QObject
{
public:
    Pipe(WanLink *link, QTcpSocket *from, QTcpSocket *to, double extraFirstDelayMs, QObject *parent)
        : QObject(parent)
        , m_link(link)
        , m_from(from)
        , m_to(to)
        , m_extraFirstDelayMs(extraFirstDelayMs)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &Pipe::deliverDue);
        connect(from, &QTcpSocket::readyRead, this, &Pipe::read);
        connect(from, &QTcpSocket::disconnected, this, [this] { enqueue({}, true); });
    }

private:
    struct Chunk
    {
        double dueMs;
        QByteArray bytes;
        bool close;
    };

    void read()
    {
        const QByteArray bytes = m_from->readAll();
        if (!bytes.isEmpty())
            enqueue(bytes, false);
    }

    void enqueue(const QByteArray &bytes, bool close)
    {
        if (m_closing)
            return;
        m_closing = close;
        double due = m_link->nowMs() + m_link->oneWayDelayMs() + m_extraFirstDelayMs;
        m_extraFirstDelayMs = 0;
        if (!m_queue.empty())
            due = std::max(due, m_queue.back().dueMs); // in order, whatever the jitter
        m_queue.push_back({due, bytes, close});
        schedule();
    }

    void schedule()
    {
        if (m_queue.empty() || m_timer.isActive())
            return;
        const double wait = m_queue.front().dueMs - m_link->nowMs();
        m_timer.start(std::max(0, int(std::ceil(wait))));
    }

    void deliverDue()
    {
        const double now = m_link->nowMs();
        while (!m_queue.empty() && m_queue.front().dueMs <= now + 0.05) {
            Chunk chunk = std::move(m_queue.front());
            m_queue.pop_front();
            if (!m_to)
                continue;
            if (chunk.close) {
                m_to->disconnectFromHost();
                return;
            }
            m_to->write(chunk.bytes);
        }
        schedule();
    }

    WanLink *m_link;
    QTcpSocket *m_from;
    QPointer<QTcpSocket> m_to;
    double m_extraFirstDelayMs;
    std::deque<Chunk> m_queue;
    QTimer m_timer;
    bool m_closing = false;
};

WanLink::WanLink(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    connect(&m_listener, &QTcpServer::newConnection, this, &WanLink::onNewConnection);
}

WanLink::~WanLink()
{
    // Relays first: their sockets report the close as they go, and the pipes need the link's clock for that.
    const QObjectList relays = children(); // a WanLink's only children
    qDeleteAll(relays);
}

bool WanLink::listen(quint16 upstreamPort, quint16 port)
{
    m_upstreamPort = upstreamPort;
    return m_listener.listen(QHostAddress::LocalHost, port);
}

double WanLink::oneWayDelayMs()
{
    // Centred on half the RTT, so that the link's round trip is the one set on average; keeping chunks in
    // order, and never delivering before they were read, can only add to it.
    double jitter = 0;
    if (m_jitterMs > 0)
        jitter = std::uniform_real_distribution<double>(-m_jitterMs / 2, m_jitterMs / 2)(m_random);
    return std::max(0.0, m_rttMs / 2 + jitter);
}

// One relayed connection: the client's socket, the socket to the server, and a pipe each way.
class WanLink::Relay : public QObject
{
public:
    Relay(WanLink *link, QTcpSocket *client)
        : QObject(link)
        , m_link(link)
        , m_client(client)
        , m_server(new QTcpSocket(this))
    {
        client->setParent(this);
        // The relay must not add Nagle delays of its own on top of the emulated ones.
        client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_server, &QTcpSocket::connected, this,
                [this] { m_server->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
        // The client's first bytes left after SYN, SYN-ACK: one round trip before they could.
        new Pipe(link, client, m_server, link->m_rttMs, this);
        new Pipe(link, m_server, client, 0, this);
        connect(client, &QTcpSocket::disconnected, this, &Relay::finishIfClosed);
        connect(m_server, &QTcpSocket::disconnected, this, &Relay::finishIfClosed);
        connect(m_server, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::ConnectionRefusedError)
                m_client->abort();
        });
        m_server->connectToHost(QHostAddress::LocalHost, link->m_upstreamPort);
    }

    ~Relay() override
    {
        // The sockets die with this object and would report it to a half-destroyed relay.
        m_client->disconnect(this);
        m_server->disconnect(this);
    }

private:
    void finishIfClosed()
    {
        if (m_finished || m_client->state() != QAbstractSocket::UnconnectedState
            || m_server->state() != QAbstractSocket::UnconnectedState)
            return;
        m_finished = true;
        --m_link->m_open;
        deleteLater();
    }

    WanLink *m_link;
    QTcpSocket *m_client;
    QTcpSocket *m_server;
    bool m_finished = false;
};

void WanLink::onNewConnection()
{
    while (QTcpSocket *client = m_listener.nextPendingConnection()) {
        ++m_accepted;
        ++m_open;
        new Relay(this, client);
    }
}
