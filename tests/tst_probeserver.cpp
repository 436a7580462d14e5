#include "probe/probemetrics.h"
#include "probe/probeserver.h"

#include "rawhttp.h"

#include <QTest>
#include <QTimer>

// The probe's HTTP endpoint on loopback: what it serves, and what it does with requests it must not serve
// (unknown paths and methods, garbage, a huge request, a slow one, too many connections).
class tst_ProbeServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servesMetricsInPrometheusFormat();
    void healthIs200Or503WithItsText();
    void keepsTheConnectionForTheNextScrape();
    void unknownPathsAre404();
    void otherMethodsAre405();
    void garbageIs400();
    void aHugeRequestLineIs431();
    void aHugeBodyIs431();
    void aSlowRequestIs408();
    void anIdleConnectionIsClosed();
    void connectionsBeyondTheCapAre503();
    void listeningOnATakenPortFails();

private:
    bool m_healthy = true;
    int m_scrapes = 0;
    std::unique_ptr<ProbeServer> m_server;
    std::unique_ptr<ProbeServer> m_strict; // a short deadline
    std::unique_ptr<ProbeServer> m_few; // few connections, the default deadline
    ProbeLimits m_strictLimits;
    ProbeLimits m_fewLimits;
};

void tst_ProbeServer::initTestCase()
{
    const auto metrics = [this] {
        ++m_scrapes;
        return QByteArray("# HELP up_total x\n# TYPE up_total counter\nup_total 1\n");
    };
    const auto health = [this] {
        return ProbeHealth {m_healthy,
                            m_healthy ? QStringLiteral("all ok\n") : QStringLiteral("bitunix late\n")};
    };
    m_server = std::make_unique<ProbeServer>(metrics, health);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    m_strictLimits.requestTimeoutMs = 2000;
    m_strict = std::make_unique<ProbeServer>(metrics, health, m_strictLimits);
    QVERIFY2(m_strict->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    m_fewLimits.maxConnections = 4;
    m_few = std::make_unique<ProbeServer>(metrics, health, m_fewLimits);
    QVERIFY2(m_few->listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

void tst_ProbeServer::servesMetricsInPrometheusFormat()
{
    const int before = m_scrapes;
    const RawResponse r = rawRequest(m_server->port(), "GET /metrics HTTP/1.1\r\nHost: probe\r\n\r\n");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    QCOMPARE(r.body, QByteArray("# HELP up_total x\n# TYPE up_total counter\nup_total 1\n"));
    QCOMPARE(m_scrapes, before + 1);
}

void tst_ProbeServer::healthIs200Or503WithItsText()
{
    m_healthy = true;
    RawResponse r = rawRequest(m_server->port(), "GET /healthz HTTP/1.1\r\n\r\n");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("all ok\n"));
    m_healthy = false;
    r = rawRequest(m_server->port(), "GET /healthz HTTP/1.1\r\n\r\n");
    QCOMPARE(r.status, 503);
    QCOMPARE(r.body, QByteArray("bitunix late\n"));
    m_healthy = true;
}

void tst_ProbeServer::keepsTheConnectionForTheNextScrape()
{
    RawConnection connection(m_server->port());
    for (int i = 0; i < 3; ++i) {
        connection.send("GET /metrics HTTP/1.1\r\nHost: probe\r\n\r\n");
        const RawResponse r = connection.response();
        QCOMPARE(r.status, 200);
        QVERIFY(!r.closedByServer);
    }
}

void tst_ProbeServer::unknownPathsAre404()
{
    for (const QByteArray path :
         {"/", "/metrics/x", "/favicon.ico", "/healthz?verbose=1x/../../etc/passwd", "/%00"}) {
        const RawResponse r = rawRequest(m_server->port(), "GET " + path + " HTTP/1.1\r\n\r\n");
        if (path.startsWith("/healthz?")) {
            QCOMPARE(r.status, 200); // a query does not change the path
            continue;
        }
        QVERIFY2(r.status == 404, path.constData());
    }
}

void tst_ProbeServer::otherMethodsAre405()
{
    for (const QByteArray method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
        const RawResponse r =
            rawRequest(m_server->port(), method + " /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        QVERIFY2(r.status == 405, method.constData());
        QCOMPARE(r.header("Allow"), QByteArray("GET"));
    }
    // HEAD: the same status, and no body (a body would be read as the next response).
    RawConnection connection(m_server->port());
    connection.send("HEAD /metrics HTTP/1.1\r\n\r\n");
    const RawResponse head = connection.response(/*head=*/true);
    QCOMPARE(head.status, 405);
    QCOMPARE(head.header("Content-Length"), QByteArray("0"));
    connection.send("GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(connection.response().status, 200);
}

void tst_ProbeServer::garbageIs400()
{
    const QByteArray tlsClientHello = QByteArray::fromHex("160301020001000200030379");
    for (const QByteArray &garbage :
         {QByteArray("garbage\r\n\r\n"), tlsClientHello, QByteArray("GET /metrics\r\n\r\n"),
          QByteArray("get /metrics HTTP/1.1\r\n\r\n"), QByteArray(1000, '\0')}) {
        RawConnection connection(m_server->port());
        connection.send(garbage);
        const RawResponse r = connection.response();
        QVERIFY2(r.status == 400, garbage.toHex().left(40).constData());
        QVERIFY(connection.waitForClose());
    }
    QCOMPARE(rawRequest(m_server->port(), "GET /metrics HTTP/1.1\r\n\r\n").status, 200);
}

void tst_ProbeServer::aHugeRequestLineIs431()
{
    RawConnection connection(m_server->port());
    connection.send("GET /" + QByteArray(10 * 1024 * 1024, 'a') + " HTTP/1.1\r\n\r\n");
    const RawResponse r = connection.response();
    QCOMPARE(r.status, 431);
    QVERIFY(connection.waitForClose());
    QCOMPARE(rawRequest(m_server->port(), "GET /metrics HTTP/1.1\r\n\r\n").status, 200);
}

void tst_ProbeServer::aHugeBodyIs431()
{
    RawConnection connection(m_server->port());
    connection.send("POST /metrics HTTP/1.1\r\nContent-Length: 104857600\r\n\r\n"
                    + QByteArray(1024 * 1024, 'x'));
    QCOMPARE(connection.response().status, 431);
    QVERIFY(connection.waitForClose());
}

void tst_ProbeServer::aSlowRequestIs408()
{
    // Slowloris: a header line now and then, never the end of the headers.
    RawConnection connection(m_strict->port());
    connection.send("GET /metrics HTTP/1.1\r\n");
    QTimer drip;
    int line = 0;
    connect(&drip, &QTimer::timeout, this,
            [&] { connection.send("X-" + QByteArray::number(++line) + ": y\r\n"); });
    drip.start(100);
    const RawResponse r = connection.response();
    QCOMPARE(r.status, 408);
    QVERIFY(connection.waitForClose());
    QVERIFY(QTest::qWaitFor([this] { return m_strict->openConnections() == 0; }, 10'000));
}

void tst_ProbeServer::anIdleConnectionIsClosed()
{
    RawConnection connection(m_strict->port());
    connection.send("GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(connection.response().status, 200);
    QVERIFY(connection.waitForClose());
    QVERIFY(QTest::qWaitFor([this] { return m_strict->openConnections() == 0; }, 10'000));
}

void tst_ProbeServer::connectionsBeyondTheCapAre503()
{
    // Four in all, two per client address.
    const QHostAddress one(QStringLiteral("127.0.0.1"));
    const QHostAddress two(QStringLiteral("127.0.0.2"));
    const QHostAddress three(QStringLiteral("127.0.0.3"));
    std::vector<std::unique_ptr<RawConnection>> held;
    for (const QHostAddress &from : {one, one})
        held.push_back(std::make_unique<RawConnection>(m_few->port(), from));
    QVERIFY(QTest::qWaitFor([this] { return m_few->openConnections() == 2; }, 10'000));
    RawConnection thirdFromOne(m_few->port(), one);
    thirdFromOne.send("GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(thirdFromOne.response().status, 503);
    {
        // Another client still gets in while the first holds its share.
        RawConnection fromTwo(m_few->port(), two);
        fromTwo.send("GET /metrics HTTP/1.1\r\n\r\n");
        QCOMPARE(fromTwo.response().status, 200);
    }
    QVERIFY(QTest::qWaitFor([this] { return m_few->openConnections() == 2; }, 10'000));
    for (const QHostAddress &from : {two, two})
        held.push_back(std::make_unique<RawConnection>(m_few->port(), from));
    QVERIFY(QTest::qWaitFor([this] { return m_few->openConnections() == 4; }, 10'000));
    RawConnection fromThree(m_few->port(), three);
    fromThree.send("GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(fromThree.response().status, 503);
    held.clear();
    QVERIFY(QTest::qWaitFor([this] { return m_few->openConnections() == 0; }, 10'000));
    QCOMPARE(rawRequest(m_few->port(), "GET /metrics HTTP/1.1\r\n\r\n").status, 200);
}

void tst_ProbeServer::listeningOnATakenPortFails()
{
    ProbeServer second([] { return QByteArray(); }, [] { return ProbeHealth {}; });
    QString error;
    QVERIFY(!second.listen(QHostAddress::LocalHost, m_server->port(), &error));
    QVERIFY2(error.contains(QString::number(m_server->port())), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ProbeServer)
#include "tst_probeserver.moc"
