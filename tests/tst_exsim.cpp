#include "exchanges/bitunix/bitunixsigner.h"
#include "net/httpclient.h"
#include "printers.h"
#include "sim/exsim.h"
#include "sim/exsimprocess.h"
#include "sim/httpsserver.h"
#include "sim/wanlink.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <memory>

// exsim end to end, through the real HttpClient (and curl, as a third-party client).
class tst_Exsim : public QObject
{
    Q_OBJECT

private slots:
    void everyEndpointAnswers_data();
    void everyEndpointAnswers();
    void signedCallsNeedTheDemoCredentials();
    void keepAliveAndProtocol_data();
    void keepAliveAndProtocol();
    void warmUp_data();
    void warmUp();
    void faultsReachTheClient_data();
    void faultsReachTheClient();
    void closeIdleEarlyForcesANewConnection();
    void requestCapPerConnection();
    void reusedCallIsOneRoundTripNewIsThree();
    void curlSeesReuseAndHttp2();
    void commandLine();
    void takenPortIsAClearError();
    void processStarter();
    void processStarterSaysWhatWentWrong_data();
    void processStarterSaysWhatWentWrong();

private:
    struct Fixture
    {
        std::unique_ptr<Exsim> exsim;
        std::unique_ptr<HttpClient> client;
    };
    static Fixture start(ExsimOptions options);
    static HttpResponse call(HttpClient *client, const HttpRequest &request);
    static HttpRequest bitunix(const Exsim &exsim, const QByteArray &pathAndQuery, bool sign = false);
    static HttpRequest hyperliquid(const Exsim &exsim, const QByteArray &body);
};

tst_Exsim::Fixture tst_Exsim::start(ExsimOptions options)
{
    Fixture f;
    f.exsim = std::make_unique<Exsim>(options);
    QString error;
    if (!f.exsim->start(&error))
        qFatal("exsim did not start: %s", qPrintable(error));
    f.client = std::make_unique<HttpClient>();
    for (SimExchange exchange : {SimExchange::Bitunix, SimExchange::Hyperliquid})
        f.client->setCaCertificates(f.exsim->url(exchange), {f.exsim->ca()});
    return f;
}

HttpResponse tst_Exsim::call(HttpClient *client, const HttpRequest &request)
{
    // A real event loop, not QTest::qWaitFor: that one sleeps 10 ms between polls, which would hold up the
    // in-process simulator by as much on every hop.
    HttpResponse result;
    QEventLoop loop;
    client->send(request, &loop, [&](const HttpResponse &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(20'000, &loop, [&loop, &request] {
        qWarning("no answer from %s", qPrintable(request.url.toString()));
        loop.quit();
    });
    loop.exec();
    return result;
}

HttpRequest tst_Exsim::bitunix(const Exsim &exsim, const QByteArray &pathAndQuery, bool sign)
{
    HttpRequest request;
    request.exchange = QStringLiteral("bitunix");
    request.endpoint = QString::fromLatin1(pathAndQuery);
    request.url = exsim.url(SimExchange::Bitunix).resolved(QUrl(QString::fromLatin1(pathAndQuery)));
    if (sign) {
        const QByteArray nonce = BitunixSigner::makeNonce();
        const QByteArray timestamp = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
        const QByteArray canonical = BitunixSigner::canonicalQuery(QUrlQuery(request.url.query()));
        request.headers = {{"api-key", exsim.bitunixApiKey()},
                           {"nonce", nonce},
                           {"timestamp", timestamp},
                           {"sign",
                            BitunixSigner::sign(nonce, timestamp, exsim.bitunixApiKey(), canonical, {},
                                                exsim.bitunixApiSecret())}};
    }
    return request;
}

HttpRequest tst_Exsim::hyperliquid(const Exsim &exsim, const QByteArray &body)
{
    HttpRequest request;
    request.exchange = QStringLiteral("hyperliquid");
    request.endpoint = QString::fromLatin1(body);
    request.method = "POST";
    request.url = exsim.url(SimExchange::Hyperliquid).resolved(QUrl(QStringLiteral("/info")));
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body;
    return request;
}

void tst_Exsim::everyEndpointAnswers_data()
{
    QTest::addColumn<bool>("http2");
    QTest::newRow("h2") << true;
    QTest::newRow("http/1.1") << false;
}

void tst_Exsim::everyEndpointAnswers()
{
    QFETCH(bool, http2);
    ExsimOptions options;
    options.rttMs = 0;
    options.http2 = http2;
    Fixture f = start(options);
    const Exsim &x = *f.exsim;
    const QString user = x.hyperliquidAddress();
    const QList<HttpRequest> requests {
        bitunix(x, "/api/v1/futures/market/tickers"),
        bitunix(x, "/api/v1/futures/market/tickers?symbols=BTCUSDT,ETHUSDT"),
        bitunix(x, "/api/v1/futures/market/trading_pairs"),
        bitunix(x, "/api/v1/futures/position/get_pending_positions", true),
        bitunix(x, "/api/v1/futures/account?marginCoin=USDT", true),
        hyperliquid(x, R"({"type":"allMids"})"),
        hyperliquid(x, R"({"type":"meta"})"),
        hyperliquid(x, R"({"type":"metaAndAssetCtxs"})"),
        hyperliquid(x, R"({"type":"spotMeta"})"),
        hyperliquid(x, R"({"type":"clearinghouseState","user":")" + user.toLatin1() + "\"}"),
        hyperliquid(x, R"({"type":"spotClearinghouseState","user":")" + user.toLatin1() + "\"}"),
    };
    for (const HttpRequest &request : requests) {
        const HttpResponse response = call(f.client.get(), request);
        QVERIFY2(response.ok(), qPrintable(request.endpoint + QLatin1Char(' ') + response.sample.errorText));
        QCOMPARE(response.sample.httpStatus, 200);
        QCOMPARE(response.sample.protocol, http2 ? HttpProtocol::Http2 : HttpProtocol::Http1);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(response.body, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(request.endpoint));
        if (request.exchange == QLatin1String("bitunix"))
            QCOMPARE(document.object().value(QStringLiteral("code")).toInt(-1), 0);
    }
    const HttpResponse bad = call(f.client.get(), hyperliquid(x, R"({"type":"nonsense"})"));
    QCOMPARE(bad.sample.httpStatus, 422);
    QCOMPARE(bad.body, QByteArray("Failed to deserialize the JSON body into the target type"));
    QVERIFY(bad.header("content-type").startsWith("text/plain"));
}

