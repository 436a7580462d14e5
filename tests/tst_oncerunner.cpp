#include "cli/oncerunner.h"
#include "liveexsim.h"
#include "sim/bitunixsim.h"
#include "sim/exsim.h"
#include "sim/httpsserver.h"
#include "sim/hyperliquidsim.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <cmath>

// `exdash --once`: OnceRunner in demo mode and in live mode against an in-process exsim, and the executable.
class tst_OnceRunner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void demoRefreshesEverything();
    void liveWithoutCredentialsReportsThem();
    void alertsOfOneRefresh();
    void liveWaitsForRequestsOutsideTheRefresher();
    void setupErrors_data();
    void setupErrors();
    void executableJson();
    void executableRejectsBadArguments_data();
    void executableRejectsBadArguments();
    void commandLine_data();
    void commandLine();
    void startupReport();

private:
    static QSet<QString> endpoints(const QJsonArray &requests, const QString &exchange);
    static void verifyRequest(const QJsonObject &request);
    QProcessEnvironment processEnvironment() const;

    QTemporaryDir m_home; // the executable's settings go here, not to the user's
};

void tst_OnceRunner::initTestCase()
{
    QVERIFY(m_home.isValid());
}

QSet<QString> tst_OnceRunner::endpoints(const QJsonArray &requests, const QString &exchange)
{
    QSet<QString> result;
    for (const QJsonValue &v : requests) {
        if (v[QLatin1String("exchange")].toString() == exchange)
            result.insert(v[QLatin1String("endpoint")].toString());
    }
    return result;
}

void tst_OnceRunner::verifyRequest(const QJsonObject &r)
{
    const QByteArray what = QJsonDocument(r).toJson(QJsonDocument::Compact);
    QVERIFY2(r.value(QLatin1String("reused")).isBool(), what.constData());
    QVERIFY2(r.value(QLatin1String("http2")).isBool(), what.constData());
    QVERIFY2(r.value(QLatin1String("status")).isDouble(), what.constData());
    QVERIFY2(r.value(QLatin1String("totalMs")).isDouble(), what.constData());
    QVERIFY2(r.value(QLatin1String("phases")).isObject(), what.constData());
    const QJsonObject phases = r.value(QLatin1String("phases")).toObject();
    double sum = 0;
    for (const char *phase : {"queueMs", "connectMs", "waitMs", "downloadMs"}) {
        QVERIFY2(phases.value(QLatin1String(phase)).isDouble(), phase);
        QVERIFY2(phases.value(QLatin1String(phase)).toDouble() >= 0, what.constData());
        sum += phases.value(QLatin1String(phase)).toDouble();
    }
    const double total = r.value(QLatin1String("totalMs")).toDouble();
    QVERIFY2(total > 0, what.constData());
    QVERIFY2(std::abs(sum - total) <= 1e-9 * std::max(1.0, total), what.constData());
    // A reused connection has no connect+TLS phase.
    if (r.value(QLatin1String("reused")).toBool())
        QVERIFY2(phases.value(QLatin1String("connectMs")).toDouble() == 0, what.constData());
}

