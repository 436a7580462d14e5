#include "net/httpclient.h"
#include "printers.h"
#include "sim/httpsserver.h"
#include "sim/wanlink.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

#include <memory>

// HttpsServer's HTTP/2 side, driven through the real HttpClient (behind a WanLink) and a raw TLS socket.
class tst_Http2Connection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void negotiatesH2OnlyWhenEnabled_data();
    void negotiatesH2OnlyWhenEnabled();
    void disablingAppliesToNewConnections();
    void sequentialGetsShareOneConnection();
    void burstSharesOneConnection_data();
    void burstSharesOneConnection();
    void qtSignalsPerReplyInColdBurst();
    void delayedStreamDoesNotHoldOthers();
    void postBodyIsEchoed();
    void requestBodyOverLimitIsRefused();
    void httpErrorsKeepStatusAndBody_data();
    void httpErrorsKeepStatusAndBody();
    void largeBodyArrivesWhole_data();
    void largeBodyArrivesWhole();
    void bodyOverCapIsTooLarge_data();
    void bodyOverCapIsTooLarge();
    void stalledStreamTimesOutWhileOthersSucceed();
    void brokenDeliveryFailsTheRequest_data();
    void brokenDeliveryFailsTheRequest();
    void trickledBodyArrivesWhole();
    void closeAfterResponseMeansNextIsNew();
    void requestCapClosesTheConnection();
    void idleConnectionIsClosedByTheServer();
    void malformedInputClosesTheConnection_data();
    void malformedInputClosesTheConnection();

private:
    QUrl origin() const;
    QString host() const;
    HttpRequest get(const QString &path) const;
    RequestSample fetch(const HttpRequest &request, HttpResponse *response = nullptr);
    RequestSample fetchWith(HttpClient &client, const HttpRequest &request, HttpResponse *response = nullptr);
    static void verifyMarks(const RequestSample &s);
    static QByteArray patterned(qsizetype size);

    DemoCertificates m_certificates;
    std::unique_ptr<HttpsServer> m_server;
    std::unique_ptr<WanLink> m_link; // in front of m_server; RTT 0 unless a test sets one
    std::unique_ptr<HttpClient> m_client;
    QList<SimRequest> m_requests; // as the handler saw them
    int m_jsonServed = 0;
};

void tst_Http2Connection::initTestCase()
{
    QString error;
    m_certificates = DemoCertificates::generate(QStringLiteral("exdash h2 test CA"), 1, &error);
    QVERIFY2(!m_certificates.isNull(), qPrintable(error));
}

void tst_Http2Connection::init()
{
    m_jsonServed = 0;
    m_requests.clear();
    m_server = std::make_unique<HttpsServer>(m_certificates, [this](const SimRequest &request) {
        m_requests.append(request);
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
        if (path == "/huge")
            return SimResponse::json(patterned(9 * 1024 * 1024));
        if (path == "/slow" || path == "/late") {
            SimResponse response = SimResponse::json("{}");
            response.delayMs = path == "/slow" ? 20 : 300;
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
        if (path == "/truncated" || path == "/reset" || path == "/trickle") {
            SimResponse response = SimResponse::json(patterned(path == "/trickle" ? 1000 : 100'000));
            response.delivery = path == "/truncated" ? SimResponse::Delivery::Truncated
                : path == "/reset"                   ? SimResponse::Delivery::Reset
                                                     : SimResponse::Delivery::Trickle;
            response.trickleIntervalMs = 5;
            response.trickleChunkBytes = 64;
            return response;
        }
        return SimResponse::text("unknown", 404);
    });
    m_server->setHttp2Enabled(true);
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    m_link = std::make_unique<WanLink>();
    QVERIFY2(m_link->listen(m_server->port()), qPrintable(m_link->errorString()));
    m_client = std::make_unique<HttpClient>();
    m_client->setCaCertificates(origin(), {m_certificates.ca});
}

void tst_Http2Connection::cleanup()
{
    m_client.reset();
    m_link.reset();
    m_server.reset();
}

QUrl tst_Http2Connection::origin() const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_link->port()));
}

QString tst_Http2Connection::host() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_link->port());
}

HttpRequest tst_Http2Connection::get(const QString &path) const
{
    HttpRequest request;
    request.exchange = QStringLiteral("test");
    request.endpoint = path;
    request.url = origin().resolved(QUrl(path));
    return request;
}

