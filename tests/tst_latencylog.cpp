#include "models/latencylog.h"

#include "printers.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace {

const QString hostA = QStringLiteral("api.bitunix.test:443");
const QString hostB = QStringLiteral("api.hyperliquid.test:443");
const QString hostC = QStringLiteral("127.0.0.1:8443");

// Marks that make the phases add up to `total`: a paid handshake spends the first half connecting.
RequestSample sample(quint64 id, const QString &host, ReuseMode arm, ConnectionKind kind, double total,
                     qint64 startedAt = 0)
{
    RequestSample s;
    s.id = id;
    s.exchange = QStringLiteral("bitunix");
    s.endpoint = QStringLiteral("tickers");
    s.host = host;
    s.method = "GET";
    s.httpStatus = 200;
    s.reuse = arm;
    s.connection = kind;
    s.connectionsOpened = kind == ConnectionKind::New ? 1 : 0;
    s.startedAtMsSinceEpoch = startedAt;
    if (kind != ConnectionKind::Reused) {
        s.connectStartMs = total * 0.05;
        s.tlsDoneMs = total * 0.5;
    }
    s.requestSentMs = total * 0.55;
    s.firstByteMs = total * 0.9;
    s.finishedMs = total;
    return s;
}

// The percentile by definition: the smallest measured value that at least p % of the values do not exceed.
double nearestRank(QList<double> values, int percent)
{
    std::sort(values.begin(), values.end());
    for (qsizetype i = 0; i < values.size(); ++i) {
        if ((i + 1) * 100 >= percent * values.size())
            return values.at(i);
    }
    return std::numeric_limits<double>::quiet_NaN();
}

bool expectedToMatch(const LatencyFilter &f, const RequestSample &s)
{
    if (f.host && s.host != *f.host)
        return false;
    if (f.arm && s.reuse != *f.arm)
        return false;
    if (!f.kinds.contains(s.connection))
        return false;
    if (f.okOnly && s.error != NetError::None)
        return false;
    if (s.warmUp && !f.includeWarmUps)
        return false;
    if (f.fromMs && s.startedAtMsSinceEpoch < *f.fromMs)
        return false;
    if (f.toMs && !(s.startedAtMsSinceEpoch < *f.toMs))
        return false;
    return true;
}

bool fuzzyEqual(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * 4096 : -1;
}

} // namespace

// Emits samples from its own thread, as HttpClient does.
class SampleSource : public QObject
{
    Q_OBJECT

public:
    void emitSample(const RequestSample &s) { emit sampleReady(s); }

signals:
    void sampleReady(const RequestSample &sample);
};

class tst_LatencyLog : public QObject
{
    Q_OBJECT

private slots:
    void emptyLog();
    void appendKeepsArrivalOrder();
    void capacityEvictsTheOldest();
    void setCapacityKeepsTheNewest();
    void countsPerHostArmAndKind();
    void statsOnKnownValues();
    void statsExcludeFailuresAndWarmUpsByDefault();
    void percentilesMatchBruteForce_data();
    void percentilesMatchBruteForce();
    void statsCacheEndsAtTheNextAppend();
    void windowByStartTime();
    void poolStatsSeeEverySample();
    void clearEmptiesEverything();
    void queuedAppendFromAnotherThread();
    void millionSamplesStayAtCapacity();
};

