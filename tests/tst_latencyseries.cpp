#include "models/latencylog.h"
#include "models/latencyseries.h"

#include "latencysamples.h"
#include "printers.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <set>

char *toString(PointRole role)
{
    static const char *const names[] = {"handshake", "reused", "unknown", "error"};
    return qstrdup(names[int(role)]);
}

namespace {

const qint64 fiveMinutesAgo = now - 300'000;

SeriesWindow lastFiveMinutes(int maxPointsPerSeries = 2000, int pixelColumns = 850)
{
    return {fiveMinutesAgo, now, maxPointsPerSeries, pixelColumns};
}

// The samples the chart would reduce: the log's window, in arrival order.
QList<RequestSample> windowOf(const QList<RequestSample> &samples, qint64 fromMs = fiveMinutesAgo,
                              qint64 toMs = now)
{
    LatencyLog log;
    for (const RequestSample &s : samples)
        log.append(s);
    return log.window(fromMs, toMs);
}

QList<QPointF> pointsOf(const std::vector<ChartPoint> &points)
{
    QList<QPointF> list;
    for (const ChartPoint &p : points)
        list << QPointF(p.x, p.y);
    return list;
}

const HostPoints &pointsOfHost(const LatencySeries &series, const QString &host)
{
    const auto found = std::find_if(series.hosts.cbegin(), series.hosts.cend(),
                                    [&](const HostPoints &hp) { return hp.host == host; });
    Q_ASSERT(found != series.hosts.cend());
    return *found;
}

std::vector<const std::vector<ChartPoint> *> everySeries(const LatencySeries &series)
{
    std::vector<const std::vector<ChartPoint> *> all;
    for (const HostPoints &hp : series.hosts) {
        for (const std::vector<ChartPoint> *points :
             {&hp.handshake, &hp.reused, &hp.unknown, &hp.medianPooled, &hp.medianNoReuse})
            all.push_back(points);
    }
    all.push_back(&series.errors);
    return all;
}

// 300 successful requests of 40 to 59 ms: p99 = 59 ms -> ×1.2 = 70.8 ms -> a nice 80.
QList<RequestSample> steadyTraffic()
{
    QList<RequestSample> samples;
    for (int i = 0; i < 300; ++i)
        samples << makeSample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 40 + (i % 20),
                              now - 1'000 - i * 500);
    return samples;
}

} // namespace

class tst_LatencySeries : public QObject
{
    Q_OBJECT

private slots:
    void roles_data();
    void roles();
    void pointsPerHostAndRole();
    void warmUpsGetNoPoint();
    void niceStep_data();
    void niceStep();
    void scaleIsP99TimesOnePointTwo_data();
    void scaleIsP99TimesOnePointTwo();
    void timeoutDoesNotSquashTheScale();
    void zoomedRangeIsKept();
    void rollingMediansAreNearestRank();
    void medianOfTheLastRuns();
    void medianLeavesOutUnknownAndFailed();
    void medianPerArmAndHost();
    void medianTiesKeepArrivalOrder();
    void decimateKeepsEachColumnsExtremes();
    void decimationKeepsEveryColumnWithAnError();
    void capHoldsAt50000Samples();
};

void tst_LatencySeries::roles_data()
{
    QTest::addColumn<ConnectionKind>("kind");
    QTest::addColumn<NetError>("error");
    QTest::addColumn<bool>("warmUp");
    QTest::addColumn<int>("role"); // -1: no point

    QTest::newRow("new") << ConnectionKind::New << NetError::None << false << int(PointRole::Handshake);
    QTest::newRow("shared") << ConnectionKind::Shared << NetError::None << false << int(PointRole::Handshake);
    QTest::newRow("queued") << ConnectionKind::Queued << NetError::None << false << int(PointRole::Handshake);
    QTest::newRow("reused") << ConnectionKind::Reused << NetError::None << false << int(PointRole::Reused);
    QTest::newRow("unknown") << ConnectionKind::Unknown << NetError::None << false << int(PointRole::Unknown);
    QTest::newRow("failed new") << ConnectionKind::New << NetError::Timeout << false << int(PointRole::Error);
    QTest::newRow("failed reused") << ConnectionKind::Reused << NetError::HttpStatus << false
                                   << int(PointRole::Error);
    QTest::newRow("failed unknown") << ConnectionKind::Unknown << NetError::ConnectionClosed << false
                                    << int(PointRole::Error);
    QTest::newRow("warm-up") << ConnectionKind::New << NetError::None << true << -1;
    QTest::newRow("failed warm-up") << ConnectionKind::New << NetError::Tls << true << -1;
}