RequestSample tst_Http2Connection::fetch(const HttpRequest &request, HttpResponse *response)
{
    return fetchWith(*m_client, request, response);
}

RequestSample tst_Http2Connection::fetchWith(HttpClient &client, const HttpRequest &request,
                                             HttpResponse *response)
{
    bool done = false;
    HttpResponse result;
    client.send(request, this, [&](const HttpResponse &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 15'000))
        qWarning("request to %s did not finish", qPrintable(request.url.toString()));
    if (response)
        *response = result;
    return result.sample;
}

void tst_Http2Connection::verifyMarks(const RequestSample &s)
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

QByteArray tst_Http2Connection::patterned(qsizetype size)
{
    // Not one repeated byte, so that a lost, repeated or reordered chunk shows.
    QByteArray body(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        body[i] = char('a' + (i / 7 + i) % 26);
    return body;
}

void tst_Http2Connection::negotiatesH2OnlyWhenEnabled_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::newRow("h2 offered") << true;
    QTest::newRow("http/1.1 only") << false;
}

void tst_Http2Connection::negotiatesH2OnlyWhenEnabled()
{
    QFETCH(bool, enabled);
    m_server->setHttp2Enabled(enabled);
    QCOMPARE(m_server->http2Enabled(), enabled);
    HttpResponse response;
    const RequestSample s = fetch(get(QStringLiteral("/json?x=1")), &response);
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(response.body, QByteArray("{\"n\":1}"));
    QCOMPARE(response.header("content-type"), QByteArray("application/json"));
    QCOMPARE(s.protocol, enabled ? HttpProtocol::Http2 : HttpProtocol::Http1);
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 1);
    QCOMPARE(m_server->http2Connections(), enabled ? 1 : 0);
    QCOMPARE(m_server->requestsServed(), 1);
    verifyMarks(s);

    QCOMPARE(m_requests.size(), 1);
    const SimRequest &request = m_requests.first();
    QCOMPARE(request.version, enabled ? QByteArray("HTTP/2") : QByteArray("HTTP/1.1"));
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.target, QByteArray("/json?x=1"));
    QCOMPARE(request.header("host"), host().toLatin1());
    for (const auto &[name, value] : request.headers)
        QVERIFY2(!name.startsWith(':'), name.constData());
}

void tst_Http2Connection::disablingAppliesToNewConnections()
{
    QCOMPARE(fetch(get(QStringLiteral("/json"))).protocol, HttpProtocol::Http2);
    m_server->setHttp2Enabled(false);
    // The open connection stays h2; a new one (another client, another pool) gets http/1.1.
    const RequestSample reused = fetch(get(QStringLiteral("/json")));
    QCOMPARE(reused.protocol, HttpProtocol::Http2);
    QCOMPARE(reused.connection, ConnectionKind::Reused);
    HttpClient other;
    other.setCaCertificates(origin(), {m_certificates.ca});
    const RequestSample fresh = fetchWith(other, get(QStringLiteral("/json")));
    QVERIFY2(fresh.ok(), qPrintable(fresh.errorText));
    QCOMPARE(fresh.protocol, HttpProtocol::Http1);
    QCOMPARE(fresh.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 2);
    QCOMPARE(m_server->http2Connections(), 1);
}

void tst_Http2Connection::sequentialGetsShareOneConnection()
{
    QList<RequestSample> samples;
    for (int i = 1; i <= 20; ++i) {
        HttpResponse response;
        samples.append(fetch(get(QStringLiteral("/json")), &response));
        QCOMPARE(response.body, "{\"n\":" + QByteArray::number(i) + "}");
    }
    QCOMPARE(m_server->acceptedConnections(), 1);
    QCOMPARE(m_server->http2Connections(), 1);
    QCOMPARE(m_server->requestsServed(), 20);
    QCOMPARE(samples.first().connection, ConnectionKind::New);
    QCOMPARE(samples.first().connectionsOpened, 1);
    QVERIFY(samples.first().tlsDoneMs > samples.first().connectStartMs);
    for (const RequestSample &s : samples) {
        QVERIFY2(s.ok(), qPrintable(s.errorText));
        QCOMPARE(s.protocol, HttpProtocol::Http2);
        QVERIFY(s.requestSentMs >= 0 && s.firstByteMs >= s.requestSentMs);
        verifyMarks(s);
    }
    for (const RequestSample &s : samples.mid(1)) {
        QCOMPARE(s.connection, ConnectionKind::Reused);
        QCOMPARE(s.connectionsOpened, 0);
        QCOMPARE(s.connectMs(), 0.0);
    }
}