void tst_LatencyLog::emptyLog()
{
    LatencyLog log;
    QCOMPARE(log.capacity(), 100'000);
    QCOMPARE(log.size(), 0);
    QVERIFY(log.isEmpty());
    const LatencyStats stats = log.stats();
    QCOMPARE(stats.count, 0);
    QVERIFY(std::isnan(stats.p50));
    QVERIFY(std::isnan(stats.p95));
    QVERIFY(std::isnan(stats.mean));
    QVERIFY(std::isnan(stats.meanConnect));
    QVERIFY(log.hosts().isEmpty());
    QCOMPARE(log.count(hostA), 0);
    QCOMPARE(log.count(hostA, ReuseMode::Pooled, ConnectionKind::New), 0);
    QVERIFY(log.window(std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()).isEmpty());
    QVERIFY(log.poolStats().hosts().isEmpty());
}

void tst_LatencyLog::appendKeepsArrivalOrder()
{
    LatencyLog log;
    QSignalSpy appended(&log, &LatencyLog::appended);
    for (quint64 id = 1; id <= 5; ++id)
        log.append(
            sample(id, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 10.0 * id, 1000 - qint64(id)));
    QCOMPARE(appended.size(), 5);
    QCOMPARE(log.size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(log.at(i).id, quint64(i + 1));
    QCOMPARE(log.at(4).finishedMs, 50.0);
    QCOMPARE(log.at(0).host, hostA);
    QCOMPARE(log.appendedTotal(), quint64(5));
}

void tst_LatencyLog::capacityEvictsTheOldest()
{
    LatencyLog log;
    log.setCapacity(10);
    const QList<ConnectionKind> kinds = {ConnectionKind::New, ConnectionKind::Shared, ConnectionKind::Queued,
                                         ConnectionKind::Reused};
    QList<RequestSample> all;
    for (quint64 id = 1; id <= 25; ++id) {
        // The first 12 go to hostC only: none of them survives.
        const QString &host = id <= 12 ? hostC : (id % 2 ? hostA : hostB);
        const ReuseMode arm = id % 3 ? ReuseMode::Pooled : ReuseMode::NoReuse;
        all.append(sample(id, host, arm, kinds.at(int(id % 4)), double(id)));
        log.append(all.last());
        QCOMPARE(log.size(), std::min(int(id), 10));
        QCOMPARE(log.at(0).id, id <= 10 ? quint64(1) : id - 9);
    }
    QCOMPARE(log.at(9).id, quint64(25));
    QCOMPARE(log.count(hostC), 0);
    QCOMPARE(log.hosts(), (QStringList {hostA, hostB}));
    for (const QString &host : {hostA, hostB, hostC}) {
        for (ReuseMode arm : {ReuseMode::Pooled, ReuseMode::NoReuse}) {
            for (ConnectionKind kind : kinds) {
                const auto expected = std::count_if(all.cend() - 10, all.cend(), [&](const RequestSample &s) {
                    return s.host == host && s.reuse == arm && s.connection == kind;
                });
                QCOMPARE(log.count(host, arm, kind), int(expected));
            }
        }
    }
    QCOMPARE(log.count(hostA) + log.count(hostB), 10);
    QCOMPARE(log.stats().count, 10);
    QCOMPARE(log.stats().min, 16.0);
    QCOMPARE(log.appendedTotal(), quint64(25));
}

void tst_LatencyLog::setCapacityKeepsTheNewest()
{
    LatencyLog log;
    QSignalSpy cleared(&log, &LatencyLog::cleared);
    log.setCapacity(5);
    for (quint64 id = 1; id <= 8; ++id) // wraps: the oldest is no longer at the start of the storage
        log.append(
            sample(id, id <= 5 ? hostA : hostB, ReuseMode::Pooled, ConnectionKind::Reused, double(id)));
    log.setCapacity(3);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.at(0).id, quint64(6));
    QCOMPARE(log.at(2).id, quint64(8));
    QCOMPARE(log.count(hostA), 0);
    QCOMPARE(log.count(hostB), 3);

    log.setCapacity(20);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(log.size(), 3);
    for (quint64 id = 9; id <= 30; ++id)
        log.append(sample(id, hostB, ReuseMode::Pooled, ConnectionKind::Reused, double(id)));
    QCOMPARE(log.size(), 20);
    QCOMPARE(log.at(0).id, quint64(11));
    QCOMPARE(log.at(19).id, quint64(30));
    QCOMPARE(log.count(hostB), 20);

    log.setCapacity(0); // at least one
    QCOMPARE(log.capacity(), 1);
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.at(0).id, quint64(30));
}

