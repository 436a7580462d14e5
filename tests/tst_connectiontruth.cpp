// Every request's connection kind, held against what the server saw (x-exsim-connection), in bursts and
// back-to-back cycles, both arms, HTTP/1.1 and HTTP/2, with and without a round trip.
#include "net/httpclient.h"
#include "net/steadyclock.h"
#include "printers.h"
#include "sim/connectiontruth.h"
#include "sim/httpsserver.h"
#include "sim/wanlink.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

class tst_ConnectionTruth : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesTheServerTag_data();
    void parsesTheServerTag();
    void judgesOnlyWhatTheServerProves_data();
    void judgesOnlyWhatTheServerProves();
    void everyRequestMatchesTheServer_data();
    void everyRequestMatchesTheServer();

private:
    DemoCertificates m_certificates;
};

void tst_ConnectionTruth::initTestCase()
{
    QString error;
    m_certificates = DemoCertificates::generate(QStringLiteral("exdash test CA"), 1, &error);
    QVERIFY2(!m_certificates.isNull(), qPrintable(error));
}

void tst_ConnectionTruth::parsesTheServerTag_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("id");
    QTest::addColumn<int>("ordinal");
    QTest::addColumn<qint64>("acceptedNs");
    QTest::newRow("first") << QByteArray("17/1; accepted=123456789") << true << 17 << 1 << qint64(123456789);
    QTest::newRow("later") << QByteArray("3/12; accepted=5") << true << 3 << 12 << qint64(5);
    QTest::newRow("absent") << QByteArray() << false << 0 << 0 << qint64(0);
    QTest::newRow("no ordinal") << QByteArray("17; accepted=5") << false << 0 << 0 << qint64(0);
    QTest::newRow("no time") << QByteArray("17/1") << false << 0 << 0 << qint64(0);
    QTest::newRow("zero ordinal") << QByteArray("17/0; accepted=5") << false << 0 << 0 << qint64(0);
    QTest::newRow("words") << QByteArray("a/b; accepted=c") << false << 0 << 0 << qint64(0);
}

void tst_ConnectionTruth::parsesTheServerTag()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, valid);
    const std::optional<ServerConnection> parsed = ServerConnection::parse(header);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    QFETCH(int, id);
    QFETCH(int, ordinal);
    QFETCH(qint64, acceptedNs);
    QCOMPARE(parsed->id, id);
    QCOMPARE(parsed->ordinal, ordinal);
    QCOMPARE(parsed->acceptedNs, acceptedNs);
}

void tst_ConnectionTruth::judgesOnlyWhatTheServerProves_data()
{
    QTest::addColumn<ReuseMode>("arm");
    QTest::addColumn<ConnectionKind>("kind");
    QTest::addColumn<int>("ordinal");
    QTest::addColumn<bool>("acceptedAfter"); // the server accepted the connection after the request was made
    QTest::addColumn<TruthCheck::Verdict>("verdict");
    QTest::addColumn<HttpProtocol>("protocol");

    using V = TruthCheck::Verdict;
    QTest::newRow("new, first on a connection opened for it")
        << ReuseMode::Pooled << ConnectionKind::New << 1 << true << V::Consistent << HttpProtocol::Http1;
    QTest::newRow("new, on a connection already in use")
        << ReuseMode::Pooled << ConnectionKind::New << 2 << false << V::Misclassified << HttpProtocol::Http1;
    QTest::newRow("new, first on a connection opened before (waited for its handshake)")
        << ReuseMode::Pooled << ConnectionKind::New << 1 << false << V::Consistent << HttpProtocol::Http1;
    QTest::newRow("reused, on a connection opened for it") << ReuseMode::Pooled << ConnectionKind::Reused << 1
                                                           << true << V::Misclassified << HttpProtocol::Http1;
    QTest::newRow("reused, a connection opened before and idle")
        << ReuseMode::Pooled << ConnectionKind::Reused << 1 << false << V::Consistent << HttpProtocol::Http1;
    QTest::newRow("reused, a connection in use")
        << ReuseMode::Pooled << ConnectionKind::Reused << 5 << false << V::Consistent << HttpProtocol::Http1;
    QTest::newRow("queued, an older connection")
        << ReuseMode::Pooled << ConnectionKind::Queued << 2 << false << V::Consistent << HttpProtocol::Http1;
    QTest::newRow("shared, a new h2 connection")
        << ReuseMode::Pooled << ConnectionKind::Shared << 3 << true << V::Consistent << HttpProtocol::Http2;
    QTest::newRow("h2 new, the second stream on a connection opened meanwhile")
        << ReuseMode::Pooled << ConnectionKind::New << 2 << true << V::Consistent << HttpProtocol::Http2;
    QTest::newRow("h2 new, a stream on a connection opened before")
        << ReuseMode::Pooled << ConnectionKind::New << 2 << false << V::Misclassified << HttpProtocol::Http2;
    QTest::newRow("unknown") << ReuseMode::Pooled << ConnectionKind::Unknown << 1 << true << V::Consistent
                             << HttpProtocol::Http1;
    QTest::newRow("no reuse, opened for it")
        << ReuseMode::NoReuse << ConnectionKind::New << 1 << true << V::Consistent << HttpProtocol::Http1;
    QTest::newRow("no reuse on a spare") << ReuseMode::NoReuse << ConnectionKind::Reused << 1 << false
                                         << V::NotOpenedForIt << HttpProtocol::Http1;
    QTest::newRow("no reuse, new on a spare still connecting")
        << ReuseMode::NoReuse << ConnectionKind::New << 1 << false << V::NotOpenedForIt
        << HttpProtocol::Http1;
}