void tst_LatencySeries::roles()
{
    QFETCH(ConnectionKind, kind);
    QFETCH(NetError, error);
    QFETCH(bool, warmUp);
    QFETCH(int, role);
    RequestSample s = makeSample(1, hostA, ReuseMode::Pooled, kind, 100, now - 1'000);
    s.error = error;
    s.warmUp = warmUp;
    const std::optional<PointRole> got = LatencySeries::roleOf(s);
    QCOMPARE(got.has_value(), role >= 0);
    if (got)
        QCOMPARE(*got, PointRole(role));
}

void tst_LatencySeries::pointsPerHostAndRole()
{
    const Scenario sc = mixedScenario(600);
    const QList<RequestSample> window = windowOf(sc.all);
    const LatencySeries series = LatencySeries::compute(window, lastFiveMinutes());

    // One entry per host, in order of first appearance, with the exchange of its first sample.
    QStringList firstSeen;
    for (const RequestSample &s : window) {
        if (!s.warmUp && !firstSeen.contains(s.host))
            firstSeen << s.host;
    }
    QCOMPARE(firstSeen.size(), 3);
    QCOMPARE(int(series.hosts.size()), 3);
    for (int h = 0; h < 3; ++h) {
        QCOMPARE(series.hosts[size_t(h)].host, firstSeen.at(h));
        QCOMPARE(series.hosts[size_t(h)].exchange,
                 firstSeen.at(h) == hostA ? QStringLiteral("bitunix") : QStringLiteral("hyperliquid"));
    }

    int points = 0;
    for (const QString &host : {hostA, hostB, hostC}) {
        QList<QPointF> handshake, reused, unknown;
        for (const RequestSample &s : sc.inside) {
            if (s.host != host || !s.ok())
                continue;
            if (s.connection == ConnectionKind::Unknown)
                unknown << pointOf(s);
            else
                (s.paidHandshake() ? handshake : reused) << pointOf(s);
        }
        QVERIFY(!handshake.isEmpty() && !reused.isEmpty() && !unknown.isEmpty());
        const HostPoints &hp = pointsOfHost(series, host);
        // Below the cap, sorted by x then y as the chart's lookup needs them.
        QCOMPARE(pointsOf(hp.handshake), sorted(handshake));
        QCOMPARE(pointsOf(hp.reused), sorted(reused));
        QCOMPARE(pointsOf(hp.unknown), sorted(unknown));
        points += int(hp.handshake.size() + hp.reused.size() + hp.unknown.size());
    }

    // Errors: at their time, clamped to 97 % of the scale.
    QList<qint64> errorTimes;
    for (const RequestSample &s : sc.inside) {
        if (!s.ok())
            errorTimes << s.startedAtMsSinceEpoch;
    }
    QVERIFY(errorTimes.size() > 10);
    QList<qint64> shownErrorTimes;
    for (const ChartPoint &p : series.errors) {
        shownErrorTimes << qint64(p.x);
        QCOMPARE(p.y, std::min(window.at(p.sample).totalMs(), series.yRange.max * 0.97));
    }
    std::sort(errorTimes.begin(), errorTimes.end());
    QCOMPARE(shownErrorTimes, errorTimes);
    points += int(series.errors.size());
    QCOMPARE(points, sc.inside.size()); // below the cap: one point per sample that is not a warm-up

    // Every point names its sample, and the sample has that role.
    for (const HostPoints &hp : series.hosts) {
        const std::pair<const std::vector<ChartPoint> *, PointRole> roles[] = {
            {&hp.handshake, PointRole::Handshake},
            {&hp.reused, PointRole::Reused},
            {&hp.unknown, PointRole::Unknown}};
        for (const auto &[points, role] : roles) {
            for (const ChartPoint &p : *points) {
                const RequestSample &s = window.at(p.sample);
                QCOMPARE(s.host, hp.host);
                QCOMPARE(LatencySeries::roleOf(s), std::optional<PointRole>(role));
                QCOMPARE(QPointF(p.x, p.y), pointOf(s));
            }
        }
    }
    for (const ChartPoint &p : series.errors) {
        QCOMPARE(LatencySeries::roleOf(window.at(p.sample)), std::optional<PointRole>(PointRole::Error));
        QCOMPARE(p.x, double(window.at(p.sample).startedAtMsSinceEpoch));
    }
}

void tst_LatencySeries::warmUpsGetNoPoint()
{
    QList<RequestSample> samples;
    RequestSample warmUp = makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::New, 5'000, now - 9'000);
    warmUp.warmUp = true;
    samples << warmUp;
    samples << makeSample(2, hostB, ReuseMode::Pooled, ConnectionKind::New, 50, now - 8'000);
    RequestSample warmUpB = makeSample(3, hostB, ReuseMode::Pooled, ConnectionKind::New, 4'000, now - 7'000);
    warmUpB.warmUp = true;
    samples << warmUpB;

    const LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes());
    QCOMPARE(int(series.hosts.size()), 1); // a host only warmed up has no points
    const HostPoints &b = series.hosts.front();
    QCOMPARE(b.host, hostB);
    QCOMPARE(pointsOf(b.handshake), QList<QPointF> {pointOf(samples.at(1))});
    QVERIFY(b.reused.empty() && b.unknown.empty() && series.errors.empty());
    QCOMPARE(pointsOf(b.medianPooled), QList<QPointF> {pointOf(samples.at(1))});
    QCOMPARE(series.yRange.max, 60.0); // 50 ms × 1.2: the warm-ups' seconds are not in the scale
    QCOMPARE(series.aboveScale, 0);
}