void tst_LatencyLog::countsPerHostArmAndKind()
{
    LatencyLog log;
    log.append(sample(1, hostA, ReuseMode::Pooled, ConnectionKind::New, 100));
    log.append(sample(2, hostA, ReuseMode::Pooled, ConnectionKind::Shared, 100));
    log.append(sample(3, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 30));
    log.append(sample(4, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 30));
    log.append(sample(5, hostA, ReuseMode::NoReuse, ConnectionKind::New, 150));
    RequestSample failed = sample(6, hostB, ReuseMode::NoReuse, ConnectionKind::Queued, 10'000);
    failed.error = NetError::Timeout;
    log.append(failed);
    log.append(sample(7, hostA, ReuseMode::Pooled, ConnectionKind::Unknown, 40));

    QCOMPARE(log.count(hostA, ReuseMode::Pooled, ConnectionKind::Reused), 2);
    QCOMPARE(log.count(hostA, ReuseMode::Pooled, ConnectionKind::New), 1);
    QCOMPARE(log.count(hostA, ReuseMode::Pooled, ConnectionKinds::paidHandshake()), 2);
    QCOMPARE(log.count(hostA, ReuseMode::Pooled, ConnectionKind::Unknown), 1);
    QCOMPARE(log.count(hostA, ReuseMode::Pooled, ConnectionKinds::known()), 4);
    QCOMPARE(log.count(hostA, ReuseMode::Pooled), 5);
    QCOMPARE(log.count(hostA, ReuseMode::NoReuse), 1); // an unknown pooled call is no no-reuse call
    QCOMPARE(log.count(hostB, ReuseMode::NoReuse, ConnectionKind::Queued), 1); // failed ones are counted
    QCOMPARE(log.count(hostA), 6);
    QCOMPARE(log.count(QStringLiteral("elsewhere:443")), 0);
    QCOMPARE(log.hosts(), (QStringList {hostA, hostB}));

    QVERIFY(ConnectionKinds().contains(ConnectionKind::Queued));
    QVERIFY(!ConnectionKinds::reused().contains(ConnectionKind::Shared));
    QVERIFY(ConnectionKinds::paidHandshake().contains(ConnectionKind::Shared));
    QVERIFY(!ConnectionKinds::paidHandshake().contains(ConnectionKind::Reused));
    QVERIFY(ConnectionKinds::known() == (ConnectionKinds::paidHandshake() | ConnectionKinds::reused()));
    QVERIFY(!ConnectionKinds::known().contains(ConnectionKind::Unknown));
    QVERIFY((ConnectionKinds::known() | ConnectionKinds::only(ConnectionKind::Unknown))
            == ConnectionKinds::any());
}

void tst_LatencyLog::statsOnKnownValues()
{
    LatencyLog log;
    for (int i = 10; i >= 1; --i) // arrival order is irrelevant
        log.append(sample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 10.0 * i));
    LatencyStats stats = log.stats();
    QCOMPARE(stats.count, 10);
    QCOMPARE(stats.p50, 50.0); // nearest rank: the 5th of 10
    QCOMPARE(stats.p95, 100.0); // the 10th of 10
    QCOMPARE(stats.mean, 55.0);
    QCOMPARE(stats.min, 10.0);
    QCOMPARE(stats.max, 100.0);
    QCOMPARE(stats.meanConnect, 0.0); // reused: no handshake
    QVERIFY(
        fuzzyEqual(stats.meanQueue + stats.meanConnect + stats.meanWait + stats.meanDownload, stats.mean));
    QVERIFY(fuzzyEqual(stats.meanDownload, 5.5));

    for (int i = 11; i <= 20; ++i)
        log.append(sample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 10.0 * i));
    stats = log.stats();
    QCOMPARE(stats.p50, 100.0); // the 10th of 20
    QCOMPARE(stats.p95, 190.0); // the 19th of 20

    LatencyLog one;
    one.append(sample(1, hostA, ReuseMode::Pooled, ConnectionKind::New, 160.7));
    stats = one.stats();
    QCOMPARE(stats.count, 1);
    QCOMPARE(stats.p50, 160.7);
    QCOMPARE(stats.p95, 160.7);
    QVERIFY(fuzzyEqual(stats.meanConnect, 160.7 * 0.45));
}

