#include "alerts/alertmonitor.h"
#include "probe/probe.h"
#include "refresh/session.h"
#include "sim/exsimthread.h"

#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

// `exdash --probe`: a demo session served for Prometheus, checked with Debian's promtool; what it leaves out
// without --probe-account; bad input on its port against a running refresher; the executable's start and
// clean stop on SIGTERM and SIGINT.
class tst_Probe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listenAddresses_data();
    void listenAddresses();
    void promtoolAcceptsTheMetrics();
    void labelValuesAreBounded();
    void withoutProbeAccountNoAccountIsFetched();
    void withProbeAccountTheAccountIsExported();
    void healthSaysWhatIsLate();
    void openAlertsAreServedAndCounted();
    void badInputDoesNotDisturbTheRefresher();
    void theExecutableStopsCleanly_data();
    void theExecutableStopsCleanly();
    void theExecutableRejectsABadListenAddress();
    void theSystemdUnitVerifies();

private:
    static SessionConfig demoConfig(bool accountData);
    // A probe on a free loopback port, refreshing; healthy once every data kind it fetches has answered.
    std::unique_ptr<Probe> startedProbe(bool accountData, const ProbeLimits &limits = {});
    static QByteArray metricsOf(const Probe &probe);
    QProcessEnvironment processEnvironment() const;

    QString m_promtool;
    QTemporaryDir m_home;
};

void tst_Probe::initTestCase()
{
    m_promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!m_promtool.isEmpty(),
             "promtool not found: install Debian's prometheus package (./dev.sh test does)");
    QVERIFY(m_home.isValid());
}

SessionConfig tst_Probe::demoConfig(bool accountData)
{
    SessionConfig config;
    config.exsim.rttMs = 2;
    config.exsim.enforceRateLimits = false;
    config.reuse = ReuseMode::Interleaved;
    config.accountData = accountData;
    config.sharePercent = PollPlan::maxSharePercent; // the shortest cadences the budgets allow
    return config;
}

