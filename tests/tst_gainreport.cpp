#include "models/gainreport.h"
#include "models/latencylog.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

// GainReport over synthetic logs: every number checked against a brute-force or hand computation.
class tst_GainReport : public QObject
{
    Q_OBJECT

private slots:
    void bothArms_data();
    void bothArms();
    void oneArm_data();
    void oneArm();
    void windowWarmUpsAndFailuresExcluded();
    void handshakesAvoidedFromPoolStats();
    void rate_data();
    void rate();
    void secondsSavedPerDay();
    void openConnectionsHttp1();
    void openConnectionsHttp2();
    void idleExpiryClosesConnections_data();
    void idleExpiryClosesConnections();
    void idleGapInTheMiddle();
    void openConnectionsEdgeCases();
    void fullRing();
};

namespace {

constexpr qint64 now = 1'700'000'000'000;
const QString hostA = QStringLiteral("fapi.bitunix.com:443");
const QString hostB = QStringLiteral("api.hyperliquid.xyz:443");

struct Spec
{
    ReuseMode arm = ReuseMode::Pooled;
    qint64 start = now - 1000;
    double total = 50;
    double connect = 0; // connect+TLS; > 0 makes it a New connection
    int opened = 0;
    QString host = hostA;
    HttpProtocol protocol = HttpProtocol::Http1;
    NetError error = NetError::None;
    bool warmUp = false;
};

RequestSample make(const Spec &spec)
{
    static quint64 id = 0;
    RequestSample s;
    s.id = ++id;
    s.exchange = spec.host == hostA ? QStringLiteral("bitunix") : QStringLiteral("hyperliquid");
    s.endpoint = spec.warmUp ? QStringLiteral("warm-up") : QStringLiteral("tickers");
    s.host = spec.host;
    s.method = spec.warmUp ? QByteArray() : QByteArray("GET");
    s.httpStatus = spec.error == NetError::None ? 200 : (spec.error == NetError::HttpStatus ? 500 : 0);
    s.error = spec.error;
    s.protocol = spec.protocol;
    s.reuse = spec.arm;
    s.connection = spec.connect > 0 ? ConnectionKind::New : ConnectionKind::Reused;
    s.connectionsOpened = spec.opened;
    s.warmUp = spec.warmUp;
    s.startedAtMsSinceEpoch = spec.start;
    if (spec.connect > 0) {
        s.connectStartMs = 0.5;
        s.tlsDoneMs = 0.5 + spec.connect;
    }
    s.requestSentMs = std::min(spec.total, 0.5 + spec.connect + 0.1);
    s.firstByteMs = spec.total;
    s.finishedMs = spec.total;
    return s;
}

void add(LatencyLog &log, const Spec &spec)
{
    log.append(make(spec));
}

double nearestRank(std::vector<double> values, int percent)
{
    std::sort(values.begin(), values.end());
    const size_t rank = size_t(std::ceil(percent / 100.0 * double(values.size())));
    return values.at(rank - 1);
}

bool isNaN(double value)
{
    return std::isnan(value);
}

} // namespace

void tst_GainReport::bothArms_data()
{
    QTest::addColumn<int>("pooledCount");
    QTest::addColumn<int>("noReuseCount");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("1 and 1") << 1 << 1 << 1u;
    QTest::newRow("2 and 3") << 2 << 3 << 2u;
    QTest::newRow("20 and 20") << 20 << 20 << 3u;
    QTest::newRow("37 and 23") << 37 << 23 << 4u;
    QTest::newRow("1000 and 999") << 1000 << 999 << 5u;
}