void tst_OnceRunner::alertsOfOneRefresh()
{
    // The demo: no alert, and the positions the liquidation rule cannot judge, named.
    SessionConfig demo;
    demo.exsim.rttMs = 0;
    OnceRunner runner;
    QJsonObject document;
    QCOMPARE(runner.run(demo, &document, 20'000), 0);
    QCOMPARE(document.value(QLatin1String("alerts")).toArray(), QJsonArray());
    const QJsonArray notJudged = document.value(QLatin1String("positionsNotJudged")).toArray();
    QVERIFY2(notJudged.contains(QStringLiteral(
                 "BX BTCUSDT long: cross margin, no liquidation price (the whole account backs it)")),
             QJsonDocument(notJudged).toJson().constData());

    // Refused credentials: an open alert, critical, without the secret.
    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    QCOMPARE(runner.run(live.configWithCredentials("not the secret"), &document, 20'000), 2);
    const QJsonArray alerts = document.value(QLatin1String("alerts")).toArray();
    QCOMPARE(alerts.size(), 1);
    const QJsonObject alert = alerts.first().toObject();
    QCOMPARE(alert.value(QLatin1String("kind")).toString(), QStringLiteral("exchange"));
    QCOMPARE(alert.value(QLatin1String("subject")).toString(), QStringLiteral("bitunix"));
    QCOMPARE(alert.value(QLatin1String("severity")).toString(), QStringLiteral("critical"));
    QCOMPARE(alert.value(QLatin1String("summary")).toString(),
             QStringLiteral("Bitunix refuses the credentials"));
    QVERIFY(alert.value(QLatin1String("resolvedAt")).isNull());
    QVERIFY(!QJsonDocument(document).toJson().contains("not the secret"));
    QVERIFY(OnceRunner::summary(document).contains(
        QStringLiteral("Alert (critical): Bitunix refuses the credentials")));
}

void tst_OnceRunner::demoRefreshesEverything()
{
    SessionConfig config;
    config.demo = true;
    config.exsim.rttMs = 0;
    OnceRunner runner;
    QJsonObject document;
    const int code = runner.run(config, &document, 20'000);
    const QJsonArray errors = document.value(QLatin1String("errors")).toArray();
    QVERIFY2(errors.isEmpty(), QJsonDocument(errors).toJson().constData());
    QCOMPARE(code, 0);
    QCOMPARE(document.value(QLatin1String("mode")).toString(), QStringLiteral("demo"));

    int tickers[2] = {0, 0};
    for (const QJsonValue &t : document.value(QLatin1String("tickers")).toArray()) {
        const bool bitunix = t[QLatin1String("exchange")].toString() == QLatin1String("bitunix");
        ++tickers[bitunix ? 0 : 1];
        QVERIFY(!t[QLatin1String("symbol")].toString().isEmpty());
        QVERIFY(t[QLatin1String("mark")].isDouble());
        QVERIFY(t[QLatin1String("last")].isDouble());
        // The stats of one refresh are in too, whichever answer came first: funding on every row of both.
        QVERIFY2(t[QLatin1String("funding")].isDouble(), QJsonDocument(t.toObject()).toJson().constData());
    }
    QVERIFY2(tickers[0] >= 20, qPrintable(QString::number(tickers[0])));
    QVERIFY2(tickers[1] >= 20, qPrintable(QString::number(tickers[1])));

    const QJsonArray positions = document.value(QLatin1String("positions")).toArray();
    QCOMPARE(positions.size(), 8);
    int perExchange[2] = {0, 0};
    for (const QJsonValue &p : positions) {
        ++perExchange[p[QLatin1String("exchange")].toString() == QLatin1String("bitunix") ? 0 : 1];
        // Bitunix marks are joined from its tickers: the document keeps the joined emission.
        QVERIFY2(p[QLatin1String("markPrice")].isDouble(), QJsonDocument(p.toObject()).toJson().constData());
        QVERIFY(p[QLatin1String("size")].toDouble() > 0);
    }
    QCOMPARE(perExchange[0], 4);
    QCOMPARE(perExchange[1], 4);

    const QJsonArray accounts = document.value(QLatin1String("accounts")).toArray();
    QCOMPARE(accounts.size(), 2);
    QSet<QString> accountExchanges;
    for (const QJsonValue &a : accounts) {
        accountExchanges.insert(a[QLatin1String("exchange")].toString());
        QVERIFY(a[QLatin1String("equity")].toDouble() > 0);
    }
    QCOMPARE(accountExchanges, (QSet<QString> {"bitunix", "hyperliquid"}));

    // One entry per request, and every request of a full refresh is there, once.
    const QJsonArray requests = document.value(QLatin1String("requests")).toArray();
    QCOMPARE(requests.size(), 9);
    QCOMPARE(endpoints(requests, QStringLiteral("bitunix")),
             (QSet<QString> {"trading_pairs", "tickers", "funding_rate", "positions", "account"}));
    QCOMPARE(endpoints(requests, QStringLiteral("hyperliquid")),
             (QSet<QString> {"allMids", "metaAndAssetCtxs", "clearinghouseState", "spotClearinghouseState"}));
    for (const QJsonValue &r : requests) {
        verifyRequest(r.toObject());
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(r[QLatin1String("status")].toInt(), 200);
        QVERIFY(!r.toObject().contains(QLatin1String("error")));
    }
    QVERIFY(!OnceRunner::summary(document).isEmpty());
}

void tst_OnceRunner::liveWithoutCredentialsReportsThem()
{
    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    const SessionConfig config = live.config();
    OnceRunner runner;
    QJsonObject document;
    const int code = runner.run(config, &document, 20'000);
    QCOMPARE(code, 2);
    QCOMPARE(document.value(QLatin1String("mode")).toString(), QStringLiteral("live"));

    QSet<QString> missing;
    for (const QJsonValue &e : document.value(QLatin1String("errors")).toArray()) {
        QCOMPARE(e[QLatin1String("kind")].toString(), QStringLiteral("no-credentials"));
        QVERIFY(!e[QLatin1String("message")].toString().isEmpty());
        missing.insert(e[QLatin1String("exchange")].toString() + QLatin1Char('/')
                       + e[QLatin1String("data")].toString());
    }
    QCOMPARE(missing,
             (QSet<QString> {"bitunix/positions", "bitunix/account", "hyperliquid/positions",
                             "hyperliquid/account"}));
    QCOMPARE(document.value(QLatin1String("errors")).toArray().size(), 4);

    // Public data still came, from both, and nothing private was asked for.
    QSet<QString> tickerExchanges;
    for (const QJsonValue &t : document.value(QLatin1String("tickers")).toArray())
        tickerExchanges.insert(t[QLatin1String("exchange")].toString());
    QCOMPARE(tickerExchanges, (QSet<QString> {"bitunix", "hyperliquid"}));
    QVERIFY(document.value(QLatin1String("positions")).toArray().isEmpty());
    QVERIFY(document.value(QLatin1String("accounts")).toArray().isEmpty());
    const QJsonArray requests = document.value(QLatin1String("requests")).toArray();
    QCOMPARE(endpoints(requests, QStringLiteral("bitunix")),
             (QSet<QString> {"trading_pairs", "tickers", "funding_rate"}));
    QCOMPARE(endpoints(requests, QStringLiteral("hyperliquid")),
             (QSet<QString> {"allMids", "metaAndAssetCtxs"}));
    QCOMPARE(requests.size(), 5);
    for (const QJsonValue &r : requests) {
        verifyRequest(r.toObject());
        if (QTest::currentTestFailed())
            return;
    }
}

void tst_OnceRunner::liveWaitsForRequestsOutsideTheRefresher()
{
    // trading_pairs goes out beside the refresher's calls and answers last here: the document is only
    // complete once it is in. And Hyperliquid's contexts answer after its mids, whose tickers wait for them:
    // the document has them all the same.
    SimMarket market(5);
    const QString address = QStringLiteral("0x00000000000000000000000000000000000000c3");
    BitunixSim bitunix(&market, "tst-key", "tst-secret");
    HyperliquidSim hyperliquid(&market, address);
    QString error;
    const DemoCertificates certificates =
        DemoCertificates::generate(QStringLiteral("tst_oncerunner CA"), 1, &error);
    QVERIFY2(!certificates.isNull(), qPrintable(error));
    constexpr int lateMs = 300;
    HttpsServer bitunixServer(certificates, [&](const SimRequest &request) {
        SimResponse response = bitunix.handle(request, QDateTime::currentMSecsSinceEpoch());
        if (request.path().endsWith("/trading_pairs"))
            response.delayMs = lateMs;
        return response;
    });
    QList<QByteArray> hyperliquidBodies;
    HttpsServer hyperliquidServer(certificates, [&](const SimRequest &request) {
        hyperliquidBodies.append(request.body);
        SimResponse response = hyperliquid.handle(request, QDateTime::currentMSecsSinceEpoch());
        if (request.body.contains("\"metaAndAssetCtxs\""))
            response.delayMs = lateMs;
        return response;
    });
    QVERIFY(bitunixServer.listen() && hyperliquidServer.listen());
    QTemporaryFile ca;
    QVERIFY(ca.open());
    ca.write(certificates.caPem);
    ca.flush();

    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = bitunixServer.origin();
    config.hyperliquidUrl = hyperliquidServer.origin();
    config.caFile = ca.fileName();
    config.bitunix = {"tst-key", "tst-secret", QStringLiteral("environment")};
    config.hyperliquidAddress = address;
    OnceRunner runner;
    QJsonObject document;
    const int code = runner.run(config, &document, 20'000);
    const QJsonArray errors = document.value(QLatin1String("errors")).toArray();
    QVERIFY2(errors.isEmpty(), QJsonDocument(errors).toJson().constData());
    QCOMPARE(code, 0);
    const QJsonArray requests = document.value(QLatin1String("requests")).toArray();
    QCOMPARE(endpoints(requests, QStringLiteral("bitunix")),
             (QSet<QString> {"trading_pairs", "tickers", "funding_rate", "positions", "account"}));
    QCOMPARE(endpoints(requests, QStringLiteral("hyperliquid")),
             (QSet<QString> {"allMids", "metaAndAssetCtxs", "clearinghouseState", "spotClearinghouseState"}));
    QCOMPARE(requests.size(), 9);
    QCOMPARE(hyperliquidBodies.size(), 4);
    for (const QByteArray &body : std::as_const(hyperliquidBodies))
        QVERIFY2(!body.contains("spotMeta"), body.constData()); // USDC is token 0: no spotMeta needed
    QCOMPARE(document.value(QLatin1String("positions")).toArray().size(), 8);
    QCOMPARE(document.value(QLatin1String("accounts")).toArray().size(), 2);
    int hyperliquidTickers = 0;
    for (const QJsonValue &t : document.value(QLatin1String("tickers")).toArray()) {
        if (t[QLatin1String("exchange")].toString() != QLatin1String("hyperliquid"))
            continue;
        ++hyperliquidTickers;
        QVERIFY(t[QLatin1String("last")].isDouble() && t[QLatin1String("funding")].isDouble());
    }
    QVERIFY2(hyperliquidTickers >= 20, qPrintable(QString::number(hyperliquidTickers)));
}

void tst_OnceRunner::setupErrors_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("missing CA file") << QStringLiteral("no-such-ca.pem") << QString()
                                     << QStringLiteral("no-such-ca.pem");
    QTest::newRow("invalid address") << QString() << QStringLiteral("0x123") << QStringLiteral("0x123");
}

void tst_OnceRunner::setupErrors()
{
    QFETCH(QString, caFile);
    QFETCH(QString, address);
    QFETCH(QString, messagePart);
    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = QUrl(QStringLiteral("https://127.0.0.1:1"));
    config.hyperliquidUrl = QUrl(QStringLiteral("https://127.0.0.1:2"));
    if (!caFile.isEmpty())
        config.caFile = m_home.filePath(caFile);
    config.hyperliquidAddress = address;
    OnceRunner runner;
    QJsonObject document;
    QCOMPARE(runner.run(config, &document, 20'000), 2);
    const QJsonArray errors = document.value(QLatin1String("errors")).toArray();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first()[QLatin1String("kind")].toString(), QStringLiteral("setup"));
    QVERIFY2(errors.first()[QLatin1String("message")].toString().contains(messagePart),
             qPrintable(errors.first()[QLatin1String("message")].toString()));
}

QProcessEnvironment tst_OnceRunner::processEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path());
    environment.insert(QStringLiteral("HOME"), m_home.path());
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const char *name : {"BITUNIX_API_KEY", "BITUNIX_API_SECRET", "HYPERLIQUID_ADDRESS"})
        environment.remove(QLatin1String(name));
    return environment;
}

void tst_OnceRunner::executableJson()
{
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--once"), QStringLiteral("--json"), QStringLiteral("--demo"),
                  QStringLiteral("--rtt"), QStringLiteral("0")});
    QVERIFY(finished.wait(60'000));
    const QByteArray out = exdash.readAllStandardOutput();
    const QByteArray err = exdash.readAllStandardError();
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() == 0, (out + err).constData());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(out, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QVERIFY(document.isObject());
    QStringList keys = document.object().keys();
    keys.sort();
    QCOMPARE(keys,
             (QStringList {"accounts", "alerts", "errors", "mode", "positions", "positionsNotJudged",
                           "requests", "tickers"}));
    QCOMPARE(document[QLatin1String("mode")].toString(), QStringLiteral("demo"));
    QVERIFY(document[QLatin1String("errors")].toArray().isEmpty());
    QCOMPARE(document[QLatin1String("positions")].toArray().size(), 8);
    QCOMPARE(document[QLatin1String("accounts")].toArray().size(), 2);
    QVERIFY(document[QLatin1String("tickers")].toArray().size() >= 40);
    QCOMPARE(document[QLatin1String("requests")].toArray().size(), 9);
}

void tst_OnceRunner::executableRejectsBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("http bitunix URL")
        << QStringList {"--bitunix-url", "http://x"} << QStringLiteral("--bitunix-url");
    QTest::newRow("http hyperliquid URL")
        << QStringList {"--hyperliquid-url", "http://x"} << QStringLiteral("--hyperliquid-url");
    QTest::newRow("URL without host")
        << QStringList {"--bitunix-url", "https://"} << QStringLiteral("--bitunix-url");
    QTest::newRow("rtt not a number") << QStringList {"--rtt", "fast"} << QStringLiteral("--rtt");
    QTest::newRow("unknown reuse mode") << QStringList {"--reuse", "sometimes"} << QStringLiteral("--reuse");
}

void tst_OnceRunner::executableRejectsBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, messagePart);
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY), QStringList {"--once", "--json"} + arguments);
    QVERIFY(finished.wait(60'000));
    const QString err = QString::fromUtf8(exdash.readAllStandardError());
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() != 0, qPrintable(err));
    QVERIFY2(err.startsWith(QLatin1String("exdash: ")) && err.contains(messagePart), qPrintable(err));
    QVERIFY(exdash.readAllStandardOutput().isEmpty()); // no half document
}