void tst_Http2Connection::burstSharesOneConnection_data()
{
    QTest::addColumn<int>("burst");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("rttMs");
    for (int burst : {3, 8}) {
        for (const char *path : {"/json", "/slow"}) {
            for (int rtt : {0, 50}) {
                const QByteArray name =
                    QByteArray::number(burst) + ' ' + path + " rtt " + QByteArray::number(rtt);
                QTest::newRow(name.constData()) << burst << QString::fromLatin1(path) << rtt;
            }
        }
    }
}

void tst_Http2Connection::burstSharesOneConnection()
{
    QFETCH(int, burst);
    QFETCH(QString, path);
    QFETCH(int, rttMs);
    m_link->setRttMs(rttMs);
    QSignalSpy samples(m_client.get(), &HttpClient::sampleReady);

    for (const char *round : {"cold", "warm"}) {
        const bool cold = qstrcmp(round, "cold") == 0;
        samples.clear();
        for (int i = 0; i < burst; ++i)
            m_client->send(get(path));
        QTRY_COMPARE_WITH_TIMEOUT(samples.count(), burst, 15'000);
        QMap<ConnectionKind, int> kinds;
        int reported = 0;
        for (const QList<QVariant> &args : std::as_const(samples)) {
            const auto s = args.first().value<RequestSample>();
            QVERIFY2(s.ok(), qPrintable(s.errorText));
            QCOMPARE(s.protocol, HttpProtocol::Http2);
            verifyMarks(s);
            reported += s.connectionsOpened;
            ++kinds[s.connection];
            if (cold)
                QVERIFY2(s.paidHandshake(), "every request of a cold burst waited for the handshake");
        }
        qInfo("%s: accepted %d; new %d, shared %d, queued %d, reused %d; connections reported %d", round,
              m_server->acceptedConnections(), kinds.value(ConnectionKind::New),
              kinds.value(ConnectionKind::Shared), kinds.value(ConnectionKind::Queued),
              kinds.value(ConnectionKind::Reused), reported);
        QCOMPARE(m_server->acceptedConnections(), 1);
        if (cold) {
            QCOMPARE(reported, 1);
            QCOMPARE(kinds.value(ConnectionKind::New), 1);
            QCOMPARE(kinds.value(ConnectionKind::Shared), burst - 1);
        } else {
            QCOMPARE(reported, 0);
            QCOMPARE(kinds.value(ConnectionKind::Reused), burst);
        }
    }
    QCOMPARE(m_server->http2Connections(), 1);
    QCOMPARE(m_server->requestsServed(), 2 * burst);
}

// What Qt 6.4 tells each reply of a cold HTTP/2 burst, which ConnectionTracker relies on. Plain
// QNetworkAccessManager, so that the counts are Qt's own.
void tst_Http2Connection::qtSignalsPerReplyInColdBurst()
{
    m_link->setRttMs(50);
    QNetworkAccessManager manager;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.addCaCertificates({m_certificates.ca});
    struct Seen
    {
        int connecting = 0;
        int encrypted = 0;
        int sent = 0;
    };
    constexpr int burst = 8;
    QList<Seen> seen(burst);
    int finished = 0;
    for (int i = 0; i < burst; ++i) {
        QNetworkRequest request(origin().resolved(QUrl(QStringLiteral("/json"))));
        request.setSslConfiguration(ssl);
        QNetworkReply *reply = manager.get(request);
        connect(reply, &QNetworkReply::socketStartedConnecting, this, [&seen, i] { ++seen[i].connecting; });
        connect(reply, &QNetworkReply::encrypted, this, [&seen, i] { ++seen[i].encrypted; });
        connect(reply, &QNetworkReply::requestSent, this, [&seen, i] { ++seen[i].sent; });
        connect(reply, &QNetworkReply::finished, this, [&finished, reply] {
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QVERIFY(reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool());
            ++finished;
            reply->deleteLater();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, burst, 15'000);
    int connecting = 0;
    int encrypted = 0;
    for (int i = 0; i < burst; ++i) {
        qInfo("reply %d: socketStartedConnecting %d, encrypted %d, requestSent %d", i, seen[i].connecting,
              seen[i].encrypted, seen[i].sent);
        connecting += seen[i].connecting;
        encrypted += seen[i].encrypted;
        QCOMPARE(seen[i].sent, 1);
    }
    QCOMPARE(m_server->acceptedConnections(), 1);
    QCOMPARE(connecting, 1);
    QCOMPARE(encrypted, 1);
}

void tst_Http2Connection::delayedStreamDoesNotHoldOthers()
{
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    QSignalSpy samples(m_client.get(), &HttpClient::sampleReady);
    const quint64 late = m_client->send(get(QStringLiteral("/late")));
    for (int i = 0; i < 3; ++i)
        m_client->send(get(QStringLiteral("/json")));
    QTRY_COMPARE_WITH_TIMEOUT(samples.count(), 4, 15'000);
    for (const QList<QVariant> &args : std::as_const(samples)) {
        const auto s = args.first().value<RequestSample>();
        QVERIFY2(s.ok(), qPrintable(s.errorText));
        QCOMPARE(s.connection, ConnectionKind::Reused);
        verifyMarks(s);
    }
    // Sent first, answered last: the three other streams went past it.
    QCOMPARE(samples.last().first().value<RequestSample>().id, late);
    QCOMPARE(m_server->acceptedConnections(), 1);
}

void tst_Http2Connection::postBodyIsEchoed()
{
    HttpRequest request = get(QStringLiteral("/echo"));
    request.method = "POST";
    request.body = R"({"type":"clearinghouseState","user":"0x0123456789abcdef0123456789abcdef01234567"})";
    request.headers = {{"Content-Type", "application/json"}};
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.protocol, HttpProtocol::Http2);
    QCOMPARE(response.body, "POST application/json " + request.body);
    QCOMPARE(s.bytesReceived, response.body.size());
    QCOMPARE(m_requests.last().body, request.body);
    verifyMarks(s);
}

void tst_Http2Connection::requestBodyOverLimitIsRefused()
{
    HttpRequest request = get(QStringLiteral("/echo"));
    request.method = "POST";
    request.body = QByteArray(Http1RequestParser::maxBodyBytes + 1, 'x');
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QCOMPARE(s.error, NetError::HttpStatus);
    QCOMPARE(s.httpStatus, 413);
    QVERIFY(m_requests.isEmpty()); // the handler never saw it
    QCOMPARE(m_server->requestsServed(), 1);
    verifyMarks(s);
    request.body = "{}";
    const RequestSample next = fetch(request);
    QVERIFY2(next.ok(), qPrintable(next.errorText));
    QCOMPARE(next.connection, ConnectionKind::Reused);
}

void tst_Http2Connection::httpErrorsKeepStatusAndBody_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("404") << "/missing" << 404 << QByteArray("no such endpoint");
    QTest::newRow("500 null") << "/error" << 500 << QByteArray("null");
}

void tst_Http2Connection::httpErrorsKeepStatusAndBody()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    HttpResponse response;
    const RequestSample s = fetch(get(path), &response);
    QCOMPARE(s.protocol, HttpProtocol::Http2);
    QCOMPARE(s.error, NetError::HttpStatus);
    QCOMPARE(s.httpStatus, status);
    QCOMPARE(response.body, body);
    verifyMarks(s);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::Reused);
    QCOMPARE(m_server->acceptedConnections(), 1);
}

void tst_Http2Connection::largeBodyArrivesWhole_data()
{
    QTest::addColumn<int>("rttMs");
    QTest::newRow("rtt 0") << 0;
    QTest::newRow("rtt 50") << 50;
}

void tst_Http2Connection::largeBodyArrivesWhole()
{
    QFETCH(int, rttMs);
    m_link->setRttMs(rttMs);
    HttpRequest request = get(QStringLiteral("/huge"));
    request.maxResponseBytes = 16 * 1024 * 1024;
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.protocol, HttpProtocol::Http2);
    QCOMPARE(response.body.size(), 9 * 1024 * 1024);
    QVERIFY(response.body == patterned(9 * 1024 * 1024));
    QCOMPARE(s.bytesReceived, 9 * 1024 * 1024);
    verifyMarks(s);
}

