#include "sim/wanlink.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

// The emulated link relays bytes intact, in order and with closes, and holds them for the round trip.
class tst_WanLink : public QObject
{
    Q_OBJECT

private slots:
    void relaysInOrderBothWaysWithJitter();
    void jitterIsCentredOnHalfTheRtt();
    void firstBytesWaitForTheHandshake();
    void closePropagates();
    void refusedUpstreamDropsClient();
};

namespace {

// Echoes every byte back, upper-cased, so that the direction of travel is visible.
struct UpperEcho
{
    QTcpServer server;
    UpperEcho()
    {
        QObject::connect(&server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket *s = server.nextPendingConnection())
                QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll().toUpper()); });
        });
        server.listen(QHostAddress::LocalHost, 0);
    }
};

} // namespace

void tst_WanLink::relaysInOrderBothWaysWithJitter()
{
    UpperEcho echo;
    WanLink link;
    link.setRttMs(4);
    link.setJitterMs(10); // larger than the delay: only the queue keeps chunks in order
    QVERIFY(link.listen(echo.server.serverPort()));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, link.port());
    QVERIFY(client.waitForConnected(5000));
    QByteArray sent;
    for (int i = 0; i < 200; ++i) {
        const QByteArray chunk = "chunk-" + QByteArray::number(i) + ';';
        sent += chunk;
        client.write(chunk);
        client.flush();
        if (i % 20 == 0)
            QTest::qWait(1); // let some chunks be read separately
    }
    QByteArray received;
    QVERIFY(QTest::qWaitFor(
        [&] {
            received += client.readAll();
            return received.size() >= sent.size();
        },
        10'000));
    QCOMPARE(received, sent.toUpper());
    QCOMPARE(link.acceptedConnections(), 1);
}

void tst_WanLink::jitterIsCentredOnHalfTheRtt()
{
    // The set RTT is the link's mean round trip: jitter spreads each delay around half of it, never adds on
    // top. (The mean of 10 000 draws strays from 25 by 0.009 ms per standard deviation; 0.2 is 20 of them.)
    WanLink link;
    link.setRttMs(50);
    link.setJitterMs(3);
    double sum = 0;
    double least = 1e9;
    double most = 0;
    constexpr int draws = 10'000;
    for (int i = 0; i < draws; ++i) {
        const double ms = link.oneWayDelayMs();
        sum += ms;
        least = std::min(least, ms);
        most = std::max(most, ms);
    }
    QVERIFY2(least >= 23.5 && most <= 26.5, qPrintable(QStringLiteral("%1 .. %2").arg(least).arg(most)));
    QVERIFY2(std::abs(sum / draws - 25) < 0.2, qPrintable(QString::number(sum / draws)));

    link.setRttMs(1);
    link.setJitterMs(10); // wider than the delay: never negative
    for (int i = 0; i < draws; ++i)
        QVERIFY(link.oneWayDelayMs() >= 0);
}

void tst_WanLink::firstBytesWaitForTheHandshake()
{
    // Order, not wall clock: with a long RTT the server has seen nothing right after the client wrote, and
    // does once the link has delivered.
    QTcpServer upstream;
    QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
    QByteArray arrived;
    connect(&upstream, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *s = upstream.nextPendingConnection();
        connect(s, &QTcpSocket::readyRead, s, [&arrived, s] { arrived += s->readAll(); });
    });
    WanLink link;
    link.setRttMs(400);
    QVERIFY(link.listen(upstream.serverPort()));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, link.port());
    QVERIFY(client.waitForConnected(5000));
    client.write("hello");
    QTRY_VERIFY(link.acceptedConnections() == 1);
    QCoreApplication::processEvents();
    QVERIFY(arrived.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(arrived, QByteArray("hello"), 5000);
}

void tst_WanLink::closePropagates()
{
    UpperEcho echo;
    WanLink link;
    link.setRttMs(2);
    QVERIFY(link.listen(echo.server.serverPort()));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, link.port());
    QVERIFY(client.waitForConnected(5000));
    QTRY_COMPARE(link.openConnections(), 1);
    client.disconnectFromHost();
    QTRY_COMPARE(link.openConnections(), 0);
}

void tst_WanLink::refusedUpstreamDropsClient()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    WanLink link;
    QVERIFY(link.listen(closedPort));
    QTcpSocket client;
    QSignalSpy disconnected(&client, &QTcpSocket::disconnected);
    client.connectToHost(QHostAddress::LocalHost, link.port());
    QVERIFY(disconnected.wait(5000));
    QTRY_COMPARE(link.openConnections(), 0);
}

QTEST_GUILESS_MAIN(tst_WanLink)
#include "tst_wanlink.moc"