void tst_ConnectionTruth::judgesOnlyWhatTheServerProves()
{
    QFETCH(ReuseMode, arm);
    QFETCH(ConnectionKind, kind);
    QFETCH(int, ordinal);
    QFETCH(bool, acceptedAfter);
    QFETCH(TruthCheck::Verdict, verdict);
    QFETCH(HttpProtocol, protocol);
    RequestSample s;
    s.reuse = arm;
    s.protocol = protocol;
    s.connection = kind;
    s.startedAtSteadyNs = 1'000'000;
    const qint64 accepted = acceptedAfter ? 1'000'001 : 999'999;
    s.serverConnection = "7/" + QByteArray::number(ordinal) + "; accepted=" + QByteArray::number(accepted);
    const TruthCheck check = checkAgainstServer(s);
    QCOMPARE(int(check.verdict), int(verdict));
    QVERIFY(check.reason.contains(QLatin1String("connection 7")));

    s.serverConnection.clear();
    QCOMPARE(int(checkAgainstServer(s).verdict), int(TruthCheck::Verdict::NoTruth));
}

void tst_ConnectionTruth::everyRequestMatchesTheServer_data()
{
    QTest::addColumn<bool>("serverHttp2");
    QTest::addColumn<bool>("clientHttp2");
    QTest::addColumn<ReuseMode>("mode");
    QTest::addColumn<int>("rttMs");
    QTest::addColumn<bool>("keepAliveRace");
    for (bool serverHttp2 : {false, true}) {
        for (bool clientHttp2 : {false, true}) {
            if (serverHttp2 && !clientHttp2)
                continue; // the same as a server without h2
            for (ReuseMode mode : {ReuseMode::Pooled, ReuseMode::NoReuse, ReuseMode::Interleaved}) {
                for (int rtt : {0, 20}) {
                    for (bool race : {false, true}) {
                        if (race && mode == ReuseMode::NoReuse)
                            continue; // never reuses, so never races
                        QTest::addRow("server %s, client %s, %s, rtt %d%s", serverHttp2 ? "h2" : "http/1.1",
                                      clientHttp2 ? "h2 allowed" : "http/1.1", qPrintable(nameOf(mode)), rtt,
                                      race ? ", keep-alive race" : "")
                            << serverHttp2 << clientHttp2 << mode << rtt << race;
                    }
                }
            }
        }
    }
}