void tst_GainReport::bothArms()
{
    QFETCH(int, pooledCount);
    QFETCH(int, noReuseCount);
    QFETCH(quint32, seed);
    QRandomGenerator random(seed);
    LatencyLog log;
    std::vector<double> pooled, noReuse;
    double pooledConnect = 0, noReuseConnect = 0;
    // Interleaved, as the A/B mode produces them; a pooled call sometimes pays a handshake.
    for (int i = 0; i < std::max(pooledCount, noReuseCount); ++i) {
        const qint64 start = now - 200'000 + i * 100;
        if (i < pooledCount) {
            const double connect = i % 10 == 0 ? 100 + random.bounded(50) : 0;
            const double total = connect + 50 + random.bounded(2000) / 100.0;
            pooled.push_back(total);
            pooledConnect += connect;
            add(log, {ReuseMode::Pooled, start, total, connect, connect > 0 ? 1 : 0});
        }
        if (i < noReuseCount) {
            const double connect = 100 + random.bounded(5000) / 100.0;
            const double total = connect + 50 + random.bounded(2000) / 100.0;
            noReuse.push_back(total);
            noReuseConnect += connect;
            add(log, {ReuseMode::NoReuse, start + 50, total, connect, 1});
        }
    }
    const GainReport report = GainReport::compute(log, now);
    QVERIFY(report.bothArms());
    QCOMPARE(report.pooled.count, pooledCount);
    QCOMPARE(report.noReuse.count, noReuseCount);
    QCOMPARE(report.pooled.p50, nearestRank(pooled, 50));
    QCOMPARE(report.pooled.p95, nearestRank(pooled, 95));
    QCOMPARE(report.noReuse.p50, nearestRank(noReuse, 50));
    QCOMPARE(report.noReuse.p95, nearestRank(noReuse, 95));
    QCOMPARE(report.pooled.meanConnectMs, pooledConnect / pooledCount);
    QCOMPARE(report.noReuse.meanConnectMs, noReuseConnect / noReuseCount);
    QCOMPARE(report.speedup, nearestRank(noReuse, 50) / nearestRank(pooled, 50));
    QCOMPARE(report.msSavedPerCall, nearestRank(noReuse, 50) - nearestRank(pooled, 50));
    QVERIFY(report.speedup > 1);
    QVERIFY(report.hint().isEmpty());
}

void tst_GainReport::oneArm_data()
{
    QTest::addColumn<int>("pooled");
    QTest::addColumn<int>("noReuse");
    QTest::addColumn<QString>("hintPart"); // empty: no hint
    QTest::newRow("pooled only") << 5 << 0 << QStringLiteral("switch Reuse to No reuse (Ctrl+2)");
    QTest::newRow("no-reuse only") << 0 << 5 << QStringLiteral("switch Reuse to Pooled (Ctrl+1)");
    QTest::newRow("nothing") << 0 << 0 << QString();
    QTest::newRow("both") << 1 << 1 << QString();
}

void tst_GainReport::oneArm()
{
    QFETCH(int, pooled);
    QFETCH(int, noReuse);
    QFETCH(QString, hintPart);
    LatencyLog log;
    for (int i = 0; i < pooled; ++i)
        add(log, {ReuseMode::Pooled, now - 1000 - i, 50});
    for (int i = 0; i < noReuse; ++i)
        add(log, {ReuseMode::NoReuse, now - 1000 - i, 150, 100, 1});
    // A failed call or a warm-up of the missing arm does not make it measured.
    add(log,
        {pooled ? ReuseMode::NoReuse : ReuseMode::Pooled, now - 500, 10'000, 0, 0, hostA,
         HttpProtocol::Unknown, NetError::Timeout});
    add(log,
        {pooled ? ReuseMode::NoReuse : ReuseMode::Pooled, now - 400, 120, 100, 1, hostA,
         HttpProtocol::Unknown, NetError::None, true});
    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.pooled.count, pooled);
    QCOMPARE(report.noReuse.count, noReuse);
    QCOMPARE(report.bothArms(), pooled > 0 && noReuse > 0);
    QCOMPARE(report.anyArm(), pooled > 0 || noReuse > 0);
    if (report.bothArms()) {
        QCOMPARE(report.speedup, 3.0);
        QCOMPARE(report.msSavedPerCall, 100.0);
        QVERIFY(report.hint().isEmpty());
        return;
    }
    QVERIFY(isNaN(report.speedup));
    QVERIFY(isNaN(report.msSavedPerCall));
    QVERIFY(isNaN(report.secondsSavedPerDay));
    if (pooled == 0)
        QVERIFY(isNaN(report.pooled.p50) && isNaN(report.pooled.p95));
    if (noReuse == 0)
        QVERIFY(isNaN(report.noReuse.p50) && isNaN(report.noReuse.p95));
    if (hintPart.isEmpty()) {
        QVERIFY(report.hint().isEmpty());
    } else {
        QVERIFY2(report.hint().contains(hintPart, Qt::CaseInsensitive), qPrintable(report.hint()));
        QVERIFY2(report.hint().contains(QStringLiteral("Interleaved A/B (Ctrl+3) to measure the difference")),
                 qPrintable(report.hint()));
    }
}