void tst_Http2Connection::bodyOverCapIsTooLarge_data()
{
    QTest::addColumn<qint64>("cap");
    QTest::newRow("default cap") << qint64(0);
    QTest::newRow("request cap") << qint64(1000);
}

void tst_Http2Connection::bodyOverCapIsTooLarge()
{
    QFETCH(qint64, cap);
    HttpRequest request = get(QStringLiteral("/huge"));
    request.maxResponseBytes = cap;
    HttpResponse response;
    const RequestSample s = fetch(request, &response);
    QCOMPARE(s.protocol, HttpProtocol::Http2);
    QCOMPARE(s.error, NetError::TooLarge);
    QVERIFY(response.body.isEmpty());
    QCOMPARE(s.bytesReceived, 0); // refused on content-length, before any of the body was read
    verifyMarks(s);
    // Only the stream was cancelled.
    const RequestSample next = fetch(get(QStringLiteral("/json")));
    QVERIFY2(next.ok(), qPrintable(next.errorText));
    QCOMPARE(next.connection, ConnectionKind::Reused);
    QCOMPARE(m_server->acceptedConnections(), 1);
}

void tst_Http2Connection::stalledStreamTimesOutWhileOthersSucceed()
{
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    QSignalSpy samples(m_client.get(), &HttpClient::sampleReady);
    QSignalSpy received(m_server.get(), &HttpsServer::requestReceived);
    HttpRequest stall = get(QStringLiteral("/stall"));
    stall.timeoutMs = 300;
    const quint64 stalled = m_client->send(stall);
    QVERIFY(received.wait(5'000)); // the stall is in the server's hands
    const quint64 normal = m_client->send(get(QStringLiteral("/json")));
    QTRY_COMPARE_WITH_TIMEOUT(samples.count(), 2, 15'000);

    const auto first = samples.at(0).first().value<RequestSample>();
    const auto second = samples.at(1).first().value<RequestSample>();
    QCOMPARE(first.id, normal);
    QVERIFY2(first.ok(), qPrintable(first.errorText));
    QCOMPARE(first.connection, ConnectionKind::Reused);
    QCOMPARE(second.id, stalled);
    QCOMPARE(second.error, NetError::Timeout);
    QCOMPARE(second.httpStatus, 0);
    verifyMarks(first);
    verifyMarks(second);
    QCOMPARE(m_server->acceptedConnections(), 1);
    QCOMPARE(m_server->requestsServed(), 2); // the stall was never answered

    // Qt cancels only the stream, but a connection whose peer stalled may be dead: the client drops it, and
    // the next call opens a new one.
    const RequestSample next = fetch(get(QStringLiteral("/json")));
    QVERIFY2(next.ok(), qPrintable(next.errorText));
    QCOMPARE(next.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 2);
}

void tst_Http2Connection::brokenDeliveryFailsTheRequest_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("connectionSurvives");
    QTest::newRow("truncated: RST_STREAM") << "/truncated" << true;
    QTest::newRow("reset: connection aborted") << "/reset" << false;
}

void tst_Http2Connection::brokenDeliveryFailsTheRequest()
{
    QFETCH(QString, path);
    QFETCH(bool, connectionSurvives);
    HttpResponse response;
    const RequestSample s = fetch(get(path), &response);
    QVERIFY(s.error != NetError::None);
    QVERIFY(s.error != NetError::Timeout);
    QCOMPARE(s.protocol, HttpProtocol::Http2);
    QVERIFY(response.body.isEmpty());
    QVERIFY(s.bytesReceived <= 50'000); // at most the half that was sent
    qInfo("%s: %s (%s), %lld bytes received", qPrintable(path), qPrintable(nameOf(s.error)),
          qPrintable(s.errorText), s.bytesReceived);
    verifyMarks(s);
    QTRY_COMPARE(m_server->openConnections(), connectionSurvives ? 1 : 0);

    // A fresh client (a fresh connection) is served.
    HttpClient other;
    other.setCaCertificates(origin(), {m_certificates.ca});
    const RequestSample fresh = fetchWith(other, get(QStringLiteral("/json")));
    QVERIFY2(fresh.ok(), qPrintable(fresh.errorText));
    QCOMPARE(fresh.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 2);
    QCOMPARE(m_server->http2Connections(), 2);

    if (connectionSurvives) {
        const RequestSample next = fetch(get(QStringLiteral("/json")));
        QVERIFY2(next.ok(), qPrintable(next.errorText));
        QCOMPARE(next.connection, ConnectionKind::Reused);
        QCOMPARE(m_server->acceptedConnections(), 2);
    }
}

void tst_Http2Connection::trickledBodyArrivesWhole()
{
    HttpResponse response;
    const RequestSample s = fetch(get(QStringLiteral("/trickle")), &response);
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.protocol, HttpProtocol::Http2);
    QCOMPARE(response.body, patterned(1000));
    verifyMarks(s);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::Reused);
}

void tst_Http2Connection::closeAfterResponseMeansNextIsNew()
{
    const RequestSample first = fetch(get(QStringLiteral("/close")));
    QVERIFY2(first.ok(), qPrintable(first.errorText));
    QCOMPARE(first.protocol, HttpProtocol::Http2);
    QCOMPARE(first.connection, ConnectionKind::New);
    QTRY_COMPARE(m_server->openConnections(), 0);
    const RequestSample second = fetch(get(QStringLiteral("/json")));
    QVERIFY2(second.ok(), qPrintable(second.errorText));
    QCOMPARE(second.connection, ConnectionKind::New);
    QCOMPARE(second.connectionsOpened, 1);
    QCOMPARE(m_server->acceptedConnections(), 2);
    QCOMPARE(m_server->http2Connections(), 2);
    verifyMarks(first);
    verifyMarks(second);
}

void tst_Http2Connection::requestCapClosesTheConnection()
{
    m_server->setMaxRequestsPerConnection(2);
    QList<ConnectionKind> kinds;
    for (int i = 0; i < 3; ++i) {
        const RequestSample s = fetch(get(QStringLiteral("/json")));
        QVERIFY2(s.ok(), qPrintable(s.errorText));
        verifyMarks(s);
        kinds.append(s.connection);
        if (i == 1)
            QTRY_COMPARE(m_server->openConnections(), 0);
    }
    QCOMPARE(kinds,
             (QList<ConnectionKind> {ConnectionKind::New, ConnectionKind::Reused, ConnectionKind::New}));
    QCOMPARE(m_server->acceptedConnections(), 2);
}

void tst_Http2Connection::idleConnectionIsClosedByTheServer()
{
    m_server->setKeepAliveIdleMs(200);
    QCOMPARE(fetch(get(QStringLiteral("/json"))).connection, ConnectionKind::New);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->openConnections(), 0, 10'000);
    const RequestSample s = fetch(get(QStringLiteral("/json")));
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(m_server->acceptedConnections(), 2);
}

void tst_Http2Connection::malformedInputClosesTheConnection_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("HTTP/1.1 request instead of the preface")
        << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const QByteArray preface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    const QByteArray settings = QByteArray::fromHex("000000040000000000");
    const QByteArray dataOnStreamZero = QByteArray::fromHex("00000100000000000078");
    QTest::newRow("DATA on stream 0") << preface + settings + dataOnStreamZero;
}