// Back-to-back cycles of bursts of 1 to 6 concurrent requests: where Qt opens more sockets than a burst
// needs, where a burst finds a connection still connecting, where the arms alternate; with the keep-alive
// race, every third request that arrives on a used connection finds it closed (Qt resends it over HTTP/1.1,
// the client over HTTP/2). Every sample is checked on its own, not only in sums.
void tst_ConnectionTruth::everyRequestMatchesTheServer()
{
    QFETCH(bool, serverHttp2);
    QFETCH(bool, clientHttp2);
    QFETCH(ReuseMode, mode);
    QFETCH(int, rttMs);
    QFETCH(bool, keepAliveRace);
    int handled = 0;
    HttpsServer server(m_certificates, [&](const SimRequest &request) {
        SimResponse response = SimResponse::json("{}");
        if (request.path() == "/slow")
            response.delayMs = 5;
        if (keepAliveRace && ++handled % 3 == 0)
            response.action = SimResponse::Action::DropIfReused;
        return response;
    });
    server.setHttp2Enabled(serverHttp2);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    WanLink link;
    QVERIFY2(link.listen(server.port()), qPrintable(link.errorString()));
    link.setRttMs(rttMs);
    const QUrl origin(QStringLiteral("https://127.0.0.1:%1").arg(link.port()));
    HttpClient client;
    client.setCaCertificates(origin, {m_certificates.ca});
    client.setReuseMode(mode);
    QSignalSpy samples(&client, &HttpClient::sampleReady);

    constexpr int cycles = 24;
    int sent = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        client.beginCycle();
        const int burst = 6 - cycle % 6;
        for (int i = 0; i < burst; ++i) {
            HttpRequest request;
            request.exchange = QStringLiteral("test");
            request.endpoint = QStringLiteral("burst");
            request.url = origin.resolved(QUrl(i % 2 ? QStringLiteral("/slow") : QStringLiteral("/json")));
            request.allowHttp2 = clientHttp2;
            client.send(request);
        }
        sent += burst;
        while (samples.count() < sent) // the server shares this thread: wait in an event loop, never asleep
            QVERIFY(samples.wait(30'000));
    }

    int reported = 0;
    QMap<QString, int> verdicts;
    for (const QList<QVariant> &args : std::as_const(samples)) {
        const auto s = args.first().value<RequestSample>();
        QVERIFY2(s.ok(), qPrintable(s.errorText));
        reported += s.connectionsOpened;
        const TruthCheck check = checkAgainstServer(s);
        QVERIFY2(check.verdict != TruthCheck::Verdict::NoTruth, "every answer carries the server's tag");
        QVERIFY2(
            check.verdict != TruthCheck::Verdict::Misclassified,
            qPrintable(QStringLiteral("request %1 (%2): %3").arg(s.id).arg(nameOf(s.reuse), check.reason)));
        QVERIFY2(check.verdict != TruthCheck::Verdict::NotOpenedForIt,
                 qPrintable(QStringLiteral("no-reuse request %1 did not get a connection of its own: %2")
                                .arg(s.id)
                                .arg(check.reason)));
        if (s.reuse == ReuseMode::NoReuse)
            QVERIFY2(s.connection == ConnectionKind::New || s.connection == ConnectionKind::Unknown,
                     qPrintable(check.reason));
        ++verdicts[nameOf(s.reuse) + QLatin1Char(' ') + nameOf(s.connection)];
    }
    // Connections reported are connections the server accepted (some may reach it only as the pool closes).
    // Qt's resend after a race goes out on a socket it announces to nobody; the client counts it from its
    // handshake, unless a socket Qt opened for nobody is pending in the same pool then: at most one
    // connection per race can go uncounted.
    QTRY_VERIFY2_WITH_TIMEOUT(server.acceptedConnections() >= reported
                                  && server.acceptedConnections() - server.racedConnections() <= reported,
                              qPrintable(QStringLiteral("accepted %1, raced %2, reported %3")
                                             .arg(server.acceptedConnections())
                                             .arg(server.racedConnections())
                                             .arg(reported)),
                              10'000);
    if (!keepAliveRace)
        QCOMPARE(server.acceptedConnections(), reported);
    QString summary;
    for (auto it = verdicts.cbegin(); it != verdicts.cend(); ++it)
        summary += QStringLiteral("%1 %2, ").arg(it.key()).arg(it.value());
    qInfo("%d requests, %d connections: %s", sent, reported, qPrintable(summary));
}

QTEST_GUILESS_MAIN(tst_ConnectionTruth)
#include "tst_connectiontruth.moc"
