#include "cli/benchrunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

// Counts and shapes only: how fast anything was is the benchmark's to report, not a test's to assert.
class tst_BenchRunner : public QObject
{
    Q_OBJECT

private slots:
    void interleavedInProcess();
    void oneArm();
    void concurrencyOne();
    void executableJson();
    void executableTableAndBadArguments();

private:
    QProcessEnvironment processEnvironment() const;
    QTemporaryDir m_home;
};

namespace {

const QStringList modeFields = {"requests",      "newConnections", "callP50Ms",      "callP95Ms",
                                "callFirstMs",   "cycleP50Ms",     "cycleP95Ms",     "cpuMsPerRequest",
                                "serverChecked", "misclassified",  "notOpenedForIt", "unknownKind",
                                "maxConcurrent"};

void verifyMode(const QJsonObject &mode)
{
    for (const QString &field : modeFields)
        QVERIFY2(mode.value(field).isDouble(), qPrintable(field));
    QVERIFY(mode.value("requests").toInt() > 0);
    // Against exsim every answer carries the server's view, and it contradicts no sample.
    QCOMPARE(mode.value("serverChecked").toInt(), mode.value("requests").toInt());
    QCOMPARE(mode.value("misclassified").toInt(), 0);
    QCOMPARE(mode.value("notOpenedForIt").toInt(), 0);
    QVERIFY(mode.value("callP50Ms").toDouble() <= mode.value("callP95Ms").toDouble());
    QVERIFY(mode.value("cycleP50Ms").toDouble() <= mode.value("cycleP95Ms").toDouble());
    QVERIFY(mode.value("cpuMsPerRequest").toDouble() >= 0);
    QVERIFY(mode.value("maxConcurrent").toInt() >= 1);
    // The threads that carry a request each spent CPU on it: Qt's network thread is the pool's, or (no
    // reuse) one per request's manager, which ends with it.
    const QJsonObject threads = mode.value("cpuMsPerRequestByThread").toObject();
    QVERIFY(threads.value("main").toDouble() > 0);
    QVERIFY(threads.value("exdash-net").toDouble() > 0);
    QVERIFY(threads.value("qt-network").toDouble() + threads.value("ended").toDouble() > 0);
    // Every successful call in one endpoint's row, each row named "exchange endpoint".
    const QJsonObject endpoints = mode.value("endpoints").toObject();
    int calls = 0;
    for (const QString &endpoint : endpoints.keys()) {
        QVERIFY2(endpoint.startsWith("bitunix ") || endpoint.startsWith("hyperliquid "),
                 qPrintable(endpoint));
        const QJsonObject row = endpoints.value(endpoint).toObject();
        QVERIFY(row.value("callP50Ms").toDouble() <= row.value("callP95Ms").toDouble());
        calls += row.value("requests").toInt();
    }
    QCOMPARE(calls, mode.value("requests").toInt());
    for (const char *endpoint : {"bitunix tickers", "bitunix funding_rate", "bitunix positions",
                                 "bitunix account", "hyperliquid allMids", "hyperliquid metaAndAssetCtxs",
                                 "hyperliquid clearinghouseState", "hyperliquid spotClearinghouseState"})
        QVERIFY2(endpoints.contains(QLatin1String(endpoint)), endpoint);
}

} // namespace

QProcessEnvironment tst_BenchRunner::processEnvironment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path());
    environment.insert(QStringLiteral("HOME"), m_home.path());
    return environment;
}

void tst_BenchRunner::interleavedInProcess()
{
    SessionConfig config;
    config.exsim.rttMs = 0;
    config.reuse = ReuseMode::Interleaved;
    BenchRunner runner;
    QJsonObject document;
    QList<int> progress;
    BenchOptions options;
    options.cycles = 4;
    QCOMPARE(runner.run(config, options, &document,
                        [&progress](int done, int total) {
                            QCOMPARE(total, 4);
                            progress.append(done);
                        }),
             0);
    QCOMPARE(progress, (QList<int> {1, 2, 3, 4}));
    QCOMPARE(document.value("cycles").toInt(), 4);
    QCOMPARE(document.value("errors").toInt(), 0);
    QCOMPARE(document.value("rttMs").toDouble(), 0.0);

    const QJsonObject modes = document.value("modes").toObject();
    QCOMPARE(modes.keys(), (QStringList {"no-reuse", "pooled"}));
    const QJsonObject pooled = modes.value("pooled").toObject();
    const QJsonObject noReuse = modes.value("no-reuse").toObject();
    verifyMode(pooled);
    verifyMode(noReuse);
    // The arms alternate per cycle.
    QCOMPARE(pooled.value("cycles").toInt(), 2);
    QCOMPARE(noReuse.value("cycles").toInt(), 2);
    QVERIFY(pooled.value("contextSwitchesPerRequest").isNull()); // exsim's thread's would count
    // No reuse: one connection per request, each opened for it (checked per request by the server's view
    // above). Pooled: the second cycle opens none.
    QCOMPARE(noReuse.value("newConnections").toInt(), noReuse.value("requests").toInt());
    QVERIFY(pooled.value("newConnections").toInt() < pooled.value("requests").toInt() / 2);

    const QJsonObject gain = document.value("gain").toObject();
    QVERIFY(gain.value("callP50Ratio").isDouble());
    QVERIFY(gain.value("cycleP50Ratio").isDouble());
    const QJsonObject memory = document.value("memory").toObject();
    QVERIFY(memory.value("rssKb").toArray().size() >= 2);
    QCOMPARE(memory.value("logFullAtCycle").toInt(), -1); // 4 cycles do not fill 100 000 samples
    const QJsonObject gainReport = document.value("gainReport").toObject();
    QCOMPARE(gainReport.value("samples").toInt(), memory.value("logCapacity").toInt());
    QVERIFY(gainReport.value("computeMs").toDouble() > 0);
    QVERIFY(gainReport.value("pooledInWindow").toInt() > 0);
}