void tst_Http2Connection::malformedInputClosesTheConnection()
{
    QFETCH(QByteArray, input);
    QSslSocket socket;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.addCaCertificates({m_certificates.ca});
    ssl.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2});
    socket.setSslConfiguration(ssl);
    QByteArray received;
    connect(&socket, &QSslSocket::readyRead, this, [&] { received += socket.readAll(); });
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->port());
    QVERIFY2(encrypted.wait(10'000), qPrintable(socket.errorString())); // the server runs in this thread
    QCOMPARE(socket.sslConfiguration().nextNegotiatedProtocol(), QSslConfiguration::ALPNProtocolHTTP2);
    socket.write(input);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 10'000);
    QTRY_COMPARE(m_server->openConnections(), 0);
    QCOMPARE(m_server->http2Connections(), 1);
    QCOMPARE(m_server->requestsServed(), 0);

    // The frames the server sent: its SETTINGS first, and a GOAWAY(PROTOCOL_ERROR) before it closed.
    QList<int> types;
    quint32 goAwayError = 0;
    for (qsizetype at = 0; at + 9 <= received.size();) {
        const auto *p = reinterpret_cast<const uchar *>(received.constData() + at);
        const qsizetype length = (p[0] << 16) | (p[1] << 8) | p[2];
        types.append(p[3]);
        if (p[3] == 0x7 && length >= 8)
            goAwayError = (quint32(p[13]) << 24) | (p[14] << 16) | (p[15] << 8) | p[16];
        at += 9 + length;
    }
    QVERIFY(!types.isEmpty());
    QCOMPARE(types.first(), 0x4);
    QCOMPARE(types.last(), 0x7);
    QCOMPARE(goAwayError, 1u);

    const RequestSample s = fetch(get(QStringLiteral("/json")));
    QVERIFY2(s.ok(), qPrintable(s.errorText));
    QCOMPARE(s.protocol, HttpProtocol::Http2);
}

QTEST_GUILESS_MAIN(tst_Http2Connection)
#include "tst_http2connection.moc"
