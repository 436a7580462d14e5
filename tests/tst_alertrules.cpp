#include "alerts/alertrules.h"
#include "models/latencylog.h"

#include <QTest>

// Each rule on its own, from made-up positions, feeds, samples and equity: when it holds, its release
// threshold, what it says.
class tst_AlertRules : public QObject
{
    Q_OBJECT

private slots:
    void liquidationBelowTheThreshold_data();
    void liquidationBelowTheThreshold();
    void liquidationReleasesAboveItsMargin();
    void positionsWithoutALiquidationPriceAreSkippedWithAReason();
    void exchangeAuthStaleAndFailures();
    void exchangeNeverRefreshedOnlyAfterThreeCadences();
    void exchangeWithoutCredentialsIsNotJudged();
    void slowHostByP95OfThePooledArm();
    void reuseCollapse();
    void equityDrop();

private:
    static Position position(double mark, const QString &liquidation);
    static RequestSample sample(const QString &host, qint64 atMs, double ms, ConnectionKind connection,
                                ReuseMode arm = ReuseMode::Pooled);
    static AlertRules::IsOpen none();
    static AlertRules::IsOpen all();
};

Position tst_AlertRules::position(double mark, const QString &liquidation)
{
    Position p;
    p.exchange = Exchange::Hyperliquid;
    p.symbol = QStringLiteral("ETH");
    p.side = Position::Side::Long;
    p.markPrice = {QString::number(mark), mark};
    if (!liquidation.isEmpty())
        p.liquidationPrice = {liquidation, liquidation.toDouble()};
    return p;
}

RequestSample tst_AlertRules::sample(const QString &host, qint64 atMs, double ms, ConnectionKind connection,
                                     ReuseMode arm)
{
    RequestSample s;
    s.exchange = QStringLiteral("bitunix");
    s.endpoint = QStringLiteral("tickers");
    s.host = host;
    s.httpStatus = 200;
    s.reuse = arm;
    s.connection = connection;
    s.startedAtMsSinceEpoch = atMs;
    s.requestSentMs = 0.1;
    s.firstByteMs = ms - 0.1;
    s.finishedMs = ms;
    return s;
}

AlertRules::IsOpen tst_AlertRules::none()
{
    return [](AlertKind, const QString &) {
        return false;
    };
}

AlertRules::IsOpen tst_AlertRules::all()
{
    return [](AlertKind, const QString &) {
        return true;
    };
}

void tst_AlertRules::liquidationBelowTheThreshold_data()
{
    QTest::addColumn<double>("mark");
    QTest::addColumn<QString>("liquidation");
    QTest::addColumn<bool>("holds");
    QTest::addColumn<int>("severity");
    QTest::newRow("10 % away") << 100.0 << "90" << false << 0;
    QTest::newRow("exactly 5 %") << 100.0 << "95" << false << 0;
    QTest::newRow("4.9 %") << 100.0 << "95.1" << true << int(AlertSeverity::Warning);
    QTest::newRow("2 %, critical") << 100.0 << "98" << true << int(AlertSeverity::Critical);
    QTest::newRow("short side, above the mark") << 100.0 << "103" << true << int(AlertSeverity::Warning);
}

void tst_AlertRules::liquidationBelowTheThreshold()
{
    QFETCH(double, mark);
    QFETCH(QString, liquidation);
    QFETCH(bool, holds);
    QFETCH(int, severity);
    const QList<AlertCondition> c =
        AlertRules::liquidation({position(mark, liquidation)}, AlertSettings(), none());
    QCOMPARE(c.size(), holds ? 1 : 0);
    if (!holds)
        return;
    QCOMPARE(int(c.first().severity), severity);
    QCOMPARE(c.first().subject, QStringLiteral("hyperliquid ETH long"));
    QVERIFY2(c.first().values.contains(QStringLiteral("liquidation ") + liquidation),
             qPrintable(c.first().values));
}

void tst_AlertRules::liquidationReleasesAboveItsMargin()
{
    // Fired below 5 %: it stays until 6 % (5 × 1.2).
    QCOMPARE(AlertRules::liquidation({position(100, QStringLiteral("94.5"))}, AlertSettings(), all()).size(),
             1);
    QCOMPARE(AlertRules::liquidation({position(100, QStringLiteral("93.9"))}, AlertSettings(), all()).size(),
             0);
    QCOMPARE(AlertRules::liquidation({position(100, QStringLiteral("94.5"))}, AlertSettings(), none()).size(),
             0);
}

void tst_AlertRules::positionsWithoutALiquidationPriceAreSkippedWithAReason()
{
    Position cross = position(100, {});
    Position isolated = position(100, {});
    isolated.isolated = true;
    isolated.symbol = QStringLiteral("BTC");
    QStringList skipped;
    QVERIFY(AlertRules::liquidation({cross, isolated}, AlertSettings(), none(), &skipped).isEmpty());
    QCOMPARE(skipped.size(), 2);
    QVERIFY2(skipped[0].startsWith(QLatin1String("HL ETH long: cross margin")), qPrintable(skipped[0]));
    QVERIFY2(skipped[1].startsWith(QLatin1String("HL BTC long: no liquidation price")),
             qPrintable(skipped[1]));
}

