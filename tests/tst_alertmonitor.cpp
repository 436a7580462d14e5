#include "alerts/alertmonitor.h"
#include "models/latencylog.h"
#include "refresh/session.h"
#include "sim/exsimthread.h"

#include "liveexsim.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

// Every rule through the whole stack, driven by exsim: a price pushed toward a demo position's liquidation
// and back, a stalled exchange, a slow link, a server that closes every connection, refused credentials. Each
// fires exactly once per episode and resolves once.
class tst_AlertMonitor : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void startsWithTheSessionsSettings();
    void liquidationFiresOnceAndResolvesOnce();
    void aStalledExchangeFiresOnceAndResolvesOnce();
    void aSlowLinkFiresOncePerHostAndResolves();
    void closedConnectionsFireReuseOnceAndResolve();
    void refusedCredentialsFireOnce();
    void aNormalMarketRaisesNothing();

private:
    // A demo session at RTT `rttMs`, its samples in a LatencyLog, watched with `settings`; refreshing.
    bool startDemo(const AlertSettings &settings, double rttMs = 5,
                   int timeoutMs = HttpClient::defaultTimeoutMs);
    ExsimThread *exsim() { return dynamic_cast<ExsimThread *>(m_session->demo()); }
    // Waits until `cycles` more refresh cycles have started.
    bool waitCycles(int cycles);
    int firedOf(AlertKind kind) const;
    int resolvedOf(AlertKind kind) const;

    std::unique_ptr<Session> m_session;
    std::unique_ptr<LatencyLog> m_log;
    std::unique_ptr<AlertMonitor> m_monitor;
    QList<Alert> m_fired;
    QList<Alert> m_resolved;
};

void tst_AlertMonitor::init()
{
    m_fired.clear();
    m_resolved.clear();
}

void tst_AlertMonitor::cleanup()
{
    m_monitor.reset();
    m_session.reset();
    m_log.reset();
}