void tst_BenchRunner::oneArm()
{
    SessionConfig config;
    config.exsim.rttMs = 0;
    config.reuse = ReuseMode::NoReuse;
    BenchRunner runner;
    QJsonObject document;
    BenchOptions options;
    options.cycles = 2;
    QCOMPARE(runner.run(config, options, &document), 0);
    const QJsonObject modes = document.value("modes").toObject();
    QCOMPARE(modes.keys(), QStringList {"no-reuse"});
    QVERIFY(document.value("gain").isNull()); // nothing to compare with
    const QString table = BenchRunner::table(document);
    QVERIFY2(table.contains("no-reuse") && table.contains("new connections"), qPrintable(table));
    QVERIFY(!table.contains("faster"));
}

void tst_BenchRunner::concurrencyOne()
{
    SessionConfig config;
    config.exsim.rttMs = 0;
    config.reuse = ReuseMode::Interleaved;
    BenchOptions options;
    options.cycles = 4;
    options.sequential = true;
    BenchRunner runner;
    QJsonObject document;
    QCOMPARE(runner.run(config, options, &document), 0);
    QCOMPARE(document.value("concurrency").toInt(), 1);
    QCOMPARE(document.value("exsim").toString(), QStringLiteral("in-process"));
    const QJsonObject modes = document.value("modes").toObject();
    const QJsonObject pooled = modes.value("pooled").toObject();
    const QJsonObject noReuse = modes.value("no-reuse").toObject();
    verifyMode(pooled);
    verifyMode(noReuse);
    QCOMPARE(pooled.value("cycles").toInt(), 2);
    QCOMPARE(noReuse.value("cycles").toInt(), 2);
    // One data kind at a time: each request alone in flight, but for the first cycle's Bitunix precision,
    // which goes out beside the first tickers.
    const bool pooledFirst = pooled.value("endpoints").toObject().contains("bitunix trading_pairs");
    QCOMPARE(pooledFirst, !noReuse.value("endpoints").toObject().contains("bitunix trading_pairs"));
    QVERIFY((pooledFirst ? pooled : noReuse).value("maxConcurrent").toInt() <= 2);
    QCOMPARE((pooledFirst ? noReuse : pooled).value("maxConcurrent").toInt(), 1);
    // Without exsim nothing paces it to a rate limit: refused.
    config.demo = false;
    QCOMPARE(runner.run(config, options, &document), 64);
    QVERIFY(document.value("error").toString().contains("exsim only"));
}

void tst_BenchRunner::executableJson()
{
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY), {"--bench", "--cycles", "3", "--json", "--rtt", "0"});
    QVERIFY(finished.wait(60'000));
    const QByteArray out = exdash.readAllStandardOutput();
    const QByteArray err = exdash.readAllStandardError();
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() == 0, (out + err).constData());
    QVERIFY2(err.isEmpty(), err.constData()); // no progress bar in JSON mode

    QJsonParseError parseError;
    const QJsonObject document = QJsonDocument::fromJson(out, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    for (const char *key : {"rttMs", "cycles", "modes", "gain"})
        QVERIFY2(document.contains(key), key);
    QCOMPARE(document.value("cycles").toInt(), 3);
    QCOMPARE(document.value("exsim").toString(), QStringLiteral("process")); // the exsim beside exdash
    QCOMPARE(document.value("concurrency").toString(), QStringLiteral("refresh cycle"));
    const QJsonObject modes = document.value("modes").toObject();
    verifyMode(modes.value("pooled").toObject());
    verifyMode(modes.value("no-reuse").toObject());
    // Every request waits for exsim's answer, so some thread of exdash sleeps and wakes for it.
    QVERIFY(modes.value("pooled").toObject().value("contextSwitchesPerRequest").toDouble() >= 1);
    QVERIFY(modes.value("pooled").toObject().value("newConnections").toInt()
            < modes.value("no-reuse").toObject().value("newConnections").toInt());
}

void tst_BenchRunner::executableTableAndBadArguments()
{
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment());
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {"--bench", "--cycles", "2", "--rtt", "0", "--reuse", "pooled"});
    QVERIFY(finished.wait(60'000));
    const QString out = QString::fromUtf8(exdash.readAllStandardOutput());
    const QString err = QString::fromUtf8(exdash.readAllStandardError());
    QCOMPARE(exdash.exitCode(), 0);
    QVERIFY2(out.contains("pooled") && out.contains("cycle p50 ms"), qPrintable(out));
    QVERIFY2(err.contains("2/2 cycles"), qPrintable(err)); // the progress bar

    for (const QStringList &arguments :
         {QStringList {"--bench", "--cycles", "0"}, QStringList {"--bench", "--cycles", "many"},
          QStringList {"--bench", "--reuse", "sometimes"}, QStringList {"--bench", "--concurrency", "2"},
          QStringList {"--bench", "--concurrency", "1", "--bitunix-url", "https://x.invalid"}}) {
        QProcess bad;
        bad.setProcessEnvironment(processEnvironment());
        QSignalSpy badFinished(&bad, &QProcess::finished);
        bad.start(QStringLiteral(EXDASH_BINARY), arguments);
        QVERIFY(badFinished.wait(60'000));
        QCOMPARE(bad.exitCode(), 64);
        QVERIFY(bad.readAllStandardError().startsWith("exdash: "));
    }
}

QTEST_GUILESS_MAIN(tst_BenchRunner)
#include "tst_benchrunner.moc"