void tst_LatencySeries::niceStep_data()
{
    QTest::addColumn<double>("raw");
    QTest::addColumn<double>("step");
    QTest::newRow("1") << 1.0 << 1.0;
    QTest::newRow("1.1") << 1.1 << 2.0;
    QTest::newRow("2") << 2.0 << 2.0;
    QTest::newRow("2.2") << 2.2 << 2.5;
    QTest::newRow("3") << 3.0 << 5.0;
    QTest::newRow("7") << 7.0 << 10.0;
    QTest::newRow("17.7") << 17.7 << 20.0;
    QTest::newRow("29.7") << 29.7 << 50.0;
    QTest::newRow("250") << 250.0 << 250.0;
    QTest::newRow("0.25") << 0.25 << 0.25;
    QTest::newRow("0.26") << 0.26 << 0.5;
}

void tst_LatencySeries::niceStep()
{
    QFETCH(double, raw);
    QFETCH(double, step);
    QCOMPARE(LatencySeries::niceStep(raw), step);
}

void tst_LatencySeries::scaleIsP99TimesOnePointTwo_data()
{
    QTest::addColumn<QList<double>>("totals");
    QTest::addColumn<double>("scaleMax");
    QTest::newRow("nothing") << QList<double> {} << LatencySeries::emptyScaleMs;
    QTest::newRow("one of 50 ms") << QList<double> {50} << 60.0; // 60 in steps of 20
    QTest::newRow("well under a ms") << QList<double> {0.1} << 1.0; // never below 1 ms
    QList<double> oneToHundred;
    for (int i = 1; i <= 100; ++i)
        oneToHundred << i;
    // Nearest rank: p99 of 100 values is the 99th: 99 × 1.2 = 118.8 -> steps of 50 -> 150.
    QTest::newRow("1 to 100") << oneToHundred << 150.0;
    QList<double> withTwoSlow = oneToHundred;
    withTwoSlow << 10'000 << 10'000; // 102 values: p99 is the 101st, a slow one
    QTest::newRow("two slow in 102") << withTwoSlow << 15'000.0;
}

void tst_LatencySeries::scaleIsP99TimesOnePointTwo()
{
    QFETCH(QList<double>, totals);
    QFETCH(double, scaleMax);
    QList<RequestSample> samples;
    for (int i = 0; i < totals.size(); ++i)
        samples << makeSample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, totals.at(i),
                              now - 1'000 - i);
    QCOMPARE(LatencySeries::scaleMaxMs(samples), scaleMax);
    const LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes());
    QCOMPARE(series.yRange.min, 0.0);
    QCOMPARE(series.yRange.max, scaleMax);
    int above = 0;
    for (double total : totals)
        above += total > scaleMax ? 1 : 0;
    QCOMPARE(series.aboveScale, above);
}

