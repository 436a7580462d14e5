#include "net/httpclient.h"
#include "net/lowdelay.h"
#include "net/poolstats.h"
#include "printers.h"
#include "sim/httpsserver.h"
#include "sim/wanlink.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

// HttpClient against a local HTTPS server that counts the connections it accepts.
class tst_HttpClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sequentialPooledReusesOneConnection();
    void sequentialNoReuseOpensOneConnectionPerRequest();
    void interleavedAccountsPerArm_data();
    void interleavedAccountsPerArm();
    void reuseModeSwitchesAtRunTime();
    void postWithJsonBody();
    void httpErrorsKeepStatusAndBody_data();
    void httpErrorsKeepStatusAndBody();
    void serverClosingAfterResponseMeansNextIsNew();
    void stalledServerTimesOut();
    void oversizedBodyIsAborted_data();
    void oversizedBodyIsAborted();
    void untrustedCertificateIsRefused();
    void caIsTrustedForItsOriginOnly();
    void warmUpMakesFirstRequestReused();
    void idleConnectionExpiresOnTheClientSide();
    void burstConnectionsMatchServerAccepts_data();
    void burstConnectionsMatchServerAccepts();
    void callbackRunsOnlyWhileContextLives();
    void destroyingClientWithRequestsInFlight();
    void lowDelayOnTcpSockets();

private:
    QUrl origin() const;
    QString host() const;
    HttpRequest get(const QString &path) const;
    RequestSample fetch(const HttpRequest &request, HttpResponse *response = nullptr);
    static void verifyMarks(const RequestSample &s);

    DemoCertificates m_certificates;
    std::unique_ptr<HttpsServer> m_server;
    std::unique_ptr<WanLink> m_link; // in front of m_server; RTT 0 unless a test sets one
    std::unique_ptr<HttpClient> m_client;
    int m_jsonServed = 0;
};

void tst_HttpClient::initTestCase()
{
    QString error;
    m_certificates = DemoCertificates::generate(QStringLiteral("exdash test CA"), 1, &error);
    QVERIFY2(!m_certificates.isNull(), qPrintable(error));
}

void tst_HttpClient::init()
{
    m_jsonServed = 0;
    m_server = std::make_unique<HttpsServer>(m_certificates, [this](const SimRequest &request) {
        const QByteArray path = request.path();
        if (path == "/json")
            return SimResponse::json("{\"n\":" + QByteArray::number(++m_jsonServed) + "}");
        if (path == "/echo")
            return SimResponse::json(request.method + ' ' + request.header("content-type") + ' '
                                     + request.body);
        if (path == "/missing")
            return SimResponse::text("no such endpoint", 404);
        if (path == "/error")
            return SimResponse::json("null", 500);
        if (path == "/huge" || path == "/huge-unannounced") {
            SimResponse response = SimResponse::json(QByteArray(9 * 1024 * 1024, 'x'));
            response.closeDelimited = path == "/huge-unannounced";
            return response;
        }
        if (path == "/slow") {
            SimResponse response = SimResponse::json("{}");
            response.delayMs = 20;
            return response;
        }
        if (path == "/close") {
            SimResponse response = SimResponse::json("{}");
            response.action = SimResponse::Action::CloseAfterResponse;
            return response;
        }
        if (path == "/stall") {
            SimResponse response;
            response.action = SimResponse::Action::Stall;
            return response;
        }
        return SimResponse::text("unknown", 404);
    });
    m_server->setHttp2Enabled(false); // HTTP/1.1 here; tst_http2connection covers h2
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    m_link = std::make_unique<WanLink>();
    QVERIFY2(m_link->listen(m_server->port()), qPrintable(m_link->errorString()));
    m_client = std::make_unique<HttpClient>();
    m_client->setCaCertificates(origin(), {m_certificates.ca});
}

void tst_HttpClient::cleanup()
{
    m_client.reset();
    m_link.reset();
    m_server.reset();
}

QUrl tst_HttpClient::origin() const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_link->port()));
}

QString tst_HttpClient::host() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_link->port());
}

HttpRequest tst_HttpClient::get(const QString &path) const
{
    HttpRequest request;
    request.exchange = QStringLiteral("test");
    request.endpoint = path;
    request.url = origin().resolved(QUrl(path));
    return request;
}