void tst_AlertRules::exchangeAuthStaleAndFailures()
{
    const qint64 now = 1'000'000;
    const int cadences[dataKindCount] = {2000, 15'000, 10'000, 10'000};
    FeedStatus feeds[dataKindCount];
    for (FeedStatus &f : feeds)
        f.lastSuccessMs = now - 1000;
    QVERIFY(!AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), none()));

    // Two failures in a row: not yet; three: a warning.
    feeds[int(DataKind::Tickers)].failuresInARow = 2;
    feeds[int(DataKind::Tickers)].lastError = {FetchErrorKind::Timeout, QStringLiteral("timed out")};
    QVERIFY(!AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), none()));
    feeds[int(DataKind::Tickers)].failuresInARow = 3;
    auto c = AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), none());
    QVERIFY(c);
    QCOMPARE(c->severity, AlertSeverity::Warning);
    QCOMPARE(c->values, QStringLiteral("tickers: 3 in a row, timeout"));
    // Once open, a single failure keeps it; a clean run resolves it.
    feeds[int(DataKind::Tickers)].failuresInARow = 1;
    QVERIFY(AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), all()));
    feeds[int(DataKind::Tickers)].failuresInARow = 0;
    feeds[int(DataKind::Tickers)].lastError = {};
    QVERIFY(!AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), all()));

    // Stale: older than three cadences.
    feeds[int(DataKind::Tickers)].lastSuccessMs = now - 7000;
    c = AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), none());
    QVERIFY(c);
    QCOMPARE(c->severity, AlertSeverity::Critical);
    QCOMPARE(c->values, QStringLiteral("tickers 7 s old"));
    feeds[int(DataKind::Tickers)].lastSuccessMs = now - 1000;

    // Refused credentials: at once, critical.
    feeds[int(DataKind::Account)].lastError = {FetchErrorKind::Auth,
                                               QStringLiteral("signature error (10007)")};
    feeds[int(DataKind::Account)].failuresInARow = 1;
    c = AlertRules::exchange(Exchange::Bitunix, feeds, cadences, now, 60'000, AlertSettings(), none());
    QVERIFY(c);
    QCOMPARE(c->severity, AlertSeverity::Critical);
    QCOMPARE(c->summary, QStringLiteral("Bitunix refuses the credentials"));
    QVERIFY(c->values.startsWith(QLatin1String("signature error (10007)")));
}