bool tst_AlertMonitor::startDemo(const AlertSettings &settings, double rttMs, int timeoutMs)
{
    SessionConfig config;
    config.exsim.rttMs = rttMs;
    config.exsim.enforceRateLimits = false;
    config.sharePercent = PollPlan::maxSharePercent;
    config.timeoutMs = timeoutMs;
    m_session = std::make_unique<Session>(exsimStarter());
    QString error;
    if (!m_session->start(config, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    m_log = std::make_unique<LatencyLog>();
    connect(m_session->http(), &HttpClient::sampleReady, m_log.get(), &LatencyLog::append);
    m_monitor = std::make_unique<AlertMonitor>(m_session.get(), m_log.get());
    m_monitor->setSettings(settings);
    connect(m_monitor->engine(), &AlertEngine::fired, this, [this](const Alert &a) { m_fired.append(a); });
    connect(m_monitor->engine(), &AlertEngine::resolved, this,
            [this](const Alert &a) { m_resolved.append(a); });
    m_session->refresher()->start();
    m_monitor->start();
    return true;
}

bool tst_AlertMonitor::waitCycles(int cycles)
{
    const int until = m_session->refresher()->cyclesStarted() + cycles;
    return QTest::qWaitFor([&] { return m_session->refresher()->cyclesStarted() >= until; }, 60'000);
}

int tst_AlertMonitor::firedOf(AlertKind kind) const
{
    return int(
        std::count_if(m_fired.begin(), m_fired.end(), [kind](const Alert &a) { return a.kind == kind; }));
}

int tst_AlertMonitor::resolvedOf(AlertKind kind) const
{
    return int(std::count_if(m_resolved.begin(), m_resolved.end(),
                             [kind](const Alert &a) { return a.kind == kind; }));
}

void tst_AlertMonitor::startsWithTheSessionsSettings()
{
    SessionConfig config;
    config.exsim.rttMs = 0;
    config.alerts.liquidationDistancePct = 7;
    config.alerts.silenced = {AlertKind::Reuse};
    Session session(exsimStarter());
    QString error;
    QVERIFY2(session.start(config, &error), qPrintable(error));
    AlertMonitor monitor(&session, nullptr);
    QVERIFY(monitor.settings() == config.alerts);
    // Invalid settings are refused: the monitor keeps what it had.
    AlertSettings bad;
    bad.minCalls = 0;
    monitor.setSettings(bad);
    QVERIFY(monitor.settings() == config.alerts);
}

void tst_AlertMonitor::liquidationFiresOnceAndResolvesOnce()
{
    QVERIFY(startDemo(AlertSettings()));
    // The demo's Bitunix SOLUSDT long has a liquidation price (isolated): push SOL to 3 % above it.
    Position target;
    QList<Position> latest;
    connect(m_session->bitunix(), &ExchangeClient::positionsUpdated, this,
            [&](Exchange, const QList<Position> &positions) { latest = positions; });
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const Position &p : latest) {
                if (p.symbol == QLatin1String("SOLUSDT") && p.liquidationPrice.isValid())
                    target = p;
            }
            return target.liquidationPrice.isValid();
        },
        30'000));
    const double normalPrice = target.markPrice.value;
    const double liquidation = target.liquidationPrice.value;
    exsim()->holdPrice(QStringLiteral("SOL"), liquidation * 1.03);
    QVERIFY(QTest::qWaitFor([&] { return firedOf(AlertKind::Liquidation) > 0; }, 30'000));
    QCOMPARE(m_fired.size(), 1);
    QCOMPARE(m_fired.first().subject, QStringLiteral("bitunix SOLUSDT long"));
    QVERIFY2(QRegularExpression(QStringLiteral("^BX SOLUSDT long [23]\\.\\d % from liquidation$"))
                 .match(m_fired.first().summary)
                 .hasMatch(),
             qPrintable(m_fired.first().summary));
    // Held there for a while: nothing more.
    QVERIFY(waitCycles(6));
    QCOMPARE(m_fired.size(), 1);
    exsim()->holdPrice(QStringLiteral("SOL"), normalPrice);
    QVERIFY(QTest::qWaitFor([&] { return resolvedOf(AlertKind::Liquidation) > 0; }, 30'000));
    QVERIFY(waitCycles(6));
    QCOMPARE(m_fired.size(), 1);
    QCOMPARE(m_resolved.size(), 1);
    // Positions without a liquidation price are named, with the reason.
    QVERIFY2(m_monitor->skippedPositions().contains(QStringLiteral(
                 "BX BTCUSDT long: cross margin, no liquidation price (the whole account backs it)")),
             qPrintable(m_monitor->skippedPositions().join(QLatin1Char('\n'))));
}

void tst_AlertMonitor::aStalledExchangeFiresOnceAndResolvesOnce()
{
    AlertSettings settings;
    settings.quietS = 0;
    QVERIFY(startDemo(settings, 5, /*timeoutMs=*/1000));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return m_session->refresher()->status(Exchange::Hyperliquid, DataKind::Tickers).lastSuccessMs > 0;
        },
        30'000));
    exsim()->setFault(SimExchange::Hyperliquid, Fault {Fault::Kind::Stall});
    QVERIFY(QTest::qWaitFor([&] { return firedOf(AlertKind::Exchange) > 0; }, 60'000));
    QCOMPARE(m_fired.first().subject, QStringLiteral("hyperliquid"));
    // It lasts: it becomes stale too (critical), still one alert.
    QVERIFY(QTest::qWaitFor(
        [&] { return m_monitor->engine()->openAlerts().value(0).severity == AlertSeverity::Critical; },
        60'000));
    QCOMPARE(firedOf(AlertKind::Exchange), 1);
    exsim()->setFault(SimExchange::Hyperliquid, Fault {});
    QVERIFY(QTest::qWaitFor([&] { return resolvedOf(AlertKind::Exchange) > 0; }, 60'000));
    QVERIFY(waitCycles(6));
    QCOMPARE(firedOf(AlertKind::Exchange), 1);
    QCOMPARE(resolvedOf(AlertKind::Exchange), 1);
    for (const Alert &a : std::as_const(m_fired))
        qInfo("fired: %s: %s (%s)", qPrintable(nameOf(a.kind)), qPrintable(a.summary), qPrintable(a.values));
    QCOMPARE(m_fired.size(), 1); // nothing else: a stalled exchange is not a slow or a closing one
}

void tst_AlertMonitor::aSlowLinkFiresOncePerHostAndResolves()
{
    AlertSettings settings;
    settings.slowP95Ms = 250;
    settings.latencyWindowS = 5;
    settings.minCalls = 3;
    QVERIFY(startDemo(settings, 20));
    QVERIFY(waitCycles(6));
    QVERIFY(m_fired.isEmpty());
    m_session->setDemoRttMs(400);
    QVERIFY(QTest::qWaitFor([&] { return firedOf(AlertKind::Latency) == 2; }, 60'000));
    QStringList hosts {m_fired[0].subject, m_fired[1].subject};
    hosts.sort();
    QCOMPARE(hosts, m_log->hosts());
    m_session->setDemoRttMs(20);
    QVERIFY(QTest::qWaitFor([&] { return resolvedOf(AlertKind::Latency) == 2; }, 60'000));
    QVERIFY(waitCycles(6));
    QCOMPARE(firedOf(AlertKind::Latency), 2);
    QCOMPARE(resolvedOf(AlertKind::Latency), 2);
    QCOMPARE(firedOf(AlertKind::Exchange), 0);
}

void tst_AlertMonitor::closedConnectionsFireReuseOnceAndResolve()
{
    AlertSettings settings;
    settings.latencyWindowS = 5;
    settings.minCalls = 4;
    QVERIFY(startDemo(settings, 5));
    QVERIFY(waitCycles(6));
    QCOMPARE(firedOf(AlertKind::Reuse), 0);
    // The server closes every connection 1 ms after its answer: each call pays a new handshake.
    exsim()->setFault(SimExchange::Bitunix, Fault {Fault::Kind::CloseIdleEarly, 1});
    QVERIFY(QTest::qWaitFor([&] { return firedOf(AlertKind::Reuse) > 0; }, 60'000));
    QCOMPARE(m_fired.first().subject,
             m_session->bitunix()->baseUrl().host() + QLatin1Char(':')
                 + QString::number(m_session->bitunix()->baseUrl().port()));
    exsim()->setFault(SimExchange::Bitunix, Fault {});
    QVERIFY(QTest::qWaitFor([&] { return resolvedOf(AlertKind::Reuse) > 0; }, 60'000));
    QVERIFY(waitCycles(6));
    QCOMPARE(firedOf(AlertKind::Reuse), 1);
    QCOMPARE(resolvedOf(AlertKind::Reuse), 1);
}

void tst_AlertMonitor::refusedCredentialsFireOnce()
{
    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    SessionConfig config = live.configWithCredentials("not the secret");
    config.sharePercent = PollPlan::maxSharePercent;
    m_session = std::make_unique<Session>();
    QVERIFY2(m_session->start(config, &error), qPrintable(error));
    m_monitor = std::make_unique<AlertMonitor>(m_session.get(), nullptr);
    connect(m_monitor->engine(), &AlertEngine::fired, this, [this](const Alert &a) { m_fired.append(a); });
    m_session->refresher()->start();
    m_monitor->start();
    QVERIFY(QTest::qWaitFor([&] { return !m_fired.isEmpty(); }, 30'000));
    QVERIFY(waitCycles(6));
    QCOMPARE(m_fired.size(), 1);
    QCOMPARE(m_fired.first().kind, AlertKind::Exchange);
    QCOMPARE(m_fired.first().severity, AlertSeverity::Critical);
    QCOMPARE(m_fired.first().summary, QStringLiteral("Bitunix refuses the credentials"));
    QVERIFY(!m_fired.first().values.contains(QLatin1String("not the secret")));
}

void tst_AlertMonitor::aNormalMarketRaisesNothing()
{
    // The default thresholds, both arms, a realistic round trip: nothing fires.
    QVERIFY(startDemo(AlertSettings(), 50));
    m_session->http()->setReuseMode(ReuseMode::Interleaved);
    QVERIFY(waitCycles(40));
    QVERIFY2(m_fired.isEmpty(),
             qPrintable(m_fired.value(0).summary + QLatin1Char(' ') + m_fired.value(0).values));
}

QTEST_GUILESS_MAIN(tst_AlertMonitor)
#include "tst_alertmonitor.moc"