RequestSample tst_HttpClient::fetch(const HttpRequest &request, HttpResponse *response)
{
    // A real event loop, not QTest::qWaitFor: that one sleeps 10 ms between polls, which would hold up the
    // in-process server by as much on every hop.
    HttpResponse result;
    QEventLoop loop;
    m_client->send(request, &loop, [&](const HttpResponse &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(15'000, &loop, [&loop, &request] {
        qWarning("request to %s did not finish", qPrintable(request.url.toString()));
        loop.quit();
    });
    loop.exec();
    if (response)
        *response = result;
    return result.sample;
}

void tst_HttpClient::verifyMarks(const RequestSample &s)
{
    double previous = 0;
    for (double mark : {s.connectStartMs, s.tlsDoneMs, s.requestSentMs, s.firstByteMs, s.finishedMs}) {
        if (mark < 0)
            continue;
        QVERIFY2(mark >= previous, qPrintable(QStringLiteral("marks out of order in sample %1").arg(s.id)));
        previous = mark;
    }
    for (double phase : {s.queueMs(), s.connectMs(), s.waitMs(), s.downloadMs()})
        QVERIFY(phase >= 0);
    QVERIFY(qAbs(s.queueMs() + s.connectMs() + s.waitMs() + s.downloadMs() - s.totalMs()) < 1e-9);
    QVERIFY(s.totalMs() > 0);
}

void tst_HttpClient::sequentialPooledReusesOneConnection()
{
    QList<RequestSample> samples;
    for (int i = 0; i < 20; ++i)
        samples.append(fetch(get(QStringLiteral("/json"))));

    QCOMPARE(m_server->acceptedConnections(), 1);
    // Qt set no TCP_NODELAY on its socket; the client did, before the first request went out.
    QVERIFY(lowDelayOnSocketsTo(quint16(m_link->port())));
    QCOMPARE(samples.first().connection, ConnectionKind::New);
    QVERIFY(samples.first().connectStartMs >= 0);
    QVERIFY(samples.first().tlsDoneMs > samples.first().connectStartMs);
    QCOMPARE(samples.first().connectionsOpened, 1);
    for (const RequestSample &s : samples) {
        QVERIFY2(s.ok(), qPrintable(s.errorText));
        QCOMPARE(s.httpStatus, 200);
        QCOMPARE(s.reuse, ReuseMode::Pooled);
        QCOMPARE(s.protocol, HttpProtocol::Http1);
        QCOMPARE(s.host, host());
        QVERIFY2(s.requestSentMs >= 0 && s.firstByteMs >= s.requestSentMs,
                 qPrintable(QStringLiteral("%1 %2 %3 %4 %5")
                                .arg(s.id)
                                .arg(s.connectStartMs)
                                .arg(s.tlsDoneMs)
                                .arg(s.requestSentMs)
                                .arg(s.firstByteMs)));
        verifyMarks(s);
    }
    for (const RequestSample &s : samples.mid(1)) {
        QCOMPARE(s.connection, ConnectionKind::Reused);
        QCOMPARE(s.connectStartMs, -1.0);
        QCOMPARE(s.tlsDoneMs, -1.0);
        QCOMPARE(s.connectionsOpened, 0);
        QCOMPARE(s.connectMs(), 0.0);
    }
}

void tst_HttpClient::sequentialNoReuseOpensOneConnectionPerRequest()
{
    m_client->setReuseMode(ReuseMode::NoReuse);
    for (int i = 0; i < 20; ++i) {
        const RequestSample s = fetch(get(QStringLiteral("/json")));
        QVERIFY2(s.ok(), qPrintable(s.errorText));
        QCOMPARE(s.reuse, ReuseMode::NoReuse);
        QCOMPARE(s.connection, ConnectionKind::New);
        QCOMPARE(s.connectionsOpened, 1);
        QVERIFY(s.connectStartMs >= 0 && s.tlsDoneMs > s.connectStartMs);
        QCOMPARE(s.protocol, HttpProtocol::Http1);
        verifyMarks(s);
    }
    QCOMPARE(m_server->acceptedConnections(), 20);
}

void tst_HttpClient::interleavedAccountsPerArm_data()
{
    QTest::addColumn<bool>("allowHttp2");
    QTest::newRow("pooled arm allows h2") << true;
    // Then both arms are HTTP/1.1-only: the no-reuse request's manager of its own keeps the pools apart.
    QTest::newRow("pooled arm h1 only") << false;
}

void tst_HttpClient::interleavedAccountsPerArm()
{
    QFETCH(bool, allowHttp2);
    m_client->setReuseMode(ReuseMode::Interleaved);
    PoolStats stats;
    QList<ReuseMode> arms;
    for (int cycle = 0; cycle < 10; ++cycle) {
        arms.append(m_client->beginCycle());
        for (int call = 0; call < 2; ++call) {
            HttpRequest request = get(QStringLiteral("/json"));
            request.allowHttp2 = allowHttp2;
            const RequestSample s = fetch(request);
            QVERIFY2(s.ok(), qPrintable(s.errorText));
            QCOMPARE(s.reuse, arms.last());
            stats.add(s);
        }
    }
    QCOMPARE(
        arms.mid(0, 4),
        (QList<ReuseMode> {ReuseMode::Pooled, ReuseMode::NoReuse, ReuseMode::Pooled, ReuseMode::NoReuse}));

    const PoolCounts pooled = stats.counts(host(), ReuseMode::Pooled);
    const PoolCounts noReuse = stats.counts(host(), ReuseMode::NoReuse);
    QCOMPARE(pooled.requests, 10);
    QCOMPARE(pooled.connectionsOpened, 1); // the no-reuse arm never closes or borrows the pooled connection
    QCOMPARE(pooled.reused, 9);
    QCOMPARE(pooled.handshakesAvoided(), 9);
    QCOMPARE(noReuse.requests, 10);
    QCOMPARE(noReuse.connectionsOpened, 10);
    QCOMPARE(noReuse.reused, 0);
    QCOMPARE(m_server->acceptedConnections(), pooled.connectionsOpened + noReuse.connectionsOpened);
}

void tst_HttpClient::reuseModeSwitchesAtRunTime()
{
    QSignalSpy modeSpy(m_client.get(), &HttpClient::reuseModeChanged);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::Reused);
    m_client->setReuseMode(ReuseMode::NoReuse);
    QCOMPARE(modeSpy.count(), 1);
    QCOMPARE(m_client->beginCycle(), ReuseMode::NoReuse);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    m_client->setReuseMode(ReuseMode::Pooled);
    // The pooled connection survived the no-reuse requests.
    const RequestSample s = fetch(get(QStringLiteral("/json")));
    QCOMPARE(s.reuse, ReuseMode::Pooled);
    QCOMPARE(s.connection, ConnectionKind::Reused);
    QCOMPARE(m_server->acceptedConnections(), 3);
}