void tst_Exsim::signedCallsNeedTheDemoCredentials()
{
    ExsimOptions options;
    options.rttMs = 0;
    Fixture f = start(options);
    HttpRequest forged = bitunix(*f.exsim, "/api/v1/futures/account?marginCoin=USDT", true);
    forged.headers.last().second = QByteArray(64, '0');
    const QJsonObject answer = QJsonDocument::fromJson(call(f.client.get(), forged).body).object();
    QCOMPARE(answer.value(QStringLiteral("code")).toInt(), 10007);
    const QJsonObject anonymous =
        QJsonDocument::fromJson(
            call(f.client.get(), bitunix(*f.exsim, "/api/v1/futures/account?marginCoin=USDT")).body)
            .object();
    QCOMPARE(anonymous.value(QStringLiteral("code")).toInt(), 10003);
}

void tst_Exsim::keepAliveAndProtocol_data()
{
    QTest::addColumn<bool>("http2");
    QTest::newRow("h2") << true;
    QTest::newRow("http/1.1") << false;
}

void tst_Exsim::keepAliveAndProtocol()
{
    QFETCH(bool, http2);
    ExsimOptions options;
    options.rttMs = 0;
    options.http2 = http2;
    Fixture f = start(options);
    for (int i = 0; i < 10; ++i) {
        const HttpResponse b = call(f.client.get(), bitunix(*f.exsim, "/api/v1/futures/market/tickers"));
        const HttpResponse h = call(f.client.get(), hyperliquid(*f.exsim, R"({"type":"allMids"})"));
        QVERIFY(b.ok() && h.ok());
        QCOMPARE(b.sample.connection, i == 0 ? ConnectionKind::New : ConnectionKind::Reused);
        QCOMPARE(h.sample.connection, i == 0 ? ConnectionKind::New : ConnectionKind::Reused);
    }
    for (SimExchange exchange : {SimExchange::Bitunix, SimExchange::Hyperliquid}) {
        QCOMPARE(f.exsim->server(exchange)->acceptedConnections(), 1);
        QCOMPARE(f.exsim->server(exchange)->http2Connections(), http2 ? 1 : 0);
        QCOMPARE(f.exsim->link(exchange)->acceptedConnections(), 1);
    }
}

void tst_Exsim::warmUp_data()
{
    keepAliveAndProtocol_data();
}