void tst_GainReport::windowWarmUpsAndFailuresExcluded()
{
    LatencyLog log;
    // In the window: pooled 10, 20, 30; no-reuse 100, 200, 300.
    for (double total : {10.0, 20.0, 30.0})
        add(log, {ReuseMode::Pooled, now - 60'000, total});
    for (double total : {100.0, 200.0, 300.0})
        add(log, {ReuseMode::NoReuse, now - 60'000, total, 50, 1});
    // None of these may count: warm-ups, failures (transport and HTTP status), before the window, after now.
    for (ReuseMode arm : {ReuseMode::Pooled, ReuseMode::NoReuse}) {
        add(log, {arm, now - 1000, 5000, 100, 1, hostA, HttpProtocol::Unknown, NetError::None, true});
        add(log, {arm, now - 1000, 1, 0, 0, hostA, HttpProtocol::Unknown, NetError::None, true});
        add(log, {arm, now - 1000, 10'000, 0, 0, hostA, HttpProtocol::Unknown, NetError::Timeout});
        add(log, {arm, now - 1000, 0.5, 0, 0, hostA, HttpProtocol::Http1, NetError::HttpStatus});
        add(log, {arm, now - GainReport::defaultWindowMs - 1, 9000});
        add(log, {arm, now + 1, 9000});
        // A call whose connection Qt did not tell: in neither arm.
        RequestSample unknown = make({arm, now - 1000, 7000});
        unknown.connection = ConnectionKind::Unknown;
        log.append(unknown);
    }
    // Exactly at both ends of the window: counted.
    add(log, {ReuseMode::Pooled, now - GainReport::defaultWindowMs, 40});
    add(log, {ReuseMode::Pooled, now, 50});

    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.pooled.count, 5);
    QCOMPARE(report.pooled.p50, 30.0);
    QCOMPARE(report.pooled.p95, 50.0);
    QCOMPARE(report.noReuse.count, 3);
    QCOMPARE(report.noReuse.p50, 200.0);
    QCOMPARE(report.noReuse.p95, 300.0);
    QCOMPARE(report.noReuse.meanConnectMs, 50.0);
    QCOMPARE(report.pooled.meanConnectMs, 0.0);
    QCOMPARE(report.speedup, 200.0 / 30.0);
    QCOMPARE(report.msSavedPerCall, 170.0);

    // A shorter window leaves the old ones out.
    const GainReport recent = GainReport::compute(log, now, 30'000);
    QCOMPARE(recent.pooled.count, 1); // the one at now
    QCOMPARE(recent.noReuse.count, 0);
    QVERIFY(!recent.bothArms());
}

void tst_GainReport::handshakesAvoidedFromPoolStats()
{
    LatencyLog log;
    // Host A, pooled: a warm-up opens 1, a cold burst of 3 opens 2 more, then 16 reused calls: 19 calls on 3
    // connections.
    add(log,
        {ReuseMode::Pooled, now - 100'000, 150, 100, 1, hostA, HttpProtocol::Unknown, NetError::None, true});
    add(log, {ReuseMode::Pooled, now - 99'000, 150, 100, 1, hostA});
    add(log, {ReuseMode::Pooled, now - 99'000, 150, 100, 1, hostA});
    add(log, {ReuseMode::Pooled, now - 99'000, 60, 0, 0, hostA});
    for (int i = 0; i < 16; ++i)
        add(log, {ReuseMode::Pooled, now - 90'000 + i * 2000, 50, 0, 0, hostA});
    // Host B, pooled: 10 calls on 1 connection, one of them failed (still a call).
    add(log, {ReuseMode::Pooled, now - 50'000, 150, 100, 1, hostB});
    for (int i = 0; i < 8; ++i)
        add(log, {ReuseMode::Pooled, now - 48'000 + i * 2000, 50, 0, 0, hostB});
    add(log, {ReuseMode::Pooled, now - 30'000, 50, 0, 0, hostB, HttpProtocol::Http1, NetError::HttpStatus});
    // No-reuse: 7 calls, 7 connections.
    for (int i = 0; i < 7; ++i)
        add(log, {ReuseMode::NoReuse, now - 20'000 + i * 1000, 150, 100, 1, hostA});

    // Cumulative: evicting samples from the ring does not lose the counts.
    log.setCapacity(5);
    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.pooledTotal.requests, 29);
    QCOMPARE(report.pooledTotal.connectionsOpened, 4);
    QCOMPARE(report.handshakesAvoided(), 25);
    QCOMPARE(report.noReuseTotal.requests, 7);
    QCOMPARE(report.noReuseTotal.connectionsOpened, 7);
    QCOMPARE(report.noReuseTotal.handshakesAvoided(), 0);
    QCOMPARE(report.total().requests, 36);
    QCOMPARE(report.total().connectionsOpened, 11);

    QCOMPARE(report.hosts.size(), 2);
    QCOMPARE(report.hosts.at(0).host, hostB); // sorted: "api..." < "fapi..."
    QCOMPARE(report.hosts.at(0).pooled.requests, 10);
    QCOMPARE(report.hosts.at(0).pooled.reused, 9);
    QCOMPARE(report.hosts.at(0).pooled.reuseRate(), 0.9);
    QCOMPARE(report.hosts.at(1).host, hostA);
    QCOMPARE(report.hosts.at(1).pooled.requests, 19);
    QCOMPARE(report.hosts.at(1).pooled.reused, 17);
    QCOMPARE(report.hosts.at(1).pooled.reuseRate(), 17.0 / 19.0);
    QCOMPARE(report.hosts.at(1).exchange, QStringLiteral("bitunix")); // still in the ring (no-reuse samples)
    QCOMPARE(report.hosts.at(0).exchange, QString()); // evicted: no label left
}

void tst_GainReport::rate_data()
{
    QTest::addColumn<qint64>("logAgeMs"); // how long ago the oldest sample in the log started
    QTest::addColumn<qint64>("expectedSpanMs");
    QTest::newRow("older than the window") << qint64(3'600'000) << GainReport::defaultWindowMs;
    QTest::newRow("exactly the window") << GainReport::defaultWindowMs << GainReport::defaultWindowMs;
    QTest::newRow("two minutes") << qint64(120'000) << qint64(120'000);
    QTest::newRow("ten seconds: at least a minute") << qint64(10'000) << qint64(60'000);
}

void tst_GainReport::rate()
{
    QFETCH(qint64, logAgeMs);
    QFETCH(qint64, expectedSpanMs);
    LatencyLog log;
    // The oldest sample: a warm-up (it marks the session start, it is no call).
    add(log,
        {ReuseMode::Pooled, now - logAgeMs, 150, 100, 1, hostA, HttpProtocol::Unknown, NetError::None, true});
    // One call every 2.5 s from then on, alternating arms, every 7th failed.
    int expectedCalls = 0;
    int i = 0;
    for (qint64 t = now - logAgeMs + 1; t <= now; t += 2500, ++i) {
        const ReuseMode arm = i % 2 ? ReuseMode::NoReuse : ReuseMode::Pooled;
        add(log,
            {arm, t, arm == ReuseMode::Pooled ? 50.0 : 150.0, arm == ReuseMode::Pooled ? 0.0 : 100.0,
             arm == ReuseMode::Pooled ? 0 : 1, hostA, HttpProtocol::Http1,
             i % 7 == 6 ? NetError::Timeout : NetError::None});
        if (t >= now - expectedSpanMs)
            ++expectedCalls;
        // Warm-ups in the span are no calls.
        if (i % 10 == 0)
            add(log, {ReuseMode::Pooled, t, 150, 100, 1, hostA, HttpProtocol::Unknown, NetError::None, true});
    }
    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.rateSpanMs, expectedSpanMs);
    QCOMPARE(report.callsInRateSpan, expectedCalls);
    QCOMPARE(report.callsPerMinute, expectedCalls * 60'000.0 / double(expectedSpanMs));
    if (logAgeMs >= GainReport::defaultWindowMs)
        QVERIFY(std::abs(report.callsPerMinute - 24) <= 0.2); // 1 call / 2.5 s
    QCOMPARE(report.secondsSavedPerDay, 100.0 * report.callsPerMinute * 1440 / 1000);
}

void tst_GainReport::secondsSavedPerDay()
{
    // 48 calls in the last 5 min (9.6/min), pooled p50 50 ms, no-reuse p50 155 ms: 105 ms saved per call,
    // 9.6 × 1440 = 13 824 calls a day, 1451.52 s a day.
    LatencyLog log;
    add(log, {ReuseMode::Pooled, now - 3'600'000, 50}); // an old one: the log covers the whole window
    for (int i = 0; i < 24; ++i) {
        add(log, {ReuseMode::Pooled, now - 290'000 + i * 12'000, 50});
        add(log, {ReuseMode::NoReuse, now - 284'000 + i * 12'000, 155, 100, 1});
    }
    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.callsInRateSpan, 48);
    QCOMPARE(report.callsPerMinute, 9.6);
    QCOMPARE(report.msSavedPerCall, 105.0);
    QCOMPARE(report.speedup, 3.1);
    QVERIFY(std::abs(report.secondsSavedPerDay - 1451.52) < 1e-9);

    // No gain is reported as such (negative), not hidden.
    LatencyLog slower;
    add(slower, {ReuseMode::Pooled, now - 1000, 60});
    add(slower, {ReuseMode::NoReuse, now - 1000, 50, 10, 1});
    const GainReport negative = GainReport::compute(slower, now);
    QCOMPARE(negative.msSavedPerCall, -10.0);
    QVERIFY(negative.secondsSavedPerDay < 0);
}

void tst_GainReport::openConnectionsHttp1()
{
    LatencyLog log;
    // A cold burst of 3 at t0 on an HTTP/1.1 host (Qt opened 3: two reported by the `new` calls, one by the
    // queued one that never used it), then one call every 2 s: all 3 stay open while the host is busy.
    const qint64 t0 = now - 600'000; // older than the window: the age is not capped by it
    add(log, {ReuseMode::Pooled, t0, 150, 100, 1, hostB});
    add(log, {ReuseMode::Pooled, t0, 150, 100, 1, hostB});
    add(log, {ReuseMode::Pooled, t0 + 1, 200, 0, 1, hostB});
    for (qint64 t = t0 + 2000; t < now; t += 2000)
        add(log, {ReuseMode::Pooled, t, 50, 0, 0, hostB});
    // No-reuse connections to the same host are never pooled.
    for (int i = 0; i < 5; ++i)
        add(log, {ReuseMode::NoReuse, now - 5000 + i, 150, 100, 1, hostB});

    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.openConnections.size(), 1);
    const OpenConnectionEstimate e = report.openConnections.first();
    QCOMPARE(e.host, hostB);
    QCOMPARE(e.exchange, QStringLiteral("hyperliquid"));
    QCOMPARE(e.count, 3);
    QVERIFY(!e.http2);
    QCOMPARE(e.oldestOpenedAtMs, t0);
    QCOMPARE(e.ageMs, now - t0);
    QCOMPARE(report.openConnectionCount(), 3);

    // More than Qt's 6 per host (connections that died and were replaced): the newest 6.
    LatencyLog many;
    for (int i = 0; i < 8; ++i)
        add(many, {ReuseMode::Pooled, now - 10'000 + i * 1000, 150, 100, 1, hostB});
    const GainReport capped = GainReport::compute(many, now);
    QCOMPARE(capped.openConnections.size(), 1);
    QCOMPARE(capped.openConnections.first().count, GainReport::maxHttp1ConnectionsPerHost);
    QCOMPARE(capped.openConnections.first().oldestOpenedAtMs, now - 10'000 + 2 * 1000);
}

void tst_GainReport::openConnectionsHttp2()
{
    LatencyLog log;
    // A warm-up (protocol unknown to it) opens the connection, then h2 calls, a burst among them whose
    // samples report 1 new + shared ones.
    const qint64 t0 = now - 100'000;
    add(log, {ReuseMode::Pooled, t0, 150, 100, 1, hostA, HttpProtocol::Unknown, NetError::None, true});
    for (qint64 t = t0 + 2000; t < now; t += 2000)
        add(log, {ReuseMode::Pooled, t, 50, 0, 0, hostA, HttpProtocol::Http2});
    GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.openConnections.size(), 1);
    QCOMPARE(report.openConnections.first().count, 1);
    QVERIFY(report.openConnections.first().http2);
    QCOMPARE(report.openConnections.first().ageMs, 100'000);

    // The server dropped it and Qt opened another (no idle gap): still one, as old as the new one.
    add(log, {ReuseMode::Pooled, now - 3000, 150, 100, 1, hostA, HttpProtocol::Http2});
    report = GainReport::compute(log, now);
    QCOMPARE(report.openConnections.size(), 1);
    QCOMPARE(report.openConnections.first().count, 1);
    QCOMPARE(report.openConnections.first().oldestOpenedAtMs, now - 3000);
    QCOMPARE(report.openConnections.first().ageMs, 3000);
}

void tst_GainReport::idleExpiryClosesConnections_data()
{
    QTest::addColumn<qint64>("lastEndAgoMs"); // when the host's last reply finished
    QTest::addColumn<int>("idleSeconds");
    QTest::addColumn<int>("expected");
    QTest::newRow("busy") << qint64(1000) << 50 << 2;
    QTest::newRow("idle 50 s, expiry 50 s: still open") << qint64(50'000) << 50 << 2;
    QTest::newRow("idle 50.001 s: closed") << qint64(50'001) << 50 << 0;
    QTest::newRow("idle 51 s") << qint64(51'000) << 50 << 0;
    QTest::newRow("idle 51 s, expiry 60 s") << qint64(51'000) << 60 << 2;
    QTest::newRow("idle 5 min, expiry 120 s") << qint64(300'000) << 120 << 0;
}

void tst_GainReport::idleExpiryClosesConnections()
{
    QFETCH(qint64, lastEndAgoMs);
    QFETCH(int, idleSeconds);
    QFETCH(int, expected);
    LatencyLog log;
    const qint64 lastEnd = now - lastEndAgoMs;
    add(log, {ReuseMode::Pooled, lastEnd - 20'000, 150, 100, 1, hostB});
    add(log, {ReuseMode::Pooled, lastEnd - 20'000, 150, 100, 1, hostB});
    add(log, {ReuseMode::Pooled, lastEnd - 10'000, 50, 0, 0, hostB});
    // A long call: it is the end of a reply that counts, not its start.
    add(log, {ReuseMode::Pooled, lastEnd - 8000, 8000, 0, 0, hostB});
    const GainReport report = GainReport::compute(log, now, GainReport::defaultWindowMs, idleSeconds);
    QCOMPARE(report.keepAliveIdleSeconds, idleSeconds);
    QCOMPARE(report.openConnectionCount(), expected);
    QCOMPARE(report.openConnections.size(), expected > 0 ? 1 : 0);
}

void tst_GainReport::idleGapInTheMiddle()
{
    LatencyLog log;
    // Host A: 2 connections, then 60 s idle (closed by the client at 50 s), then a new one: 1 open, young.
    add(log, {ReuseMode::Pooled, now - 200'000, 150, 100, 1, hostA});
    add(log, {ReuseMode::Pooled, now - 200'000, 150, 100, 1, hostA});
    add(log, {ReuseMode::Pooled, now - 190'000, 50, 0, 0, hostA});
    add(log, {ReuseMode::Pooled, now - 130'000, 150, 100, 1, hostA});
    add(log, {ReuseMode::Pooled, now - 2000, 50, 0, 0, hostA}); // 128 s later, but no new connection...
    // ...so Qt would have had to open one: the estimate trusts connectionsOpened and says none is left.
    // Host B: same start, but busy every 40 s: both still open.
    add(log, {ReuseMode::Pooled, now - 200'000, 150, 100, 1, hostB});
    add(log, {ReuseMode::Pooled, now - 200'000, 150, 100, 1, hostB});
    for (qint64 t = now - 160'000; t < now; t += 40'000)
        add(log, {ReuseMode::Pooled, t, 50, 0, 0, hostB});
    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.openConnections.size(), 1);
    QCOMPARE(report.openConnections.first().host, hostB);
    QCOMPARE(report.openConnections.first().count, 2);
    QCOMPARE(report.openConnections.first().ageMs, 200'000);

    // With a call 40 s after the reconnect, host A holds the one from -130 s.
    add(log, {ReuseMode::Pooled, now - 90'000, 50, 0, 0, hostA});
    add(log, {ReuseMode::Pooled, now - 45'000, 50, 0, 0, hostA});
    const GainReport later = GainReport::compute(log, now);
    QCOMPARE(later.openConnections.size(), 2);
    QCOMPARE(later.openConnections.at(1).host, hostA);
    QCOMPARE(later.openConnections.at(1).count, 1);
    QCOMPARE(later.openConnections.at(1).oldestOpenedAtMs, now - 130'000);
}

void tst_GainReport::openConnectionsEdgeCases()
{
    LatencyLog log;
    QVERIFY(GainReport::compute(log, now).openConnections.isEmpty());
    // A transport failure loses its connection; an HTTP error status keeps it.
    add(log,
        {ReuseMode::Pooled, now - 1000, 150, 100, 1, hostA, HttpProtocol::Unknown,
         NetError::ConnectionClosed});
    QCOMPARE(GainReport::compute(log, now).openConnectionCount(), 0);
    add(log, {ReuseMode::Pooled, now - 900, 150, 100, 1, hostB, HttpProtocol::Http1, NetError::HttpStatus});
    QCOMPARE(GainReport::compute(log, now).openConnectionCount(), 1);
    // Samples out of order (they arrive as they finish): the same answer.
    LatencyLog shuffled;
    add(shuffled, {ReuseMode::Pooled, now - 1000, 50, 0, 0, hostB});
    add(shuffled, {ReuseMode::Pooled, now - 70'000, 150, 100, 1, hostB});
    add(shuffled, {ReuseMode::Pooled, now - 40'000, 50, 0, 0, hostB});
    const GainReport report = GainReport::compute(shuffled, now);
    QCOMPARE(report.openConnectionCount(), 1);
    QCOMPARE(report.openConnections.first().ageMs, 70'000);
}

void tst_GainReport::fullRing()
{
    // A full ring (100 000 samples, hours of calls on two busy hosts). How long compute() takes is measured
    // by `exdash --bench`, not asserted here: a wall-clock limit fails on a loaded machine, not on slow code.
    LatencyLog log;
    const int n = LatencyLog::defaultCapacity;
    for (int i = 0; i < n; ++i) {
        const bool pooled = i % 2 == 0;
        add(log,
            {pooled ? ReuseMode::Pooled : ReuseMode::NoReuse, now - qint64(n - i) * 100,
             pooled ? 50.0 : 150.0, pooled ? 0.0 : 100.0, pooled ? (i == 0 ? 1 : 0) : 1,
             i % 4 < 2 ? hostA : hostB, HttpProtocol::Http1});
    }
    const GainReport report = GainReport::compute(log, now);
    QCOMPARE(report.pooled.count, 1500); // 5 min at 10 calls/s, half of them pooled
    QCOMPARE(report.openConnectionCount(), 1);
    QCOMPARE(report.openConnections.first().ageMs, qint64(n) * 100);
}

QTEST_GUILESS_MAIN(tst_GainReport)
#include "tst_gainreport.moc"