void tst_HttpClient::postWithJsonBody()
{
    HttpRequest request = get(QStringLiteral("/echo"));
    request.method = "POST";
    request.body = R"({"type":"allMids"})";
    request.headers = {{"Content-Type", "application/json"}};
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.method, QByteArray("POST"));
    QCOMPARE(response.body, QByteArray(R"(POST application/json {"type":"allMids"})"));
    QCOMPARE(s.bytesReceived, response.body.size());
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    verifyMarks(s);
}

void tst_HttpClient::httpErrorsKeepStatusAndBody_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("404") << "/missing" << 404 << QByteArray("no such endpoint");
    QTest::newRow("500 null") << "/error" << 500 << QByteArray("null");
}

void tst_HttpClient::httpErrorsKeepStatusAndBody()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    HttpResponse response;
    const RequestSample s = fetch(get(path), &response);
    QCOMPARE(s.error, NetError::HttpStatus);
    QCOMPARE(s.httpStatus, status);
    QVERIFY(s.errorText.contains(QString::number(status)));
    QCOMPARE(response.body, body);
    verifyMarks(s);
    // The connection stays usable.
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::Reused);
    QCOMPARE(m_server->acceptedConnections(), 1);
}

void tst_HttpClient::serverClosingAfterResponseMeansNextIsNew()
{
    const RequestSample first = fetch(get(QStringLiteral("/close")));
    QVERIFY2(first.ok(), qPrintable(first.errorText));
    QCOMPARE(first.connection, ConnectionKind::New);
    QTRY_COMPARE(m_server->openConnections(), 0);
    const RequestSample second = fetch(get(QStringLiteral("/json")));
    QVERIFY2(second.ok(), qPrintable(second.errorText));
    QCOMPARE(second.connection, ConnectionKind::New);
    QCOMPARE(second.connectionsOpened, 1);
    QCOMPARE(m_server->acceptedConnections(), 2);
}

void tst_HttpClient::stalledServerTimesOut()
{
    HttpRequest request = get(QStringLiteral("/stall"));
    request.timeoutMs = 300;
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QCOMPARE(s.error, NetError::Timeout);
    QVERIFY(s.errorText.contains(QLatin1String("300 ms")));
    QCOMPARE(s.httpStatus, 0);
    QVERIFY(response.body.isEmpty());
    verifyMarks(s);
    // The stalled connection is dropped; the next request gets a fresh one and succeeds.
    const RequestSample next = fetch(get(QStringLiteral("/json")));
    QVERIFY2(next.ok(), qPrintable(next.errorText));
    QCOMPARE(next.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 2);
}