std::unique_ptr<Probe> tst_Probe::startedProbe(bool accountData, const ProbeLimits &limits)
{
    auto session = std::make_unique<Session>(exsimStarter());
    QString error;
    if (!session->start(demoConfig(accountData), &error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    auto probe = std::make_unique<Probe>();
    if (!probe->start(std::move(session), QHostAddress::LocalHost, 0, accountData, &error, limits)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    Refresher *refresher = probe->session()->refresher();
    // Both arms have run and every fetched data kind has answered.
    const bool ready = QTest::qWaitFor(
        [refresher] {
            return refresher->cyclesStarted() >= 4
                && ProbeHealth::of(*refresher, QDateTime::currentMSecsSinceEpoch()).healthy;
        },
        30'000);
    if (!ready)
        qWarning("the probe's session did not refresh everything: %s",
                 qPrintable(ProbeHealth::of(*refresher, QDateTime::currentMSecsSinceEpoch()).text));
    return ready ? std::move(probe) : nullptr;
}

QByteArray tst_Probe::metricsOf(const Probe &probe)
{
    const RawResponse r = rawRequest(probe.port(), "GET /metrics HTTP/1.1\r\nHost: probe\r\n\r\n");
    return r.status == 200 ? r.body : QByteArray();
}

void tst_Probe::listenAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("IPv4") << "127.0.0.1:9469" << true << "127.0.0.1" << 9469;
    QTest::newRow("any") << "0.0.0.0:80" << true << "0.0.0.0" << 80;
    QTest::newRow("IPv6") << "[::1]:9469" << true << "::1" << 9469;
    QTest::newRow("port only") << ":9000" << true << "127.0.0.1" << 9000;
    QTest::newRow("localhost") << "localhost:0" << true << "127.0.0.1" << 0;
    QTest::newRow("IPv6 without brackets") << "::1:9469" << false << "" << 0;
    QTest::newRow("no port") << "127.0.0.1" << false << "" << 0;
    QTest::newRow("port too big") << "127.0.0.1:65536" << false << "" << 0;
    QTest::newRow("negative port") << "127.0.0.1:-1" << false << "" << 0;
    QTest::newRow("a name") << "example.com:9469" << false << "" << 0;
}

void tst_Probe::listenAddresses()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QHostAddress parsedAddress;
    quint16 parsedPort = 1;
    QCOMPARE(parseListenAddress(text, &parsedAddress, &parsedPort), valid);
    if (!valid)
        return;
    QFETCH(QString, address);
    QFETCH(int, port);
    QCOMPARE(parsedAddress.toString(), address);
    QCOMPARE(int(parsedPort), port);
}

void tst_Probe::promtoolAcceptsTheMetrics()
{
    const std::unique_ptr<Probe> probe = startedProbe(/*accountData=*/true);
    QVERIFY(probe);
    const QByteArray metrics = metricsOf(*probe);
    QVERIFY(metrics.contains("exdash_request_duration_seconds_bucket{"));
    QVERIFY(metrics.contains("arm=\"no-reuse\""));
    QVERIFY(metrics.contains("exdash_account_equity{"));
    QProcess promtool;
    promtool.start(m_promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY(promtool.waitForStarted());
    promtool.write(metrics);
    promtool.closeWriteChannel();
    QVERIFY(promtool.waitForFinished(60'000));
    const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
    QVERIFY2(promtool.exitStatus() == QProcess::NormalExit && promtool.exitCode() == 0, said.constData());
    QVERIFY2(said.trimmed().isEmpty(), said.constData()); // no lint finding either
}

void tst_Probe::labelValuesAreBounded()
{
    const std::unique_ptr<Probe> probe = startedProbe(/*accountData=*/true);
    QVERIFY(probe);
    const QByteArray metrics = metricsOf(*probe);
    const QHash<QString, QRegularExpression> allowed {
        {QStringLiteral("exchange"), QRegularExpression(QStringLiteral("^(bitunix|hyperliquid)$"))},
        {QStringLiteral("endpoint"), QRegularExpression(QStringLiteral("^[A-Za-z_]+$"))},
        {QStringLiteral("host"), QRegularExpression(QStringLiteral("^127\\.0\\.0\\.1:\\d+$"))},
        {QStringLiteral("arm"), QRegularExpression(QStringLiteral("^(pooled|no-reuse)$"))},
        {QStringLiteral("connection"),
         QRegularExpression(QStringLiteral("^(new|shared-new|queued|reused|unknown)$"))},
        {QStringLiteral("phase"), QRegularExpression(QStringLiteral("^(queue|connect|wait|download)$"))},
        {QStringLiteral("data"), QRegularExpression(QStringLiteral("^(tickers|stats|positions|account)$"))},
        {QStringLiteral("error"), QRegularExpression(QStringLiteral("^[a-z-]+$"))},
        {QStringLiteral("kind"), QRegularExpression(QStringLiteral("^[a-z-]+$"))},
        {QStringLiteral("le"), QRegularExpression(QStringLiteral("^([0-9.]+|\\+Inf)$"))},
        {QStringLiteral("version"), QRegularExpression(QStringLiteral("^[0-9.]+$"))},
        {QStringLiteral("qt"), QRegularExpression(QStringLiteral("^[0-9.]+$"))},
        {QStringLiteral("openssl"),
         QRegularExpression(QStringLiteral("^OpenSSL [0-9a-z. ]+$"),
                            QRegularExpression::CaseInsensitiveOption)},
        {QStringLiteral("mode"), QRegularExpression(QStringLiteral("^(demo|live)$"))},
        {QStringLiteral("severity"), QRegularExpression(QStringLiteral("^(warning|critical)$"))},
        {QStringLiteral("reuse"), QRegularExpression(QStringLiteral("^(pooled|no-reuse|interleaved)$"))},
    };
    const QRegularExpression pair(QStringLiteral("([a-z_]+)=\"([^\"]*)\""));
    int pairs = 0;
    for (const QByteArray &line : metrics.split('\n')) {
        if (line.startsWith('#') || !line.contains('{'))
            continue;
        const QString labels =
            QString::fromUtf8(line.mid(line.indexOf('{') + 1, line.lastIndexOf('}') - line.indexOf('{') - 1));
        for (const QRegularExpressionMatch &m : pair.globalMatch(labels)) {
            ++pairs;
            QVERIFY2(allowed.contains(m.captured(1)), qPrintable(m.captured(1)));
            QVERIFY2(allowed.value(m.captured(1)).match(m.captured(2)).hasMatch(), qPrintable(m.captured(0)));
        }
    }
    QVERIFY(pairs > 100);
    const DemoEndpoints endpoints = probe->session()->demo()->endpoints();
    QVERIFY(!metrics.contains(endpoints.bitunixApiSecret));
    QVERIFY(!metrics.contains(endpoints.bitunixApiKey));
    const RawResponse health = rawRequest(probe->port(), "GET /healthz HTTP/1.1\r\n\r\n");
    QCOMPARE(health.status, 200);
    QVERIFY(!health.body.contains(endpoints.bitunixApiSecret));
    QVERIFY(!metrics.contains("USDT\"")); // no symbol
}

void tst_Probe::withoutProbeAccountNoAccountIsFetched()
{
    const std::unique_ptr<Probe> probe = startedProbe(/*accountData=*/false);
    QVERIFY(probe);
    QSet<QString> endpoints;
    connect(probe->session()->http(), &HttpClient::sampleReady, this,
            [&](const RequestSample &s) { endpoints.insert(s.exchange + QLatin1Char(' ') + s.endpoint); });
    const int cycles = probe->session()->refresher()->cyclesStarted();
    QVERIFY(QTest::qWaitFor([&] { return probe->session()->refresher()->cyclesStarted() >= cycles + 2; },
                            30'000));
    Refresher *refresher = probe->session()->refresher();
    for (Exchange exchange : allExchanges) {
        for (DataKind kind : {DataKind::Positions, DataKind::Account})
            QCOMPARE(refresher->status(exchange, kind).lastError.kind, FetchErrorKind::NoCredentials);
        for (DataKind kind : {DataKind::Tickers, DataKind::MarketStats})
            QVERIFY(refresher->status(exchange, kind).lastSuccessMs > 0);
    }
    for (const QString &endpoint : std::as_const(endpoints)) {
        for (const char *privateCall : {"position", "account", "clearinghouse", "spot"})
            QVERIFY2(!endpoint.contains(QLatin1String(privateCall), Qt::CaseInsensitive),
                     qPrintable(endpoint));
    }
    const QByteArray metrics = metricsOf(*probe);
    QVERIFY(!metrics.contains("exdash_account_"));
    QVERIFY(!metrics.contains("exdash_positions_open"));
    QVERIFY(!metrics.contains("exdash_data_stale{exchange=\"bitunix\",data=\"positions\"}"));
    QVERIFY(metrics.contains("exdash_data_stale{exchange=\"bitunix\",data=\"tickers\"}"));
    QVERIFY(!metrics.contains("kind=\"no-credentials\""));
}

void tst_Probe::withProbeAccountTheAccountIsExported()
{
    const std::unique_ptr<Probe> probe = startedProbe(/*accountData=*/true);
    QVERIFY(probe);
    QHash<int, AccountSummary> accounts;
    QHash<int, QList<Position>> positions;
    for (ExchangeClient *client : probe->session()->clients()) {
        connect(client, &ExchangeClient::accountUpdated, this,
                [&](const AccountSummary &a) { accounts[int(a.exchange)] = a; });
        connect(client, &ExchangeClient::positionsUpdated, this,
                [&](Exchange e, const QList<Position> &p) { positions[int(e)] = p; });
    }
    QVERIFY(QTest::qWaitFor(
        [&] { return accounts.size() == exchangeCount && positions.size() == exchangeCount; }, 30'000));
    // The text, taken in the same turn of the event loop as the last values.
    const auto samples = exposedSamples(probe->metrics()->text(QDateTime::currentMSecsSinceEpoch()));
    for (Exchange exchange : allExchanges) {
        const QByteArray label = "{exchange=\"" + nameOf(exchange).toLatin1() + "\"}";
        QCOMPARE(samples.value("exdash_account_equity" + label, -1), accounts[int(exchange)].equity.value);
        QCOMPARE(samples.value("exdash_positions_open" + label, -1), double(positions[int(exchange)].size()));
        double nearest = -1;
        for (const Position &p : positions[int(exchange)]) {
            if (p.liquidationPrice.isValid() && p.markPrice.isValid())
                nearest = nearest < 0
                    ? std::abs(p.markPrice.value - p.liquidationPrice.value) / p.markPrice.value
                    : std::min(nearest,
                               std::abs(p.markPrice.value - p.liquidationPrice.value) / p.markPrice.value);
        }
        if (nearest >= 0)
            QCOMPARE(samples.value("exdash_position_liquidation_distance_ratio" + label, -1), nearest);
        else
            QVERIFY(!samples.contains("exdash_position_liquidation_distance_ratio" + label));
    }
}

void tst_Probe::healthSaysWhatIsLate()
{
    Session session(exsimStarter());
    QString error;
    QVERIFY2(session.start(demoConfig(false), &error), qPrintable(error));
    Refresher &refresher = *session.refresher();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ProbeHealth health = ProbeHealth::of(refresher, now);
    QVERIFY(!health.healthy);
    QVERIFY2(health.text.contains(QLatin1String("bitunix late: tickers not refreshed yet")),
             qPrintable(health.text));

    refresher.start();
    QVERIFY(QTest::qWaitFor(
        [&] { return ProbeHealth::of(refresher, QDateTime::currentMSecsSinceEpoch()).healthy; }, 30'000));
    health = ProbeHealth::of(refresher, QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(health.text,
             QStringLiteral("bitunix ok: 2 data kinds within three cadences\nhyperliquid ok: 2 data kinds "
                            "within three cadences\n"));
    // Four cadences later, with no answer in between (the clock moved, not the refresher).
    refresher.stop();
    const int tickers = refresher.cadence(DataKind::Tickers);
    health = ProbeHealth::of(refresher, QDateTime::currentMSecsSinceEpoch() + 4 * tickers);
    QVERIFY2(!health.healthy, qPrintable(health.text));
    QVERIFY2(health.text.contains(QLatin1String("hyperliquid late: tickers last refreshed")),
             qPrintable(health.text));
    QVERIFY2(health.text.contains(QStringLiteral("(limit %1 s)").arg(3 * tickers / 1000.0, 0, 'f', 1)),
             qPrintable(health.text));
}

void tst_Probe::openAlertsAreServedAndCounted()
{
    const std::unique_ptr<Probe> probe = startedProbe(/*accountData=*/true);
    QVERIFY(probe);
    RawResponse alerts = rawRequest(probe->port(), "GET /alerts HTTP/1.1\r\n\r\n");
    QCOMPARE(alerts.status, 200);
    QCOMPARE(alerts.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(alerts.body, QByteArray(R"({"alerts":[]})"));
    QVERIFY(metricsOf(*probe).contains(R"(exdash_alerts_open{kind="liquidation",severity="warning"} 0)"));

    // SOL held 3 % above the demo's Bitunix SOLUSDT long's liquidation price.
    double liquidation = 0;
    connect(probe->session()->bitunix(), &ExchangeClient::positionsUpdated, this,
            [&](Exchange, const QList<Position> &list) {
                for (const Position &p : list) {
                    if (p.symbol == QLatin1String("SOLUSDT") && p.liquidationPrice.isValid())
                        liquidation = p.liquidationPrice.value;
                }
            });
    QVERIFY(QTest::qWaitFor([&] { return liquidation > 0; }, 30'000));
    dynamic_cast<ExsimThread *>(probe->session()->demo())
        ->holdPrice(QStringLiteral("SOL"), liquidation * 1.03);
    QVERIFY(QTest::qWaitFor([&] { return !probe->alerts()->engine()->openAlerts().isEmpty(); }, 30'000));
    alerts = rawRequest(probe->port(), "GET /alerts HTTP/1.1\r\n\r\n");
    const QJsonArray open =
        QJsonDocument::fromJson(alerts.body).object().value(QLatin1String("alerts")).toArray();
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.first().toObject().value(QLatin1String("subject")).toString(),
             QStringLiteral("bitunix SOLUSDT long"));
    // The metric counts it without naming the symbol.
    const QByteArray metrics = metricsOf(*probe);
    QVERIFY(metrics.contains(R"(exdash_alerts_open{kind="liquidation",severity="warning"} 1)"));
    QVERIFY(!metrics.contains("SOLUSDT"));
}

void tst_Probe::badInputDoesNotDisturbTheRefresher()
{
    // A deadline longer than the test, so that the slow request is still hanging at the end whatever the
    // load.
    ProbeLimits limits;
    limits.requestTimeoutMs = 600'000;
    const std::unique_ptr<Probe> probe = startedProbe(/*accountData=*/false, limits);
    QVERIFY(probe);
    Refresher *refresher = probe->session()->refresher();
    QList<FetchError> failures;
    for (ExchangeClient *client : probe->session()->clients()) {
        connect(client, &ExchangeClient::fetched, this, [&](Exchange, DataKind, const FetchError &e) {
            if (!e.ok() && e.kind != FetchErrorKind::NoCredentials)
                failures.append(e);
        });
    }
    const int cyclesBefore = refresher->cyclesStarted();
    const quint16 port = probe->port();
    std::vector<std::unique_ptr<RawConnection>> abuse;
    const QList<QByteArray> requests {
        "garbage\r\n\r\n",
        "GET /" + QByteArray(10 * 1024 * 1024, 'a') + " HTTP/1.1\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nX-Slow: ", // never finished
        "HEAD /metrics HTTP/1.1\r\n\r\n",
        "GET /../../etc/passwd HTTP/1.1\r\n\r\n",
        "GET /admin HTTP/1.1\r\n\r\n",
    };
    for (const QByteArray &request : requests) {
        abuse.push_back(std::make_unique<RawConnection>(port));
        abuse.back()->send(request);
    }
    QCOMPARE(abuse[0]->response().status, 400);
    QCOMPARE(abuse[1]->response().status, 431);
    QCOMPARE(abuse[3]->response(/*head=*/true).status, 405);
    QCOMPARE(abuse[4]->response().status, 404);
    QCOMPARE(abuse[5]->response().status, 404);
    // Meanwhile the refresher went on; the scrape still works with the slow request hanging.
    QVERIFY(QTest::qWaitFor([&] { return refresher->cyclesStarted() >= cyclesBefore + 3; }, 30'000));
    QVERIFY(!abuse[2]->isClosedByServer());
    QVERIFY(metricsOf(*probe).contains("exdash_refresh_cycles_total"));
    QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0).message));
    QVERIFY(ProbeHealth::of(*refresher, QDateTime::currentMSecsSinceEpoch()).healthy);
}

QProcessEnvironment tst_Probe::processEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path());
    environment.insert(QStringLiteral("HOME"), m_home.path());
    for (const char *name : {"BITUNIX_API_KEY", "BITUNIX_API_SECRET", "HYPERLIQUID_ADDRESS"})
        environment.remove(QLatin1String(name));
    return environment;
}

void tst_Probe::theExecutableStopsCleanly_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_Probe::theExecutableStopsCleanly()
{
    QFETCH(int, signal);
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--probe"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                  QStringLiteral("--rtt"), QStringLiteral("0")});
    QVERIFY(exdash.waitForStarted());
    QByteArray said;
    const QRegularExpression serving(QStringLiteral("serving http://127\\.0\\.0\\.1:(\\d+)/metrics"));
    QRegularExpressionMatch match;
    QVERIFY(QTest::qWaitFor(
        [&] {
            said += exdash.readAllStandardError();
            match = serving.match(QString::fromUtf8(said));
            return match.hasMatch() || exdash.state() == QProcess::NotRunning;
        },
        30'000));
    QVERIFY2(match.hasMatch(), said.constData());
    const quint16 port = quint16(match.captured(1).toUInt());
    QVERIFY(QTest::qWaitFor(
        [port] { return rawRequest(port, "GET /healthz HTTP/1.1\r\n\r\n").status == 200; }, 30'000));
    const RawResponse metrics = rawRequest(port, "GET /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.body.contains("exdash_session_info{mode=\"demo\",reuse=\"pooled\"} 1"));

    QCOMPARE(::kill(pid_t(exdash.processId()), signal), 0);
    QVERIFY(exdash.waitForFinished(30'000));
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QCOMPARE(exdash.exitCode(), 0);
}

void tst_Probe::theExecutableRejectsABadListenAddress()
{
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--probe"), QStringLiteral("--listen"), QStringLiteral("nowhere")});
    QVERIFY(exdash.waitForFinished(30'000));
    QCOMPARE(exdash.exitCode(), 64);
    QVERIFY(exdash.readAllStandardError().contains("--listen takes HOST:PORT"));

    // A port already taken: a clear error, exit 1.
    const std::unique_ptr<Probe> probe = startedProbe(false);
    QVERIFY(probe);
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--probe"), QStringLiteral("--listen"),
                  QStringLiteral("127.0.0.1:%1").arg(probe->port())});
    QVERIFY(QTest::qWaitFor([&] { return exdash.state() == QProcess::NotRunning; }, 30'000));
    QCOMPARE(exdash.exitCode(), 1);
    QVERIFY(exdash.readAllStandardError().contains("cannot listen on 127.0.0.1:"));
}

void tst_Probe::theSystemdUnitVerifies()
{
    const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
    QVERIFY2(!analyze.isEmpty(),
             "systemd-analyze not found: install Debian's systemd package (./dev.sh test does)");
    QFile unit(QStringLiteral(EXDASH_RESOURCES "/probe/exdash-probe.service"));
    QVERIFY(unit.open(QIODevice::ReadOnly));
    QByteArray text = unit.readAll();
    QVERIFY(text.contains("ExecStart=/usr/bin/exdash --probe "));
    QVERIFY(text.contains("DynamicUser=yes")); // never root
    QVERIFY(text.contains("EnvironmentFile=-/etc/exdash/probe.env"));
    // The installed path does not exist here: the built executable stands in for it.
    text.replace("/usr/bin/exdash", EXDASH_BINARY);
    QFile copy(m_home.filePath(QStringLiteral("exdash-probe.service")));
    QVERIFY(copy.open(QIODevice::WriteOnly));
    copy.write(text);
    copy.close();
    QProcess verify;
    verify.setProcessChannelMode(QProcess::MergedChannels);
    verify.start(analyze, {QStringLiteral("verify"), copy.fileName()});
    QVERIFY(verify.waitForFinished(60'000));
    const QByteArray said = verify.readAll();
    QVERIFY2(verify.exitCode() == 0 && said.trimmed().isEmpty(), said.constData());
}

QTEST_GUILESS_MAIN(tst_Probe)
#include "tst_probe.moc"