void tst_OnceRunner::commandLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("display"); // offscreen, else the xcb platform with no X server to reach
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stdoutPart");
    QTest::addColumn<QString>("stderrPart");
    // Help, version and a bad option are answered without a display, whatever else the line says.
    QTest::newRow("help") << QStringList {"--help"} << false << 0 << QStringLiteral("--bench") << QString();
    QTest::newRow("help-all") << QStringList {"--help-all", "--rtt", "5"} << false << 0
                              << QStringLiteral("--palette") << QString();
    QTest::newRow("version") << QStringList {"-v"} << false << 0 << QStringLiteral("exdash 0.") << QString();
    QTest::newRow("unknown option") << QStringList {"--bogus"} << false << 1 << QString()
                                    << QStringLiteral("exdash: Unknown option 'bogus'");
    QTest::newRow("value missing") << QStringList {"--palette"} << false << 1 << QString()
                                   << QStringLiteral("Missing value after '--palette'");
    // The window's path checks its options with the same rules as --once.
    QTest::newRow("window, bad rtt") << QStringList {"--rtt", "fast"} << true << 64 << QString()
                                     << QStringLiteral("exdash: --rtt must be");
    // Qt's own options are left to QApplication, which takes them out of the command line.
    QTest::newRow("window, Qt's options")
        << QStringList {"-style", "fusion", "--reverse", "--rtt", "x"} << true << 64 << QString()
        << QStringLiteral("exdash: --rtt must be");
    QTest::newRow("window, Qt's platform") << QStringList {"-platform", "offscreen", "--rtt", "x"} << false
                                           << 64 << QString() << QStringLiteral("exdash: --rtt must be");
    QTest::newRow("window, bad share") << QStringList {"--share", "500"} << true << 64 << QString()
                                       << QStringLiteral("exdash: --share must be");
}