void tst_LatencyLog::statsExcludeFailuresAndWarmUpsByDefault()
{
    LatencyLog log;
    log.append(sample(1, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50));
    RequestSample timeout = sample(2, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 10'000);
    timeout.error = NetError::Timeout;
    log.append(timeout);
    RequestSample warmUp = sample(3, hostA, ReuseMode::Pooled, ConnectionKind::New, 150);
    warmUp.warmUp = true;
    log.append(warmUp);

    QCOMPARE(log.stats().count, 1);
    QCOMPARE(log.stats().max, 50.0);
    LatencyFilter all;
    all.okOnly = false;
    QCOMPARE(log.stats(all).count, 2);
    QCOMPARE(log.stats(all).max, 10'000.0);
    all.includeWarmUps = true;
    QCOMPARE(log.stats(all).count, 3);
}

void tst_LatencyLog::percentilesMatchBruteForce_data()
{
    QTest::addColumn<LatencyFilter>("filter");

    const auto row = [](const char *name, const std::function<void(LatencyFilter &)> &setUp) {
        LatencyFilter filter;
        setUp(filter);
        QTest::newRow(name) << filter;
    };
    row("default: ok calls", [](LatencyFilter &) {});
    row("failures too", [](LatencyFilter &f) { f.okOnly = false; });
    row("failures and warm-ups", [](LatencyFilter &f) {
        f.okOnly = false;
        f.includeWarmUps = true;
    });
    row("one host", [](LatencyFilter &f) { f.host = hostA; });
    row("pooled", [](LatencyFilter &f) { f.arm = ReuseMode::Pooled; });
    row("pooled, reused", [](LatencyFilter &f) {
        f.arm = ReuseMode::Pooled;
        f.kinds = ConnectionKinds::reused();
    });
    row("no-reuse, paid a handshake", [](LatencyFilter &f) {
        f.arm = ReuseMode::NoReuse;
        f.kinds = ConnectionKinds::paidHandshake();
    });
    row("exactly shared", [](LatencyFilter &f) { f.kinds = ConnectionKinds::only(ConnectionKind::Shared); });
    row("new or queued", [](LatencyFilter &f) {
        f.kinds = ConnectionKinds::only(ConnectionKind::New) | ConnectionKinds::only(ConnectionKind::Queued);
    });
    row("time window", [](LatencyFilter &f) {
        f.fromMs = 1'000'000 + 2'000;
        f.toMs = 1'000'000 + 3'000;
    });
    row("until", [](LatencyFilter &f) { f.toMs = 1'000'000 + 3'000; });
    row("host, arm, kind and window", [](LatencyFilter &f) {
        f.host = hostB;
        f.arm = ReuseMode::Pooled;
        f.kinds = ConnectionKinds::reused();
        f.fromMs = 1'000'000 + 1'000;
        f.toMs = 1'000'000 + 3'000;
    });
    row("unknown host", [](LatencyFilter &f) { f.host = QStringLiteral("unknown:443"); });
    row("empty window", [](LatencyFilter &f) {
        f.fromMs = 0;
        f.toMs = 1;
    });
}

void tst_LatencyLog::percentilesMatchBruteForce()
{
    QFETCH(LatencyFilter, filter);

    LatencyLog log;
    log.setCapacity(3000);
    QRandomGenerator random(20240611);
    const QString hosts[] = {hostA, hostB, hostC};
    const ConnectionKind kinds[] = {ConnectionKind::New,    ConnectionKind::Shared, ConnectionKind::Queued,
                                    ConnectionKind::Reused, ConnectionKind::Reused, ConnectionKind::Reused};
    for (quint64 id = 1; id <= 5000; ++id) { // wraps the ring
        const bool pooled = random.bounded(2) == 0;
        const ConnectionKind kind = kinds[random.bounded(6)];
        // Coarse values give ties, which percentile code must handle as well as distinct values.
        double total = 20 + random.bounded(400) * (pooled ? 0.5 : 1.0);
        if (kind != ConnectionKind::Reused)
            total += 100;
        // Roughly increasing start times, up to a second out of order.
        const qint64 startedAt = 1'000'000 + qint64(id) - random.bounded(1000);
        RequestSample s = sample(id, hosts[random.bounded(3)],
                                 pooled ? ReuseMode::Pooled : ReuseMode::NoReuse, kind, total, startedAt);
        if (random.bounded(20) == 0)
            s.error = NetError::HttpStatus;
        if (random.bounded(50) == 0)
            s.warmUp = true;
        log.append(s);
    }

    QList<double> totals;
    double queue = 0, connect = 0, wait = 0, download = 0;
    for (int i = 0; i < log.size(); ++i) {
        const RequestSample &s = log.at(i);
        if (!expectedToMatch(filter, s))
            continue;
        totals.append(s.totalMs());
        queue += s.queueMs();
        connect += s.connectMs();
        wait += s.waitMs();
        download += s.downloadMs();
    }

    const LatencyStats stats = log.stats(filter);
    QCOMPARE(stats.count, int(totals.size()));
    if (totals.isEmpty()) {
        QVERIFY(std::isnan(stats.p50) && std::isnan(stats.p95) && std::isnan(stats.mean));
        return;
    }
    const qsizetype n = totals.size();
    QVERIFY2(n > 20, "a filter that matches too little tests nothing");
    QCOMPARE(stats.p50, nearestRank(totals, 50));
    QCOMPARE(stats.p95, nearestRank(totals, 95));
    QCOMPARE(stats.min, *std::min_element(totals.cbegin(), totals.cend()));
    QCOMPARE(stats.max, *std::max_element(totals.cbegin(), totals.cend()));
    QVERIFY(fuzzyEqual(stats.mean, std::accumulate(totals.cbegin(), totals.cend(), 0.0) / n));
    QVERIFY(fuzzyEqual(stats.meanQueue, queue / n));
    QVERIFY(fuzzyEqual(stats.meanConnect, connect / n));
    QVERIFY(fuzzyEqual(stats.meanWait, wait / n));
    QVERIFY(fuzzyEqual(stats.meanDownload, download / n));
    QCOMPARE(log.stats(filter).p95, stats.p95); // again, from the cache
    for (int i = 0; i < log.size(); ++i)
        QCOMPARE(filter.matches(log.at(i)), expectedToMatch(filter, log.at(i)));
}

void tst_LatencyLog::statsCacheEndsAtTheNextAppend()
{
    LatencyLog log;
    log.append(sample(1, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 10));
    LatencyFilter pooled;
    pooled.arm = ReuseMode::Pooled;
    QCOMPARE(log.stats(pooled).max, 10.0);
    QCOMPARE(log.stats().max, 10.0);
    log.append(sample(2, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 20));
    QCOMPARE(log.stats(pooled).max, 20.0);
    QCOMPARE(log.stats().count, 2);
    log.setCapacity(1);
    QCOMPARE(log.stats(pooled).count, 1);
    log.clear();
    QCOMPARE(log.stats(pooled).count, 0);
}

void tst_LatencyLog::windowByStartTime()
{
    LatencyLog log;
    log.setCapacity(6);
    const qint64 starts[] = {100, 90, 110, 105, 95, 120};
    for (int i = 0; i < 6; ++i)
        log.append(sample(quint64(i + 1), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 1, starts[i]));

    const auto ids = [](const QList<RequestSample> &samples) {
        QList<quint64> out;
        for (const RequestSample &s : samples)
            out.append(s.id);
        return out;
    };
    QCOMPARE(ids(log.window(95, 110)), (QList<quint64> {1, 4, 5})); // [from, to), in arrival order
    QCOMPARE(ids(log.window(0, 1000)), (QList<quint64> {1, 2, 3, 4, 5, 6}));
    QCOMPARE(ids(log.window(120, 121)), QList<quint64> {6});
    QVERIFY(log.window(121, 200).isEmpty());
    QVERIFY(log.window(110, 110).isEmpty());
    QCOMPARE(log.earliestStartMs(), 90); // not the first to arrive

    // After the ring wraps, arrival order still starts at the oldest.
    log.append(sample(7, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 1, 80));
    log.append(sample(8, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 1, 130));
    QCOMPARE(ids(log.window(0, 1000)), (QList<quint64> {3, 4, 5, 6, 7, 8}));
    QCOMPARE(ids(log.window(80, 106)), (QList<quint64> {4, 5, 7}));
    QCOMPARE(log.earliestStartMs(), 80);

    LatencyFilter window;
    window.fromMs = 80;
    window.toMs = 106;
    QCOMPARE(log.stats(window).count, 3);

    log.setCapacity(1); // only sample 8 is left
    QCOMPARE(log.earliestStartMs(), 130);
    log.clear();
    QCOMPARE(log.earliestStartMs(), 0);
}

void tst_LatencyLog::poolStatsSeeEverySample()
{
    LatencyLog log;
    log.setCapacity(7);
    PoolStats expected;
    QRandomGenerator random(7);
    const QString hosts[] = {hostA, hostB};
    for (quint64 id = 1; id <= 40; ++id) {
        RequestSample s =
            sample(id, hosts[random.bounded(2)], random.bounded(2) ? ReuseMode::Pooled : ReuseMode::NoReuse,
                   ConnectionKind(random.bounded(4)), 10);
        s.warmUp = random.bounded(10) == 0;
        if (random.bounded(8) == 0)
            s.error = NetError::ConnectionClosed;
        expected.add(s);
        log.append(s);
    }
    QCOMPARE(log.size(), 7);
    QCOMPARE(log.poolStats().hosts(), expected.hosts());
    int requests = 0;
    for (const QString &host : hosts) {
        for (ReuseMode arm : {ReuseMode::Pooled, ReuseMode::NoReuse}) {
            const PoolCounts got = log.poolStats().counts(host, arm);
            const PoolCounts want = expected.counts(host, arm);
            QCOMPARE(got.requests, want.requests);
            QCOMPARE(got.connectionsOpened, want.connectionsOpened);
            QCOMPARE(got.reused, want.reused);
            QCOMPARE(got.failed, want.failed);
            requests += got.requests;
        }
    }
    QVERIFY(requests > log.size()); // cumulative, not windowed
}

void tst_LatencyLog::clearEmptiesEverything()
{
    LatencyLog log;
    QSignalSpy cleared(&log, &LatencyLog::cleared);
    for (quint64 id = 1; id <= 3; ++id)
        log.append(sample(id, hostA, ReuseMode::Pooled, ConnectionKind::New, 10));
    log.clear();
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(log.size(), 0);
    QCOMPARE(log.count(hostA), 0);
    QVERIFY(log.hosts().isEmpty());
    QVERIFY(log.poolStats().hosts().isEmpty());
    QCOMPARE(log.stats().count, 0);
    QCOMPARE(log.appendedTotal(), quint64(0));
    log.append(sample(4, hostB, ReuseMode::Pooled, ConnectionKind::Reused, 10));
    QCOMPARE(log.at(0).id, quint64(4));
    QCOMPARE(log.count(hostB, ReuseMode::Pooled, ConnectionKind::Reused), 1);
}

void tst_LatencyLog::queuedAppendFromAnotherThread()
{
    LatencyLog log;
    QThread thread;
    SampleSource source;
    source.moveToThread(&thread);
    connect(&source, &SampleSource::sampleReady, &log, &LatencyLog::append);
    thread.start();
    QSignalSpy appended(&log, &LatencyLog::appended);
    QMetaObject::invokeMethod(&source, [&source] {
        source.emitSample(sample(42, hostA, ReuseMode::NoReuse, ConnectionKind::New, 160.7));
    });
    QVERIFY(appended.wait(5000));
    thread.quit();
    QVERIFY(thread.wait(5000));
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.at(0).id, quint64(42));
    QCOMPARE(log.at(0).host, hostA);
}

void tst_LatencyLog::millionSamplesStayAtCapacity()
{
    LatencyLog log;
    QCOMPARE(log.capacity(), 100'000);
    const QString hosts[] = {hostA, hostB};
    const ConnectionKind kinds[] = {ConnectionKind::New, ConnectionKind::Shared, ConnectionKind::Queued,
                                    ConnectionKind::Reused};
    RequestSample s = sample(0, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 1);
    QElapsedTimer timer;
    timer.start();
    qint64 residentWhenFull = -1;
    for (quint64 id = 1; id <= 1'000'000; ++id) {
        s.id = id;
        s.host = hosts[id % 2];
        s.reuse = id % 3 ? ReuseMode::Pooled : ReuseMode::NoReuse;
        s.connection = kinds[id % 4];
        s.finishedMs = double(id % 997);
        s.startedAtMsSinceEpoch = qint64(id);
        log.append(s);
        if (id % 100'000 == 0) {
            QCOMPARE(log.size(), 100'000);
            if (id == 100'000)
                residentWhenFull = residentBytes();
        }
    }
    const qint64 appendNs = timer.nsecsElapsed();
    const qint64 residentAtEnd = residentBytes();
    qInfo("1 000 000 appends to a 100 000 ring: %.0f ms in all, %.0f ns per append; resident %.1f MB when "
          "full, "
          "%.1f MB at the end",
          appendNs / 1e6, appendNs / 1e6 /* ns per append: total ns / 1e6 appends */, residentWhenFull / 1e6,
          residentAtEnd / 1e6);

    QCOMPARE(log.size(), 100'000);
    QCOMPARE(log.at(0).id, quint64(900'001));
    QCOMPARE(log.at(99'999).id, quint64(1'000'000));
    for (int i = 0; i < log.size(); i += 9973)
        QCOMPARE(log.at(i).id, quint64(900'001 + i));
    int counted = 0;
    for (const QString &host : hosts) {
        for (ReuseMode arm : {ReuseMode::Pooled, ReuseMode::NoReuse})
            counted += log.count(host, arm);
    }
    QCOMPARE(counted, 100'000);
    QCOMPARE(log.poolStats().total(ReuseMode::Pooled).requests
                 + log.poolStats().total(ReuseMode::NoReuse).requests,
             1'000'000);
    if (residentWhenFull > 0 && residentAtEnd > 0) {
        QVERIFY2(residentAtEnd - residentWhenFull < 16'000'000,
                 qPrintable(QStringLiteral("memory grew by %1 MB after the ring was full")
                                .arg((residentAtEnd - residentWhenFull) / 1e6)));
    }

    // The cost of a query on a full ring, uncached: one filter per arm, kind group and host.
    QList<LatencyFilter> filters;
    for (ReuseMode arm : {ReuseMode::Pooled, ReuseMode::NoReuse}) {
        for (ConnectionKinds group : {ConnectionKinds::paidHandshake(), ConnectionKinds::reused()}) {
            LatencyFilter f;
            f.arm = arm;
            f.kinds = group;
            filters.append(f);
            f.host = hostB;
            filters.append(f);
        }
    }
    filters.append(LatencyFilter());
    timer.restart();
    int matched = 0;
    for (const LatencyFilter &f : std::as_const(filters))
        matched += log.stats(f).count;
    const double statsMs = timer.nsecsElapsed() / 1e6 / filters.size();
    // The worst case: every sample matches (distinct filters, so that none is answered from the cache).
    timer.restart();
    for (int i = 0; i < 10; ++i) {
        LatencyFilter everything;
        everything.fromMs = -i;
        QCOMPARE(log.stats(everything).count, 100'000);
    }
    const double allMs = timer.nsecsElapsed() / 1e6 / 10;
    timer.restart();
    const qsizetype windowed = log.window(950'000, 960'000).size();
    const double windowMs = timer.nsecsElapsed() / 1e6;
    timer.restart();
    for (const LatencyFilter &f : std::as_const(filters))
        log.stats(f);
    const double cachedUs = timer.nsecsElapsed() / 1e3 / filters.size();
    qInfo("stats() on 100 000 samples, uncached: %.2f ms when all match, %.2f ms per filter over %d "
          "arm/kind/host "
          "filters; cached: %.2f us; window() of 10 000: %.2f ms",
          allMs, statsMs, int(filters.size()), cachedUs, windowMs);
    QCOMPARE(windowed, qsizetype(10'000));
    QCOMPARE(log.stats().count, 100'000);
    QVERIFY(matched > 100'000);
}

QTEST_GUILESS_MAIN(tst_LatencyLog)
#include "tst_latencylog.moc"