void tst_AlertRules::exchangeNeverRefreshedOnlyAfterThreeCadences()
{
    const int cadences[dataKindCount] = {2000, 15'000, 10'000, 10'000};
    FeedStatus feeds[dataKindCount];
    // Just started: connecting, not stale.
    QVERIFY(!AlertRules::exchange(Exchange::Hyperliquid, feeds, cadences, 1'000'000, 5000, AlertSettings(),
                                  none()));
    const auto c = AlertRules::exchange(Exchange::Hyperliquid, feeds, cadences, 1'000'000, 6001,
                                        AlertSettings(), none());
    QVERIFY(c);
    QCOMPARE(c->values, QStringLiteral("tickers never refreshed"));
}

void tst_AlertRules::exchangeWithoutCredentialsIsNotJudged()
{
    const int cadences[dataKindCount] = {2000, 15'000, 10'000, 10'000};
    FeedStatus feeds[dataKindCount];
    for (FeedStatus &f : feeds) {
        f.lastError = {FetchErrorKind::NoCredentials, QStringLiteral("no key")};
        f.failuresInARow = 50;
    }
    QVERIFY(!AlertRules::exchange(Exchange::Bitunix, feeds, cadences, 1'000'000, 600'000, AlertSettings(),
                                  none()));
}

void tst_AlertRules::slowHostByP95OfThePooledArm()
{
    const QString host = QStringLiteral("fapi.bitunix.com:443");
    const qint64 now = 1'000'000;
    LatencyLog log;
    AlertSettings settings;
    // Judged only once the log covers a whole window: younger, even twenty slow calls say nothing yet.
    for (int i = 0; i < 20; ++i)
        log.append(sample(host, now - 30'000 + i, 5000, ConnectionKind::Reused));
    QVERIFY(AlertRules::latency(log, now, settings, none()).isEmpty());
    log.clear();
    log.append(sample(host, now - 120'000, 50, ConnectionKind::New)); // the session's first call
    // Nine fast calls: too few to judge, whatever the tail.
    for (int i = 0; i < 9; ++i)
        log.append(sample(host, now - 30'000 + i, i < 8 ? 50 : 5000, ConnectionKind::Reused));
    QVERIFY(AlertRules::latency(log, now, settings, none()).isEmpty());
    // Twenty, two of them slow: p95 (nearest rank, the 19th of 20) is slow.
    for (int i = 0; i < 11; ++i)
        log.append(sample(host, now - 20'000 + i, i == 0 ? 3000 : 50, ConnectionKind::Reused));
    QList<AlertCondition> c = AlertRules::latency(log, now, settings, none());
    QCOMPARE(c.size(), 1);
    QCOMPARE(c.first().subject, host);
    QVERIFY2(c.first().values.startsWith(QLatin1String("p95 3000 ms, p50 50 ms over 20 calls")),
             qPrintable(c.first().values));
    // The no-reuse arm's new connections do not count while the pooled arm has calls.
    for (int i = 0; i < 50; ++i)
        log.append(sample(host, now - 10'000 + i, 4000, ConnectionKind::New, ReuseMode::NoReuse));
    QCOMPARE(AlertRules::latency(log, now, settings, none()).size(), 1);
    // Out of the window, nothing.
    QVERIFY(AlertRules::latency(log, now + 61'000, settings, none()).isEmpty());
}

void tst_AlertRules::reuseCollapse()
{
    const QString host = QStringLiteral("api.hyperliquid.xyz:443");
    const qint64 now = 1'000'000;
    AlertSettings settings;
    LatencyLog healthy;
    healthy.append(sample(host, now - 120'000, 150, ConnectionKind::New)); // the session's first call
    healthy.append(sample(host, now - 50'000, 150, ConnectionKind::New));
    for (int i = 0; i < 20; ++i)
        healthy.append(sample(host, now - 40'000 + i, 50, ConnectionKind::Reused));
    QVERIFY(AlertRules::reuse(healthy, now, settings, none()).isEmpty());

    LatencyLog closing; // every pooled call on a new connection (close-idle:0)
    closing.append(sample(host, now - 120'000, 150, ConnectionKind::New)); // the session's first call
    for (int i = 0; i < 12; ++i)
        closing.append(sample(host, now - 40'000 + i, 150, ConnectionKind::New));
    QList<AlertCondition> c = AlertRules::reuse(closing, now, settings, none());
    QCOMPARE(c.size(), 1);
    QVERIFY2(c.first().values.startsWith(QLatin1String("12 of 12 pooled calls")),
             qPrintable(c.first().values));
    // Release at 0.5 / 1.2 (0.417): 6 of 14 (0.43) keeps an open alert and fires none.
    LatencyLog recovering;
    recovering.append(sample(host, now - 120'000, 150, ConnectionKind::New)); // the session's first call
    for (int i = 0; i < 14; ++i)
        recovering.append(
            sample(host, now - 40'000 + i, 50, i < 6 ? ConnectionKind::New : ConnectionKind::Reused));
    QCOMPARE(AlertRules::reuse(recovering, now, settings, all()).size(), 1);
    QCOMPARE(AlertRules::reuse(recovering, now, settings, none()).size(), 0);
    // No-reuse calls are meant to pay: never judged.
    LatencyLog noReuse;
    noReuse.append(sample(host, now - 120'000, 150, ConnectionKind::New)); // the session's first call
    for (int i = 0; i < 30; ++i)
        noReuse.append(sample(host, now - 40'000 + i, 150, ConnectionKind::New, ReuseMode::NoReuse));
    QVERIFY(AlertRules::reuse(noReuse, now, settings, none()).isEmpty());
}

void tst_AlertRules::equityDrop()
{
    AlertSettings settings;
    const qint64 now = 10'000'000;
    const QList<std::pair<qint64, double>> falling {{now - 20 * 60'000, 2000}, // before the 15-minute window
                                                    {now - 10 * 60'000, 1000},
                                                    {now - 5 * 60'000, 950},
                                                    {now, 880}};
    QVERIFY(!AlertRules::equity(Exchange::Bitunix, falling, now, settings, none())); // off by default
    settings.equityEnabled = true;
    const auto c = AlertRules::equity(Exchange::Bitunix, falling, now, settings, none());
    QVERIFY(c);
    QCOMPARE(c->summary, QStringLiteral("Bitunix equity down 12 %"));
    QCOMPARE(c->values, QStringLiteral("880.00 from 1000.00 within 15 min, threshold 10 %"));
    QCOMPARE(c->severity, AlertSeverity::Critical);
    // 9 % down: not yet, but an open alert stays until below 10 / 1.2.
    const QList<std::pair<qint64, double>> nine {{now - 60'000, 1000}, {now, 910}};
    QVERIFY(!AlertRules::equity(Exchange::Bitunix, nine, now, settings, none()));
    QVERIFY(AlertRules::equity(Exchange::Bitunix, nine, now, settings, all()));
}

QTEST_GUILESS_MAIN(tst_AlertRules)
#include "tst_alertrules.moc"
