#include "alerts/alerts.h"

#include <QSignalSpy>
#include <QTest>

// One alert per episode: fired once when a condition starts, resolved once when it ends, a quiet period
// after a resolution.
class tst_AlertEngine : public QObject
{
    Q_OBJECT

private slots:
    void firesOnceAndResolvesOnce();
    void valuesChangeWithoutANewAlert();
    void aFlappingConditionFiresOncePerQuietPeriod();
    void subjectsAreIndependent();
    void worstOpenSeverity();
    void historyKeepsOpenAlerts();
    void settingsAreValidated_data();
    void settingsAreValidated();

private:
    static AlertCondition condition(const QString &subject, const QString &values = QStringLiteral("v"),
                                    AlertSeverity severity = AlertSeverity::Warning);
};

AlertCondition tst_AlertEngine::condition(const QString &subject, const QString &values,
                                          AlertSeverity severity)
{
    AlertCondition c;
    c.kind = AlertKind::Exchange;
    c.subject = subject;
    c.severity = severity;
    c.summary = subject + QStringLiteral(" failing");
    c.values = values;
    return c;
}

void tst_AlertEngine::firesOnceAndResolvesOnce()
{
    AlertEngine engine;
    QSignalSpy fired(&engine, &AlertEngine::fired);
    QSignalSpy resolved(&engine, &AlertEngine::resolved);
    engine.update({}, 0);
    QCOMPARE(fired.count(), 0);
    for (qint64 t = 1000; t <= 60'000; t += 1000)
        engine.update({condition(QStringLiteral("bitunix"))}, t);
    QCOMPARE(fired.count(), 1);
    QCOMPARE(fired.first().first().value<Alert>().firedAtMs, 1000);
    QVERIFY(engine.isOpen(AlertKind::Exchange, QStringLiteral("bitunix")));
    QCOMPARE(resolved.count(), 0);
    for (qint64 t = 61'000; t <= 120'000; t += 1000)
        engine.update({}, t);
    QCOMPARE(fired.count(), 1);
    QCOMPARE(resolved.count(), 1);
    const Alert done = resolved.first().first().value<Alert>();
    QCOMPARE(done.resolvedAtMs, 61'000);
    QVERIFY(!done.isOpen());
    QVERIFY(engine.openAlerts().isEmpty());
    QCOMPARE(engine.history().size(), 1);
}

void tst_AlertEngine::valuesChangeWithoutANewAlert()
{
    AlertEngine engine;
    QSignalSpy fired(&engine, &AlertEngine::fired);
    QSignalSpy changed(&engine, &AlertEngine::changed);
    engine.update({condition(QStringLiteral("bitunix"), QStringLiteral("3 in a row"))}, 0);
    engine.update(
        {condition(QStringLiteral("bitunix"), QStringLiteral("4 in a row"), AlertSeverity::Critical)}, 1000);
    engine.update(
        {condition(QStringLiteral("bitunix"), QStringLiteral("4 in a row"), AlertSeverity::Warning)}, 2000);
    QCOMPARE(fired.count(), 1);
    QCOMPARE(changed.count(), 2); // the fire and the new values; nothing for an unchanged evaluation
    const Alert alert = engine.openAlerts().first();
    QCOMPARE(alert.values, QStringLiteral("3 in a row"));
    QCOMPARE(alert.lastValues, QStringLiteral("4 in a row"));
    QCOMPARE(alert.severity, AlertSeverity::Critical); // the worst it reached
}

void tst_AlertEngine::aFlappingConditionFiresOncePerQuietPeriod()
{
    AlertEngine engine;
    engine.setQuietMs(300'000);
    QSignalSpy fired(&engine, &AlertEngine::fired);
    QSignalSpy resolved(&engine, &AlertEngine::resolved);
    // On and off every second for ten minutes.
    for (qint64 t = 0; t < 600'000; t += 1000)
        engine.update((t / 1000) % 2 == 0 ? QList<AlertCondition> {condition(QStringLiteral("hl"))}
                                          : QList<AlertCondition> {},
                      t);
    // Fired at 0, resolved at 1 s; quiet until 301 s; fired at 302 s, resolved at 303 s; quiet past 600 s.
    QCOMPARE(fired.count(), 2);
    QCOMPARE(resolved.count(), 2);
    QCOMPARE(fired.at(1).first().value<Alert>().firedAtMs, 302'000);
    // A condition that holds through the quiet period fires when it ends.
    AlertEngine steady;
    steady.setQuietMs(10'000);
    QSignalSpy steadyFired(&steady, &AlertEngine::fired);
    steady.update({condition(QStringLiteral("hl"))}, 0);
    steady.update({}, 1000);
    for (qint64 t = 2000; t <= 20'000; t += 1000)
        steady.update({condition(QStringLiteral("hl"))}, t);
    QCOMPARE(steadyFired.count(), 2);
    QCOMPARE(steadyFired.at(1).first().value<Alert>().firedAtMs, 11'000);
}

void tst_AlertEngine::subjectsAreIndependent()
{
    AlertEngine engine;
    QSignalSpy fired(&engine, &AlertEngine::fired);
    QSignalSpy resolved(&engine, &AlertEngine::resolved);
    engine.update({condition(QStringLiteral("bitunix")), condition(QStringLiteral("hyperliquid"))}, 0);
    engine.update({condition(QStringLiteral("hyperliquid"))}, 1000);
    QCOMPARE(fired.count(), 2);
    QCOMPARE(resolved.count(), 1);
    QCOMPARE(resolved.first().first().value<Alert>().subject, QStringLiteral("bitunix"));
    // The same subject under another kind is another alert.
    AlertCondition latency = condition(QStringLiteral("hyperliquid"));
    latency.kind = AlertKind::Latency;
    engine.update({condition(QStringLiteral("hyperliquid")), latency}, 2000);
    QCOMPARE(fired.count(), 3);
}

void tst_AlertEngine::worstOpenSeverity()
{
    AlertEngine engine;
    AlertSeverity worst = AlertSeverity::Warning;
    QVERIFY(!engine.worstOpen(&worst));
    engine.update({condition(QStringLiteral("a"))}, 0);
    QVERIFY(engine.worstOpen(&worst));
    QCOMPARE(worst, AlertSeverity::Warning);
    engine.update(
        {condition(QStringLiteral("a")), condition(QStringLiteral("b"), {}, AlertSeverity::Critical)}, 1000);
    QVERIFY(engine.worstOpen(&worst));
    QCOMPARE(worst, AlertSeverity::Critical);
    engine.update({condition(QStringLiteral("a"))}, 2000);
    QVERIFY(engine.worstOpen(&worst));
    QCOMPARE(worst, AlertSeverity::Warning);
}

void tst_AlertEngine::historyKeepsOpenAlerts()
{
    AlertEngine engine;
    engine.setQuietMs(0);
    engine.update({condition(QStringLiteral("stays"))}, 0);
    for (int i = 0; i < AlertEngine::historyLimit + 50; ++i) {
        const QString subject = QStringLiteral("flap %1").arg(i);
        engine.update({condition(QStringLiteral("stays")), condition(subject)}, 2 * i + 1);
        engine.update({condition(QStringLiteral("stays"))}, 2 * i + 2);
    }
    QCOMPARE(engine.history().size(), AlertEngine::historyLimit);
    QCOMPARE(engine.openAlerts().size(), 1);
    QCOMPARE(engine.openAlerts().first().subject, QStringLiteral("stays"));
}

void tst_AlertEngine::settingsAreValidated_data()
{
    QTest::addColumn<AlertSettings>("settings");
    QTest::addColumn<bool>("valid");
    const AlertSettings defaults;
    QTest::newRow("defaults") << defaults << true;
    const auto with = [&](auto change) {
        AlertSettings s = defaults;
        change(s);
        return s;
    };
    QTest::newRow("negative distance")
        << with([](AlertSettings &s) { s.liquidationDistancePct = -1; }) << false;
    QTest::newRow("zero distance") << with([](AlertSettings &s) { s.liquidationDistancePct = 0; }) << false;
    QTest::newRow("NaN distance") << with([](AlertSettings &s) { s.liquidationDistancePct = std::nan(""); })
                                  << false;
    QTest::newRow("no failures") << with([](AlertSettings &s) { s.failuresInARow = 0; }) << false;
    QTest::newRow("negative p95") << with([](AlertSettings &s) { s.slowP95Ms = -5; }) << false;
    QTest::newRow("0 s window") << with([](AlertSettings &s) { s.latencyWindowS = 0; }) << false;
    QTest::newRow("share of 1") << with([](AlertSettings &s) { s.reuseCollapseShare = 1; }) << false;
    QTest::newRow("0 calls") << with([](AlertSettings &s) { s.minCalls = 0; }) << false;
    QTest::newRow("0-minute equity window")
        << with([](AlertSettings &s) { s.equityWindowMinutes = 0; }) << false;
    QTest::newRow("negative drop") << with([](AlertSettings &s) { s.equityDropPct = -10; }) << false;
    QTest::newRow("negative quiet") << with([](AlertSettings &s) { s.quietS = -1; }) << false;
    QTest::newRow("no quiet") << with([](AlertSettings &s) { s.quietS = 0; }) << true;
}

void tst_AlertEngine::settingsAreValidated()
{
    QFETCH(AlertSettings, settings);
    QFETCH(bool, valid);
    QString problem;
    QCOMPARE(settings.isValid(&problem), valid);
    QCOMPARE(problem.isEmpty(), valid);
}

QTEST_GUILESS_MAIN(tst_AlertEngine)
#include "tst_alertengine.moc"