void tst_HttpClient::oversizedBodyIsAborted_data()
{
    QTest::addColumn<qint64>("cap");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("announced");
    QTest::newRow("default cap, Content-Length") << qint64(0) << "/huge" << true;
    QTest::newRow("request cap, Content-Length") << qint64(1000) << "/huge" << true;
    QTest::newRow("default cap, no Content-Length") << qint64(0) << "/huge-unannounced" << false;
    QTest::newRow("request cap, no Content-Length") << qint64(1000) << "/huge-unannounced" << false;
}

void tst_HttpClient::oversizedBodyIsAborted()
{
    QFETCH(qint64, cap);
    QFETCH(QString, path);
    QFETCH(bool, announced);
    HttpRequest request = get(path);
    request.maxResponseBytes = cap;
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QCOMPARE(s.error, NetError::TooLarge);
    const qint64 effectiveCap = cap ? cap : HttpClient::defaultMaxResponseBytes;
    QVERIFY(s.errorText.contains(QString::number(effectiveCap)));
    QVERIFY(response.body.isEmpty());
    if (announced)
        QCOMPARE(s.bytesReceived, 0); // refused on the headers, before any of the body was read
    else
        QVERIFY(s.bytesReceived > effectiveCap); // refused while reading: the length was not announced
    verifyMarks(s);
    QVERIFY(fetch(get(QStringLiteral("/json"))).ok());
}

void tst_HttpClient::untrustedCertificateIsRefused()
{
    const DemoCertificates other = DemoCertificates::generate(QStringLiteral("some other CA"), 1);
    HttpsServer impostor(other, [](const SimRequest &) { return SimResponse::json("{\"secret\":1}"); });
    QVERIFY(impostor.listen());
    HttpRequest request = get(QStringLiteral("/json"));
    request.url = impostor.origin().resolved(QUrl(QStringLiteral("/json")));
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QCOMPARE(s.error, NetError::Tls);
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(s.connectionsOpened, 1);
    QVERIFY(response.body.isEmpty());
    QCOMPARE(impostor.requestsServed(), 0);
    QCOMPARE(impostor.acceptedConnections(), 1);
    verifyMarks(s);
}

void tst_HttpClient::caIsTrustedForItsOriginOnly()
{
    // Same CA, another origin the client was not told about.
    HttpsServer sibling(m_certificates, [](const SimRequest &) { return SimResponse::json("{}"); });
    QVERIFY(sibling.listen());
    HttpRequest request = get(QStringLiteral("/json"));
    request.url = sibling.origin().resolved(QUrl(QStringLiteral("/json")));
    QCOMPARE(fetch(request).error, NetError::Tls);
    QCOMPARE(sibling.requestsServed(), 0);
    QVERIFY(fetch(get(QStringLiteral("/json"))).ok());
}