void tst_LatencySeries::timeoutDoesNotSquashTheScale()
{
    QList<RequestSample> samples = steadyTraffic();
    // One successful request of 10 s: above the scale, counted.
    samples << makeSample(999, hostA, ReuseMode::Pooled, ConnectionKind::New, 10'000, now - 2'345);
    LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes());
    QVERIFY2(series.yRange.max >= 59 * 1.2 && series.yRange.max <= 100,
             qPrintable(QString::number(series.yRange.max)));
    QCOMPARE(series.yRange.max, 80.0);
    QCOMPARE(series.aboveScale, 1);

    // A timeout is not in the scale: drawn at 97 % of it, not counted above it.
    RequestSample timeout =
        makeSample(1'000, hostA, ReuseMode::Pooled, ConnectionKind::New, 10'000, now - 3'000);
    timeout.error = NetError::Timeout;
    samples << timeout;
    // Neither is a warm-up; an unknown-kind request is, and is counted above it.
    RequestSample warmUp =
        makeSample(1'001, hostA, ReuseMode::Pooled, ConnectionKind::New, 5'000, now - 4'000);
    warmUp.warmUp = true;
    samples << warmUp;
    samples << makeSample(1'002, hostA, ReuseMode::Pooled, ConnectionKind::Unknown, 200, now - 5'000);
    series = LatencySeries::compute(samples, lastFiveMinutes());
    QCOMPARE(series.yRange.max, 80.0);
    QCOMPARE(series.aboveScale, 2);
    QCOMPARE(int(series.errors.size()), 1);
    QCOMPARE(series.errors.front().y, 80.0 * 0.97);
}

void tst_LatencySeries::zoomedRangeIsKept()
{
    QList<RequestSample> samples = steadyTraffic();
    RequestSample timeout =
        makeSample(1'000, hostA, ReuseMode::Pooled, ConnectionKind::New, 10'000, now - 3'000);
    timeout.error = NetError::Timeout;
    samples << timeout;
    const LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes(), YRange {45, 55});
    QCOMPARE(series.yRange.min, 45.0);
    QCOMPARE(series.yRange.max, 55.0);
    QCOMPARE(series.aboveScale, 4 * 15); // 56 to 59 ms
    QCOMPARE(series.errors.front().y, 45 + 10 * 0.97);
}

void tst_LatencySeries::rollingMediansAreNearestRank()
{
    const Scenario sc = mixedScenario(900, 11);
    const LatencySeries series = LatencySeries::compute(windowOf(sc.all), lastFiveMinutes());
    for (const QString &host : {hostA, hostB, hostC}) {
        const QList<QPointF> pooled =
            bruteForceMedians(sc.inside, host, ReuseMode::Pooled, LatencySeries::medianOf);
        const QList<QPointF> noReuse =
            bruteForceMedians(sc.inside, host, ReuseMode::NoReuse, LatencySeries::medianOf);
        QVERIFY(pooled.size() > LatencySeries::medianOf);
        const HostPoints &hp = pointsOfHost(series, host);
        QCOMPARE(pointsOf(hp.medianPooled), pooled);
        QCOMPARE(pointsOf(hp.medianNoReuse), noReuse);
    }
}

void tst_LatencySeries::medianOfTheLastRuns()
{
    // 99, 98, ... 70 ms: the median of the last k <= medianOf is their ceil(k / 2)-th smallest. Falling, so
    // that a window one run longer or shorter gives another median.
    QList<RequestSample> samples;
    for (int i = 1; i <= 30; ++i)
        samples << makeSample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 100 - i,
                              now - 100'000 + i * 1'000);
    const std::vector<ChartPoint> line =
        pointsOfHost(LatencySeries::compute(samples, lastFiveMinutes()), hostA).medianPooled;
    QCOMPARE(int(line.size()), 30);
    for (int i = 1; i <= 30; ++i) {
        const ChartPoint &p = line[size_t(i - 1)];
        QCOMPARE(p.x, double(samples.at(i - 1).startedAtMsSinceEpoch)); // at the run that ends it
        QCOMPARE(p.sample, i - 1);
        const int first = std::max(1, i - LatencySeries::medianOf + 1);
        const int n = i - first + 1;
        QCOMPARE(p.y, double(100 - i + (n + 1) / 2 - 1));
    }
    QCOMPARE(line[1].y, 98.0); // of two, the lower
    QCOMPARE(line[29].y, 79.0); // 89 down to 70: the 10th smallest
}