void tst_OnceRunner::commandLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, display);
    QFETCH(int, exitCode);
    QFETCH(QString, stdoutPart);
    QFETCH(QString, stderrPart);
    QProcessEnvironment environment = processEnvironment();
    if (!display) {
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        environment.remove(QStringLiteral("DISPLAY"));
        environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    }
    QProcess exdash;
    exdash.setProcessEnvironment(environment);
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY), arguments);
    QVERIFY(finished.wait(60'000));
    const QString out = QString::fromUtf8(exdash.readAllStandardOutput());
    const QString err = QString::fromUtf8(exdash.readAllStandardError());
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() == exitCode, qPrintable(out + err));
    QVERIFY2(out.contains(stdoutPart), qPrintable(out));
    QVERIFY2(err.contains(stderrPart), qPrintable(err));
}

// The window opens, completes its first refresh, says how long each part took, and exits by itself.
void tst_OnceRunner::startupReport()
{
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--startup-report"), QStringLiteral("--rtt"), QStringLiteral("0")});
    QVERIFY(finished.wait(60'000));
    const QByteArray out = exdash.readAllStandardOutput();
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() == 0, (out + exdash.readAllStandardError()).constData());
    const QJsonObject report = QJsonDocument::fromJson(out).object();
    QCOMPARE(report.value("mode").toString(), QStringLiteral("demo"));
    QCOMPARE(report.value("rttMs").toDouble(-1), 0.0);
    QCOMPARE(report.value("failedFeeds").toInt(-1), 0);
    for (const char *key :
         {"launchToFirstPaintMs", "sessionStartMs", "requestsToFirstRefreshMs", "launchToFirstRefreshMs"}) {
        QVERIFY2(report.value(QLatin1String(key)).isDouble(), key);
        QVERIFY2(report.value(QLatin1String(key)).toDouble() >= 0, key);
    }
}

QTEST_GUILESS_MAIN(tst_OnceRunner)
#include "tst_oncerunner.moc"