void tst_HttpClient::warmUpMakesFirstRequestReused()
{
    QSignalSpy samples(m_client.get(), &HttpClient::sampleReady);
    m_client->warmUp(origin(), QStringLiteral("test"));
    QVERIFY(samples.wait(10'000));
    const auto warm = samples.takeFirst().first().value<RequestSample>();
    QVERIFY2(warm.ok(), qPrintable(warm.errorText));
    QVERIFY(warm.warmUp);
    QCOMPARE(warm.connection, ConnectionKind::New);
    QCOMPARE(warm.connectionsOpened, 1);
    QCOMPARE(m_server->acceptedConnections(), 1);

    const RequestSample s = fetch(get(QStringLiteral("/json")));
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.connection, ConnectionKind::Reused);
    QCOMPARE(s.connectionsOpened, 0);
    QCOMPARE(m_server->acceptedConnections(), 1);

    // Warming a warm pool opens nothing.
    m_client->warmUp(origin(), QStringLiteral("test"));
    QTRY_COMPARE(samples.count(), 2);
    QCOMPARE(samples.at(1).first().value<RequestSample>().connectionsOpened, 0);
    QCOMPARE(m_server->acceptedConnections(), 1);
}

void tst_HttpClient::idleConnectionExpiresOnTheClientSide()
{
    m_server->setKeepAliveIdleMs(60'000);
    m_client->setKeepAliveIdleSeconds(1);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    QCOMPARE(m_server->openConnections(), 1);
    // The client, not the server, closes the idle connection; the next request opens a new one.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 0, 10'000);
    const RequestSample s = fetch(get(QStringLiteral("/json")));
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 2);
}

void tst_HttpClient::burstConnectionsMatchServerAccepts_data()
{
    QTest::addColumn<int>("burst");
    QTest::addColumn<ReuseMode>("mode");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("rttMs");
    for (int burst : {3, 8}) {
        for (ReuseMode mode : {ReuseMode::Pooled, ReuseMode::NoReuse}) {
            for (const char *path : {"/json", "/slow"}) {
                for (int rtt : {0, 50}) {
                    const QByteArray name = QByteArray::number(burst) + ' ' + nameOf(mode).toLatin1() + ' '
                        + path + " rtt " + QByteArray::number(rtt);
                    QTest::newRow(name.constData()) << burst << mode << QString::fromLatin1(path) << rtt;
                }
            }
        }
    }
}

void tst_HttpClient::burstConnectionsMatchServerAccepts()
{
    QFETCH(int, burst);
    QFETCH(ReuseMode, mode);
    QFETCH(QString, path);
    QFETCH(int, rttMs);
    m_link->setRttMs(rttMs);
    m_client->setReuseMode(mode);
    QSignalSpy samples(m_client.get(), &HttpClient::sampleReady);
    int reported = 0;

    for (const char *round : {"cold", "warm"}) {
        samples.clear();
        for (int i = 0; i < burst; ++i)
            m_client->send(get(path));
        QTRY_COMPARE_WITH_TIMEOUT(samples.count(), burst, 15'000);
        QMap<ConnectionKind, int> kinds;
        for (const QList<QVariant> &args : std::as_const(samples)) {
            const auto s = args.first().value<RequestSample>();
            QVERIFY2(s.ok(), qPrintable(s.errorText));
            verifyMarks(s);
            reported += s.connectionsOpened;
            ++kinds[s.connection];
            if (qstrcmp(round, "cold") == 0 || mode == ReuseMode::NoReuse)
                QVERIFY2(s.paidHandshake(), "every request of a cold burst waited for a handshake");
        }
        QTRY_COMPARE(m_server->acceptedConnections(), reported);
        qInfo("%s: server accepted %d connections in all; new %d, queued %d, reused %d", round,
              m_server->acceptedConnections(), kinds.value(ConnectionKind::New),
              kinds.value(ConnectionKind::Queued), kinds.value(ConnectionKind::Reused));
    }
    if (mode == ReuseMode::NoReuse)
        QCOMPARE(m_server->acceptedConnections(), 2 * burst);
    else
        QVERIFY(m_server->acceptedConnections() <= 6);
}

void tst_HttpClient::callbackRunsOnlyWhileContextLives()
{
    auto context = std::make_unique<QObject>();
    int calls = 0;
    m_client->send(get(QStringLiteral("/slow")), context.get(), [&](const HttpResponse &) { ++calls; });
    QSignalSpy samples(m_client.get(), &HttpClient::sampleReady);
    context.reset();
    QVERIFY(samples.wait(10'000));
    QCOMPARE(calls, 0);

    m_client->send(get(QStringLiteral("/json")), this, [&](const HttpResponse &r) {
        QCOMPARE(r.body, QByteArray("{\"n\":1}"));
        ++calls;
    });
    QTRY_COMPARE(calls, 1);
    QCOMPARE(m_client->inFlight(), 0);
}

void tst_HttpClient::destroyingClientWithRequestsInFlight()
{
    for (int i = 0; i < 4; ++i)
        m_client->send(get(QStringLiteral("/stall")));
    QTRY_COMPARE(m_server->requestsServed(), 0); // nothing answered
    QTRY_VERIFY(m_server->acceptedConnections() > 0);
    m_client.reset(); // must neither hang nor crash
    QTRY_COMPARE(m_server->openConnections(), 0);
}

// The socket option itself, on a plain connection: only the sockets whose peer is on the port, only once.
void tst_HttpClient::lowDelayOnTcpSockets()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const quint16 port = server.serverPort();
    QVERIFY(!lowDelayOnSocketsTo(port)); // no socket yet
    QTcpSocket client;
    QSignalSpy connected(&client, &QTcpSocket::connected);
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(connected.wait(10'000));
    QVERIFY(!lowDelayOnSocketsTo(port));
    QCOMPARE(client.socketOption(QAbstractSocket::LowDelayOption).toInt(), 0);
    QCOMPARE(setLowDelayOnSocketsTo(port), 1);
    QVERIFY(lowDelayOnSocketsTo(port));
    QCOMPARE(client.socketOption(QAbstractSocket::LowDelayOption).toInt(), 1);
    QCOMPARE(setLowDelayOnSocketsTo(port), 0); // already set
    QCOMPARE(setLowDelayOnSocketsTo(quint16(port == 65535 ? 1 : port + 1)), 0); // another peer port
}

QTEST_GUILESS_MAIN(tst_HttpClient)
#include "tst_httpclient.moc"
