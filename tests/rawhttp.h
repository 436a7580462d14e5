#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTcpSocket>
#include <QTest>

// One request written as bytes on a new connection, and the one response read back, whatever it is: for
// servers that must answer bad requests (garbage, huge, slow) as well as good ones. Waits with
// QTest::qWaitFor, never a fixed sleep.
struct RawResponse
{
    bool connected = false;
    int status = 0; // 0: no status line came
    QByteArray head; // status line and headers
    QByteArray body;
    bool closedByServer = false;

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

class RawConnection
{
public:
    // from: the local address to connect from (any loopback address reaches a server on 127.0.0.1).
    explicit RawConnection(quint16 port, const QHostAddress &from = {})
    {
        if (!from.isNull() && !m_socket.bind(from))
            qWarning("cannot bind to %s", qPrintable(from.toString()));
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, [this] { m_failed = true; });
        if (!QTest::qWaitFor(
                [this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_failed; }, 10'000))
            qWarning("no connection in 10 s");
        m_connected = m_socket.state() == QAbstractSocket::ConnectedState;
    }

    bool isConnected() const { return m_connected; }
    bool isClosedByServer() const { return m_closed; }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }

    // The next whole response (by Content-Length, or up to the close); for HEAD, headers only.
    RawResponse response(bool head = false, int timeoutMs = 30'000)
    {
        RawResponse r;
        r.connected = m_connected;
        if (!QTest::qWaitFor([&] { return complete(head) || m_closed; }, timeoutMs))
            qWarning("no whole response in %d ms", timeoutMs);
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        if (end < 0) {
            r.closedByServer = m_closed;
            return r;
        }
        r.head = m_received.left(end);
        const QList<QByteArray> statusLine = r.head.left(r.head.indexOf('\r')).split(' ');
        r.status = statusLine.value(1).toInt();
        const qint64 length = head ? 0 : r.header("Content-Length").toLongLong();
        r.body = m_received.mid(end + 4, length);
        m_received.remove(0, end + 4 + r.body.size());
        r.closedByServer = m_closed;
        return r;
    }

    // Waits for the server to close the connection.
    bool waitForClose(int timeoutMs = 30'000)
    {
        return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
    }

private:
    bool complete(bool head) const
    {
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        if (head)
            return true;
        RawResponse r;
        r.head = m_received.left(end);
        return m_received.size() - end - 4 >= r.header("Content-Length").toLongLong();
    }

    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_connected = false;
    bool m_failed = false;
    bool m_closed = false;
};

// One request, one response, on a fresh connection.
inline RawResponse rawRequest(quint16 port, const QByteArray &request, bool head = false)
{
    RawConnection connection(port);
    connection.send(request);
    return connection.response(head);
}

// The samples of a Prometheus text exposition, by "name{labels}" as written.
inline QHash<QByteArray, double> exposedSamples(const QByteArray &text)
{
    QHash<QByteArray, double> samples;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        samples.insert(line.left(space), line.mid(space + 1).toDouble());
    }
    return samples;
}