void tst_LatencySeries::medianLeavesOutUnknownAndFailed()
{
    QList<RequestSample> samples;
    samples << makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::New, 150, now - 50'000);
    samples << makeSample(2, hostA, ReuseMode::Pooled, ConnectionKind::Unknown, 1, now - 40'000);
    RequestSample failed = makeSample(3, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 2, now - 30'000);
    failed.error = NetError::HttpStatus;
    failed.httpStatus = 500;
    samples << failed;
    RequestSample warmUp = makeSample(4, hostA, ReuseMode::Pooled, ConnectionKind::New, 3, now - 25'000);
    warmUp.warmUp = true;
    samples << warmUp;
    samples << makeSample(5, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50, now - 20'000);
    samples << makeSample(6, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 60, now - 10'000);

    const HostPoints hp = pointsOfHost(LatencySeries::compute(samples, lastFiveMinutes()), hostA);
    // Runs: 150, then {150, 50} -> 50, then {150, 50, 60} -> 60.
    const QList<QPointF> expected {QPointF(double(now - 50'000), 150), QPointF(double(now - 20'000), 50),
                                   QPointF(double(now - 10'000), 60)};
    QCOMPARE(pointsOf(hp.medianPooled), expected);
    QVERIFY(hp.medianNoReuse.empty());
    QCOMPARE(int(hp.unknown.size()), 1); // drawn, in no median
}

void tst_LatencySeries::medianPerArmAndHost()
{
    QList<RequestSample> samples;
    samples << makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50, now - 50'000);
    samples << makeSample(2, hostA, ReuseMode::NoReuse, ConnectionKind::New, 150, now - 40'000);
    samples << makeSample(3, hostB, ReuseMode::Pooled, ConnectionKind::Reused, 70, now - 35'000);
    samples << makeSample(4, hostA, ReuseMode::Pooled, ConnectionKind::New, 140, now - 30'000);
    samples << makeSample(5, hostA, ReuseMode::NoReuse, ConnectionKind::New, 170, now - 20'000);

    const LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes());
    const HostPoints &a = pointsOfHost(series, hostA);
    QCOMPARE(pointsOf(a.medianPooled),
             (QList<QPointF> {QPointF(double(now - 50'000), 50), QPointF(double(now - 30'000), 50)}));
    QCOMPARE(pointsOf(a.medianNoReuse),
             (QList<QPointF> {QPointF(double(now - 40'000), 150), QPointF(double(now - 20'000), 150)}));
    const HostPoints &b = pointsOfHost(series, hostB);
    QCOMPARE(pointsOf(b.medianPooled), QList<QPointF> {QPointF(double(now - 35'000), 70)});
    QVERIFY(b.medianNoReuse.empty());
}

void tst_LatencySeries::medianTiesKeepArrivalOrder()
{
    // Out of start order in the log; two start in the same millisecond.
    QList<RequestSample> samples;
    samples << makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 100, now - 20'000);
    samples << makeSample(2, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 10, now - 20'000);
    samples << makeSample(3, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 30, now - 30'000);

    const HostPoints hp = pointsOfHost(LatencySeries::compute(samples, lastFiveMinutes()), hostA);
    // In start order 30, 100, 10: medians 30, 30, 30; with the tie the other way round it would be 30,
    // 10, 30.
    QCOMPARE(pointsOf(hp.medianPooled),
             (QList<QPointF> {QPointF(double(now - 30'000), 30), QPointF(double(now - 20'000), 30),
                              QPointF(double(now - 20'000), 30)}));
    QCOMPARE(hp.medianPooled[1].sample, 0);
    QCOMPARE(hp.medianPooled[2].sample, 1);
}

void tst_LatencySeries::decimateKeepsEachColumnsExtremes()
{
    // Three columns of 100 ms over [0, 300).
    std::vector<ChartPoint> points {{10, 5, 0}, {20, 1, 1}, {30, 9, 2}, {40, 5, 3}, {250, 4, 4}};
    LatencySeries::decimate(points, 0, 300, 3);
    QCOMPARE(int(points.size()), 3);
    QCOMPARE(points[0].sample, 1); // column 0: the lowest
    QCOMPARE(points[1].sample, 2); // and the highest
    QCOMPARE(points[2].sample, 4); // column 2: its only point, once

    // Many points, few columns: at most two per column, and each column keeps its lowest and highest.
    QRandomGenerator rng(9);
    const int columns = 50;
    std::vector<ChartPoint> many;
    std::map<int, std::pair<double, double>> extremes; // column -> lowest, highest
    for (int i = 0; i < 10'000; ++i) {
        const double x = rng.bounded(290'000.0);
        const double y = rng.bounded(1'000.0);
        many.push_back({x, y, i});
        const int c = int(x / 300'000 * columns);
        auto found = extremes.find(c);
        if (found == extremes.end())
            extremes[c] = {y, y};
        else
            found->second = {std::min(found->second.first, y), std::max(found->second.second, y)};
    }
    LatencySeries::decimate(many, 0, 300'000, columns);
    QVERIFY(int(many.size()) <= 2 * columns);
    QCOMPARE(int(many.size()), 2 * int(extremes.size()));
    for (const auto &[column, lowHigh] : extremes) {
        std::set<double> kept;
        for (const ChartPoint &p : many) {
            if (int(p.x / 300'000 * columns) == column)
                kept.insert(p.y);
        }
        QCOMPARE(kept, (std::set<double> {lowHigh.first, lowHigh.second}));
    }
}

void tst_LatencySeries::decimationKeepsEveryColumnWithAnError()
{
    // More errors than the cap: bounded, but no time column that had an error goes blank.
    QList<RequestSample> samples;
    const int count = 5'000;
    for (int i = 0; i < count; ++i) {
        RequestSample s = makeSample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50 + i % 7,
                                     now - 1'000 - qint64(i) * 58);
        s.error = NetError::Timeout;
        samples << s;
    }
    const LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes(200));
    const QList<QPointF> points = pointsOf(series.errors);
    QVERIFY(points.size() <= 200);
    // Errors span [now - 291 s, now - 1 s]: with 100 columns of 3 s each, every column in that span has a
    // point.
    const QList<QPointF> byTime = sorted(points);
    QCOMPARE(byTime, points);
    for (int i = 1; i < byTime.size(); ++i)
        QVERIFY2(byTime[i].x() - byTime[i - 1].x() <= 2 * 3'000.0 + 58, qPrintable(QString::number(i)));
    QVERIFY(byTime.first().x() <= now - 1'000 - (count - 1) * 58 + 3'000);
    QVERIFY(byTime.last().x() >= now - 1'000 - 3'000);
}

void tst_LatencySeries::capHoldsAt50000Samples()
{
    const QList<RequestSample> samples = fiftyThousandSamples();
    int errors = 0;
    double maxReused = 0;
    for (const RequestSample &s : samples) {
        errors += s.ok() ? 0 : 1;
        if (s.host == hostA && s.connection == ConnectionKind::Reused && s.ok()
            && s.reuse == ReuseMode::Pooled)
            maxReused = std::max(maxReused, s.totalMs());
    }

    LatencySeries series = LatencySeries::compute(samples, lastFiveMinutes(2'000));
    int points = 0;
    for (const std::vector<ChartPoint> *s : everySeries(series)) {
        QVERIFY(s->size() <= 2'000);
        points += int(s->size());
    }
    QVERIFY(points > 1'000); // decimated, not emptied
    QCOMPARE(int(series.errors.size()), errors); // under the cap: every error stays

    // A smaller cap holds as well, for every series.
    series = LatencySeries::compute(samples, lastFiveMinutes(300));
    for (const std::vector<ChartPoint> *s : everySeries(series))
        QVERIFY(s->size() <= 300);
    // Decimation keeps each column's extremes: the slowest request is still there.
    const QList<QPointF> reusedA = pointsOf(pointsOfHost(series, hostA).reused);
    QVERIFY(
        std::any_of(reusedA.cbegin(), reusedA.cend(), [&](const QPointF &p) { return p.y() == maxReused; }));
    // The median line keeps, per column, points of the exact rolling median.
    const QList<QPointF> exact =
        bruteForceMedians(samples, hostA, ReuseMode::Pooled, LatencySeries::medianOf);
    const QList<QPointF> line = pointsOf(pointsOfHost(series, hostA).medianPooled);
    QVERIFY(line.size() > 10 && line.size() <= 300);
    for (const QPointF &p : line)
        QVERIFY(exact.contains(p));
    QCOMPARE(line.first(), exact.first());
    QCOMPARE(line.last(), exact.last());
}

QTEST_GUILESS_MAIN(tst_LatencySeries)
#include "tst_latencyseries.moc"