void tst_Exsim::warmUp()
{
    QFETCH(bool, http2);
    ExsimOptions options;
    options.rttMs = 0;
    options.http2 = http2;
    Fixture f = start(options);
    QSignalSpy samples(f.client.get(), &HttpClient::sampleReady);
    f.client->warmUp(f.exsim->url(SimExchange::Hyperliquid), QStringLiteral("hyperliquid"));
    QVERIFY(samples.wait(10'000));
    const auto warm = samples.takeFirst().first().value<RequestSample>();
    QVERIFY2(warm.ok() && warm.warmUp, qPrintable(warm.errorText));
    QCOMPARE(warm.connectionsOpened, 1);
    const HttpResponse first = call(f.client.get(), hyperliquid(*f.exsim, R"({"type":"allMids"})"));
    QCOMPARE(first.sample.connection, ConnectionKind::Reused);
    QCOMPARE(first.sample.protocol, http2 ? HttpProtocol::Http2 : HttpProtocol::Http1);
    samples.clear();
    // Warming a warm pool opens nothing and is no error (over HTTP/2, Qt lets it run into its timeout).
    f.client->warmUp(f.exsim->url(SimExchange::Hyperliquid), QStringLiteral("hyperliquid"));
    QVERIFY(samples.wait(10'000));
    const auto again = samples.takeFirst().first().value<RequestSample>();
    QVERIFY2(again.ok(), qPrintable(again.errorText));
    QCOMPARE(again.connectionsOpened, 0);
    QCOMPARE(f.exsim->server(SimExchange::Hyperliquid)->acceptedConnections(), 1);
}

void tst_Exsim::faultsReachTheClient_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("http2");
    QTest::addColumn<int>("error");
    QTest::addColumn<int>("status");
    for (bool h2 : {false, true}) {
        const char *p = h2 ? " h2" : " http/1.1";
        auto row = [&](const char *fault, NetError error, int status) {
            QTest::newRow((QByteArray(fault) + p).constData())
                << QString::fromLatin1(fault) << h2 << int(error) << status;
        };
        row("429:3", NetError::HttpStatus, 429);
        row("rate-limit", NetError::None, 200);
        row("500", NetError::HttpStatus, 500);
        row("reset", NetError::ConnectionClosed, -1);
        row("truncate", NetError::ConnectionClosed, -1);
        row("malformed", NetError::None, 200);
        row("stall", NetError::Timeout, 0);
        row("trickle:2", NetError::None, 200);
        row("huge:9", NetError::TooLarge, 200);
    }
}

void tst_Exsim::faultsReachTheClient()
{
    QFETCH(QString, fault);
    QFETCH(bool, http2);
    QFETCH(int, error);
    QFETCH(int, status);
    ExsimOptions options;
    options.rttMs = 0;
    options.http2 = http2;
    Fixture f = start(options);
    const Fault parsed = *Fault::parse(fault);
    for (SimExchange exchange : {SimExchange::Bitunix, SimExchange::Hyperliquid})
        f.exsim->setFault(exchange, parsed);

    HttpRequest request = bitunix(*f.exsim, "/api/v1/futures/market/tickers");
    if (parsed.kind == Fault::Kind::Stall)
        request.timeoutMs = 500;
    const HttpResponse response = call(f.client.get(), request);
    if (error
        == int(NetError::ConnectionClosed)) // how a cut shows depends on the protocol: any transport error
        QVERIFY2(!response.ok() && response.sample.error != NetError::HttpStatus,
                 qPrintable(response.sample.errorText));
    else
        QCOMPARE(response.sample.error, NetError(error));
    if (status >= 0)
        QCOMPARE(response.sample.httpStatus, status);
    QVERIFY(response.sample.totalMs() > 0);

    if (parsed.kind == Fault::Kind::TooManyRequests)
        QCOMPARE(response.header("retry-after"), QByteArray("3"));
    if (parsed.kind == Fault::Kind::RateLimitCode)
        QCOMPARE(QJsonDocument::fromJson(response.body).object().value(QStringLiteral("code")).toInt(),
                 10006);
    if (parsed.kind == Fault::Kind::ServerError)
        QCOMPARE(response.body, QByteArray("null"));
    QJsonParseError parseError;
    QJsonDocument::fromJson(response.body, &parseError);
    if (parsed.kind == Fault::Kind::MalformedJson)
        QVERIFY(parseError.error != QJsonParseError::NoError);
    if (parsed.kind == Fault::Kind::SlowTrickle) // whole, however slowly
        QCOMPARE(parseError.error, QJsonParseError::NoError);

    // Hyperliquid flavour of the same fault, then recovery once the fault is lifted.
    const HttpResponse info = call(f.client.get(), hyperliquid(*f.exsim, R"({"type":"allMids"})"));
    if (parsed.kind == Fault::Kind::RateLimitCode)
        QCOMPARE(info.sample.httpStatus, 429);
    for (SimExchange exchange : {SimExchange::Bitunix, SimExchange::Hyperliquid})
        f.exsim->setFault(exchange, Fault {});
    for (const HttpRequest &again : {bitunix(*f.exsim, "/api/v1/futures/market/tickers"),
                                     hyperliquid(*f.exsim, R"({"type":"allMids"})")}) {
        const HttpResponse recovered = call(f.client.get(), again);
        QVERIFY2(recovered.ok(), qPrintable(recovered.sample.errorText));
        QCOMPARE(QJsonDocument::fromJson(recovered.body).isNull(), false);
    }
}

void tst_Exsim::closeIdleEarlyForcesANewConnection()
{
    ExsimOptions options;
    options.rttMs = 0;
    options.hyperliquidFault = *Fault::parse(QStringLiteral("close-idle:100"));
    Fixture f = start(options);
    const HttpResponse first = call(f.client.get(), hyperliquid(*f.exsim, R"({"type":"allMids"})"));
    QCOMPARE(first.sample.connection, ConnectionKind::New);
    HttpsServer *server = f.exsim->server(SimExchange::Hyperliquid);
    QTRY_COMPARE(server->openConnections(), 0); // the server gave up on the idle connection
    const HttpResponse second = call(f.client.get(), hyperliquid(*f.exsim, R"({"type":"allMids"})"));
    QVERIFY2(second.ok(), qPrintable(second.sample.errorText));
    QCOMPARE(second.sample.connection, ConnectionKind::New);
    QCOMPARE(server->acceptedConnections(), 2);
}

void tst_Exsim::requestCapPerConnection()
{
    ExsimOptions options;
    options.rttMs = 0;
    options.http2 = false;
    options.maxRequestsPerConnection = 3;
    Fixture f = start(options);
    QList<ConnectionKind> kinds;
    for (int i = 0; i < 7; ++i) {
        const HttpResponse r =
            call(f.client.get(), bitunix(*f.exsim, "/api/v1/futures/market/tickers?symbols=BTCUSDT"));
        QVERIFY2(r.ok(), qPrintable(r.sample.errorText));
        kinds.append(r.sample.connection);
    }
    using K = ConnectionKind;
    QCOMPARE(kinds, (QList<K> {K::New, K::Reused, K::Reused, K::New, K::Reused, K::Reused, K::New}));
    QCOMPARE(f.exsim->server(SimExchange::Bitunix)->acceptedConnections(), 3);
}

void tst_Exsim::reusedCallIsOneRoundTripNewIsThree()
{
    // Ordering and counts, not wall-clock limits: while one call on a new connection is under way (TCP, TLS
    // and the request: three round trips), calls on a warm connection (one round trip each) complete two or
    // three times.
    ExsimOptions options;
    options.rttMs = 50;
    options.http2 = false;
    Fixture f = start(options);
    HttpClient fresh;
    fresh.setCaCertificates(f.exsim->url(SimExchange::Bitunix), {f.exsim->ca()});
    fresh.setReuseMode(ReuseMode::NoReuse);
    const HttpRequest tickers = bitunix(*f.exsim, "/api/v1/futures/market/trading_pairs?symbols=BTCUSDT");
    QVERIFY(call(f.client.get(), tickers).ok()); // warm the pooled connection

    QList<double> reusedMs, newMs;
    for (int round = 0; round < 5; ++round) {
        bool newDone = false;
        HttpResponse newResponse;
        fresh.send(tickers, this, [&](const HttpResponse &r) {
            newResponse = r;
            newDone = true;
        });
        int reusedWhileNew = 0;
        while (!newDone) {
            const HttpResponse r = call(f.client.get(), tickers);
            QVERIFY(r.ok());
            QCOMPARE(r.sample.connection, ConnectionKind::Reused);
            reusedMs.append(r.sample.totalMs());
            if (!newDone)
                ++reusedWhileNew;
        }
        QVERIFY2(newResponse.ok(), qPrintable(newResponse.sample.errorText));
        QCOMPARE(newResponse.sample.connection, ConnectionKind::New);
        newMs.append(newResponse.sample.totalMs());
        QVERIFY2(reusedWhileNew >= 2 && reusedWhileNew <= 3,
                 qPrintable(QStringLiteral("%1 reused calls finished during one new-connection call")
                                .arg(reusedWhileNew)));
    }
    std::sort(reusedMs.begin(), reusedMs.end());
    std::sort(newMs.begin(), newMs.end());
    qInfo("RTT 50 ms: reused call median %.1f ms, new-connection call median %.1f ms, ratio %.2f",
          reusedMs.at(reusedMs.size() / 2), newMs.at(newMs.size() / 2),
          newMs.at(newMs.size() / 2) / reusedMs.at(reusedMs.size() / 2));
}

void tst_Exsim::curlSeesReuseAndHttp2()
{
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    QVERIFY2(!curl.isEmpty(), "curl is not installed (./dev.sh installs it)");
    ExsimOptions options;
    options.rttMs = 0;
    Fixture f = start(options);
    QTemporaryFile ca;
    QVERIFY(ca.open());
    ca.write(f.exsim->caPem());
    ca.flush();
    const QString url =
        f.exsim->url(SimExchange::Bitunix).toString() + QStringLiteral("/api/v1/futures/market/tickers");

    for (const char *protocol : {"--http2", "--http1.1"}) {
        QProcess process;
        QStringList arguments {QString::fromLatin1(protocol),
                               QStringLiteral("--silent"),
                               QStringLiteral("--show-error"),
                               QStringLiteral("--cacert"),
                               ca.fileName(),
                               QStringLiteral("--write-out"),
                               QStringLiteral("%{num_connects} %{http_version} %{http_code}\\n")};
        for (int i = 0; i < 3; ++i)
            arguments << QStringLiteral("--output") << QStringLiteral("/dev/null") << url;
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(curl, arguments);
        QVERIFY(finished.wait(20'000)); // keeps the event loop, and so the simulator, running
        QCOMPARE(process.exitCode(), 0);
        const QString version =
            QLatin1String(protocol) == QLatin1String("--http2") ? QStringLiteral("2") : QStringLiteral("1.1");
        const QStringList lines =
            QString::fromUtf8(process.readAllStandardOutput()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(
            lines,
            (QStringList {QStringLiteral("1 %1 200").arg(version), QStringLiteral("0 %1 200").arg(version),
                          QStringLiteral("0 %1 200").arg(version)}));
    }
    QCOMPARE(f.exsim->server(SimExchange::Bitunix)->acceptedConnections(), 2);
}

void tst_Exsim::commandLine()
{
    QProcess exsim;
    exsim.start(QStringLiteral(EXSIM_BINARY),
                {QStringLiteral("--commands"), QStringLiteral("--rtt"), QStringLiteral("0"),
                 QStringLiteral("--fault"), QStringLiteral("hyperliquid/500")});
    QVERIFY(exsim.waitForStarted());
    QVERIFY(QTest::qWaitFor([&] { return exsim.canReadLine(); }, 20'000));
    const QJsonObject line = QJsonDocument::fromJson(exsim.readLine()).object();
    for (const char *key :
         {"bitunix", "hyperliquid", "caFile", "bitunixApiKey", "bitunixApiSecret", "hyperliquidAddress"})
        QVERIFY2(!line.value(QLatin1String(key)).toString().isEmpty(), key);

    const QString caFile = line.value(QStringLiteral("caFile")).toString();
    QVERIFY(QFile::exists(caFile));
    HttpClient client;
    const QList<QSslCertificate> ca = QSslCertificate::fromPath(caFile);
    QCOMPARE(ca.size(), 1);
    const QUrl bitunixUrl(line.value(QStringLiteral("bitunix")).toString());
    const QUrl hyperliquidUrl(line.value(QStringLiteral("hyperliquid")).toString());
    QVERIFY(bitunixUrl.port() != hyperliquidUrl.port());
    client.setCaCertificates(bitunixUrl, ca);
    client.setCaCertificates(hyperliquidUrl, ca);

    HttpRequest tickers;
    tickers.url = bitunixUrl.resolved(QUrl(QStringLiteral("/api/v1/futures/market/tickers")));
    QVERIFY(call(&client, tickers).ok());
    HttpRequest info;
    info.method = "POST";
    info.url = hyperliquidUrl.resolved(QUrl(QStringLiteral("/info")));
    info.headers = {{"Content-Type", "application/json"}};
    info.body = R"({"type":"allMids"})";
    QCOMPARE(call(&client, info).sample.httpStatus, 500); // --fault hyperliquid/500
    // Faults switch at run time too.
    HttpRequest control = info;
    control.url = hyperliquidUrl.resolved(QUrl(QStringLiteral("/exsim/fault")));
    control.body = "none";
    QCOMPARE(call(&client, control).sample.httpStatus, 200);
    QCOMPARE(call(&client, info).sample.httpStatus, 200);
    // The market too: one asset's price, held where it is put.
    HttpRequest price = control;
    price.url = hyperliquidUrl.resolved(QUrl(QStringLiteral("/exsim/price")));
    price.body = "ETH 2000";
    QCOMPARE(call(&client, price).sample.httpStatus, 200);
    const double mid = QJsonDocument::fromJson(call(&client, info).body)
                           .object()
                           .value(QStringLiteral("ETH"))
                           .toString()
                           .toDouble();
    QVERIFY2(mid > 1990 && mid < 2010, qPrintable(QString::number(mid))); // within the basis
    for (const QByteArray body : {"ETH -5", "NOPE 10", "ETH", "ETH nothing"}) {
        price.body = body;
        QCOMPARE(call(&client, price).sample.httpStatus, 400);
    }
    // And the round trip and prices, from standard input.
    exsim.write("rtt 5\nrtt fast\nprice BTC 12345\nprice BTC release\nprice NOPE 1\n");
    QByteArray said;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     said += exsim.readAllStandardError();
                     return said.contains("exsim: rtt 5 ms")
                         && said.contains("not a command (rtt MS, price BASE PRICE|release): rtt fast")
                         && said.contains("exsim: price BTC 12345")
                         && said.contains("exsim: price BTC release")
                         && said.contains("not a command (rtt MS, price BASE PRICE|release): price NOPE 1");
                 },
                 20'000),
             said.constData());

    // The end of its input is its parent's end: it quits, and removes its CA file.
    exsim.closeWriteChannel();
    QVERIFY(exsim.waitForFinished(10'000));
    QCOMPARE(exsim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(exsim.exitCode(), 0);
    QVERIFY(!QFile::exists(caFile));
}

void tst_Exsim::takenPortIsAClearError()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    QProcess exsim;
    exsim.start(QStringLiteral(EXSIM_BINARY),
                {QStringLiteral("--bitunix-port"), QString::number(squatter.serverPort())});
    QVERIFY(exsim.waitForFinished(20'000));
    QCOMPARE(exsim.exitCode(), 2);
    const QString error = QString::fromUtf8(exsim.readAllStandardError());
    QVERIFY2(error.contains(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(squatter.serverPort())),
             qPrintable(error));
    QVERIFY(exsim.readAllStandardOutput().isEmpty());
}

void tst_Exsim::processStarter()
{
    DemoConfig config;
    config.rttMs = 0;
    QString error;
    const std::unique_ptr<DemoExchanges> exsim =
        exsimProcessStarter(QStringLiteral(EXSIM_BINARY))(config, &error);
    QVERIFY2(exsim, qPrintable(error));
    const DemoEndpoints endpoints = exsim->endpoints();
    QVERIFY(!endpoints.ca.isNull());
    QVERIFY(!endpoints.bitunixApiSecret.isEmpty());
    QCOMPARE(exsim->cpuMs(), 0.0); // another process's CPU is never this one's
    HttpClient client;
    client.setCaCertificates(endpoints.hyperliquid, {endpoints.ca});
    HttpRequest info;
    info.method = "POST";
    info.url = endpoints.hyperliquid.resolved(QUrl(QStringLiteral("/info")));
    info.headers = {{"Content-Type", "application/json"}};
    info.body = R"({"type":"allMids"})";
    QCOMPARE(call(&client, info).sample.httpStatus, 200);
    exsim->setRttMs(1);
    QCOMPARE(call(&client, info).sample.httpStatus, 200);
}

void tst_Exsim::processStarterSaysWhatWentWrong_data()
{
    QTest::addColumn<QString>("binary");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing") << QStringLiteral("/nonexistent/exsim")
                             << QStringLiteral("(/nonexistent/exsim)");
    QTest::newRow("exits at once") << QStringLiteral("/bin/false")
                                   << QStringLiteral("exited with code 1 before printing its endpoints");
    QTest::newRow("says something else")
        << QStringLiteral("/bin/echo") << QStringLiteral("its first line is not the description");
}

void tst_Exsim::processStarterSaysWhatWentWrong()
{
    QFETCH(QString, binary);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!exsimProcessStarter(binary)(DemoConfig(), &error));
    QVERIFY2(error.startsWith(QLatin1String("exsim (")) && error.contains(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_Exsim)
#include "tst_exsim.moc"
