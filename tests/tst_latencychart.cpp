#include "latencychart.h"
#include "phasebar.h"

#include "models/format.h"
#include "models/latencylog.h"
#include "models/latencyseries.h"

#include "latencysamples.h"
#include "printers.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineSeries>
#include <QRandomGenerator>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QStyle>
#include <QTest>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <map>
#include <memory>

namespace {

void fill(LatencyLog &log, const QList<RequestSample> &samples)
{
    for (const RequestSample &s : samples)
        log.append(s);
}

std::unique_ptr<LatencyChart> makeChart(const LatencyLog *log, qint64 *clock = nullptr)
{
    auto chart = std::make_unique<LatencyChart>(log);
    if (clock)
        chart->setClock([clock] { return *clock; });
    else
        chart->setClock([] { return now; });
    chart->resize(900, 420);
    return chart;
}

int scatterPoints(const LatencyChart &chart)
{
    int n = 0;
    for (QXYSeries *s : chart.scatterSeries())
        n += s->count();
    return n;
}

QValueAxis *yAxisOf(const LatencyChart &chart)
{
    return qobject_cast<QValueAxis *>(chart.chartView()->chart()->axes(Qt::Vertical).value(0));
}

QList<QPointF> pointsOf(const std::vector<ChartPoint> &points)
{
    QList<QPointF> list;
    for (const ChartPoint &p : points)
        list << QPointF(p.x, p.y);
    return list;
}

QPoint viewportPos(LatencyChart &chart, QXYSeries *series, const QPointF &value)
{
    const QPointF scenePos = chart.chartView()->chart()->mapToPosition(value, series);
    return chart.chartView()->mapFromScene(scenePos);
}

} // namespace

class TestLatencyChart : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void emptyLog();
    void pointsAreTheWindowSamples();
    void medianLines();
    void clickAndHoverMapToSamples();
    void mouseClickAndHoverOnAPoint();
    void yRangeIgnoresOneTimeout();
    void capHoldsAt50000Samples();
    void updatesOnlyWhenNeeded();
    void pausedFreezes();
    void clearWhilePausedEmpties();
    void rubberBandZoomPauses();
    void windowSeconds();
    void hostColoursStableAndDistinct();
    void rendersInLightAndDark();
    void renderForReview();
};

void TestLatencyChart::initTestCase()
{
    qRegisterMetaType<RequestSample>();
}

void TestLatencyChart::emptyLog()
{
    LatencyLog log;
    auto chart = makeChart(&log);
    chart->updateNow();
    QCOMPARE(chart->pointCount(), 0);
    QCOMPARE(chart->seriesCount(), 1); // the error series; host series come with their hosts
    QCOMPARE(chart->rangeToMs() - chart->rangeFromMs(), 300'000);
    QVERIFY(chart->rangeToMs() >= now && chart->rangeToMs() <= now + LatencyChart::slideStepMs);
}

void TestLatencyChart::pointsAreTheWindowSamples()
{
    LatencyLog log;
    const Scenario sc = mixedScenario(600);
    fill(log, sc.all);
    auto chart = makeChart(&log);
    chart->updateNow();

    QCOMPARE(chart->seriesCount(), 3 * 5 + 1); // per host: handshake, reused, unknown and two medians
    QCOMPARE(scatterPoints(*chart), sc.inside.size()); // below the cap: one point per sample
    QCOMPARE(chart->pointCount(), scatterPoints(*chart));

    int linePoints = 0;
    for (const QString &host : {hostA, hostB, hostC}) {
        QList<QPointF> handshake, reused, unknown;
        for (const RequestSample &s : sc.inside) {
            if (s.host != host || !s.ok())
                continue;
            if (s.connection == ConnectionKind::Unknown) {
                unknown << pointOf(s); // drawn apart, and in no median
                continue;
            }
            (s.paidHandshake() ? handshake : reused) << pointOf(s);
            ++linePoints;
        }
        QVERIFY(!handshake.isEmpty() && !reused.isEmpty() && !unknown.isEmpty());
        QCOMPARE(sorted(chart->series(host, LatencyChart::Role::Handshake)->points()), sorted(handshake));
        QCOMPARE(sorted(chart->series(host, LatencyChart::Role::Reused)->points()), sorted(reused));
        QCOMPARE(sorted(chart->series(host, LatencyChart::Role::Unknown)->points()), sorted(unknown));
    }
    QCOMPARE(chart->pointCount(), sc.inside.size());
    QCOMPARE(chart->linePointCount(), linePoints); // one median point per successful request of a known kind

    // Errors: their own series, at their time, clamped to the top of the axis.
    QList<qint64> errorTimes;
    for (const RequestSample &s : sc.inside) {
        if (!s.ok())
            errorTimes << s.startedAtMsSinceEpoch;
    }
    QVERIFY(errorTimes.size() > 10);
    const double yMax = yAxisOf(*chart)->max();
    QList<qint64> shownErrorTimes;
    for (const QPointF &p : chart->errorSeries()->points()) {
        shownErrorTimes << qint64(p.x());
        QVERIFY(p.y() <= yMax);
    }
    std::sort(errorTimes.begin(), errorTimes.end());
    std::sort(shownErrorTimes.begin(), shownErrorTimes.end());
    QCOMPARE(shownErrorTimes, errorTimes);

    // Nothing from outside the window, no warm-up.
    for (QXYSeries *series : chart->scatterSeries()) {
        for (const QPointF &p : series->points()) {
            QVERIFY(p.x() >= chart->rangeFromMs() && p.x() < chart->rangeToMs());
            const std::optional<RequestSample> s = chart->sampleAt(series, p);
            QVERIFY(s);
            QVERIFY(!s->warmUp);
            QVERIFY(s->id < 10'000);
        }
    }
}

void TestLatencyChart::medianLines()
{
    LatencyLog log;
    const Scenario sc = mixedScenario(900, 11);
    fill(log, sc.all);
    auto chart = makeChart(&log);
    chart->updateNow();
    // The lines LatencySeries computes for the window, point for point (tst_latencyseries checks them against
    // the definition). Below the cap, so the plot's pixel columns play no part.
    SeriesWindow window;
    window.fromMs = chart->rangeFromMs();
    window.toMs = chart->rangeToMs();
    window.maxPointsPerSeries = chart->maxPointsPerSeries();
    const LatencySeries reduced = LatencySeries::compute(log.window(window.fromMs, window.toMs), window);
    QCOMPARE(int(reduced.hosts.size()), 3);
    for (const HostPoints &hp : reduced.hosts) {
        QVERIFY(int(hp.medianPooled.size()) > LatencySeries::medianOf);
        QCOMPARE(chart->series(hp.host, LatencyChart::Role::MedianPooled)->points(),
                 pointsOf(hp.medianPooled));
        QCOMPARE(chart->series(hp.host, LatencyChart::Role::MedianNoReuse)->points(),
                 pointsOf(hp.medianNoReuse));
        QVERIFY(qobject_cast<QLineSeries *>(chart->series(hp.host, LatencyChart::Role::MedianPooled)));
        QCOMPARE(chart->series(hp.host, LatencyChart::Role::MedianPooled)->pen().style(), Qt::SolidLine);
        QCOMPARE(chart->series(hp.host, LatencyChart::Role::MedianNoReuse)->pen().style(), Qt::DashLine);
    }
}

void TestLatencyChart::clickAndHoverMapToSamples()
{
    LatencyLog log;
    const Scenario sc = mixedScenario(300, 3);
    fill(log, sc.all);
    auto chart = makeChart(&log);
    chart->updateNow();

    std::map<std::pair<qint64, QString>, RequestSample> byStart;
    for (const RequestSample &s : sc.inside)
        byStart[{s.startedAtMsSinceEpoch, s.host}] = s;

    QSignalSpy clicked(chart.get(), &LatencyChart::sampleClicked);
    QSignalSpy hovered(chart.get(), &LatencyChart::sampleHovered);
    int checked = 0;
    for (QXYSeries *series : chart->scatterSeries()) {
        for (const QPointF &p : series->points()) {
            emit series->clicked(p);
            QCOMPARE(clicked.size(), 1);
            const RequestSample got = clicked.takeFirst().at(0).value<RequestSample>();
            QCOMPARE(qint64(p.x()), got.startedAtMsSinceEpoch);
            const RequestSample &expected = byStart.at({got.startedAtMsSinceEpoch, got.host});
            QCOMPARE(got.id, expected.id);
            QCOMPARE(got.connection, expected.connection);
            if (series == chart->errorSeries())
                QVERIFY(!got.ok());
            else
                QCOMPARE(series == chart->series(got.host, LatencyChart::Role::Handshake),
                         got.paidHandshake());
            ++checked;
        }
    }
    QCOMPARE(checked, sc.inside.size());

    // A point that is not in the series maps to nothing.
    emit chart->errorSeries()->clicked(QPointF(double(now), 12345.678));
    QCOMPARE(clicked.size(), 0);

    // Hover: the tooltip has everything a trader needs.
    QXYSeries *series = chart->series(hostA, LatencyChart::Role::Handshake);
    const QPointF p = series->points().first();
    emit series->hovered(p, true);
    QCOMPARE(hovered.size(), 1);
    const RequestSample s = hovered.takeFirst().at(0).value<RequestSample>();
    QCOMPARE(s.startedAtMsSinceEpoch, qint64(p.x()));
    const QString tip = chart->hoverText();
    for (const QString &part :
         {s.endpoint, s.host, QStringLiteral("HTTP 200"), QStringLiteral("h2"),
          PhaseBar::connectionText(s.connection), nameOf(s.reuse), QStringLiteral("queue"),
          QStringLiteral("connect+TLS"), QStringLiteral("wait"), QStringLiteral("download"),
          formatMs(s.totalMs()), formatMs(s.connectMs()), formatMs(s.waitMs())}) {
        QVERIFY2(tip.contains(part), qPrintable(part + QStringLiteral(" not in ") + tip));
    }
    emit series->hovered(p, false);

    // A failed request says so.
    const QPointF e = chart->errorSeries()->points().first();
    emit chart->errorSeries()->hovered(e, true);
    QVERIFY(chart->hoverText().contains(QStringLiteral("failed")));

    // The median line's tooltip names its host, arm and value.
    QXYSeries *line = chart->series(hostB, LatencyChart::Role::MedianNoReuse);
    const QPointF m = line->points().at(line->count() / 2);
    emit line->hovered(QPointF(m.x() + 1, m.y() + 3), true);
    QVERIFY2(chart->hoverText().contains(formatMs(m.y())), qPrintable(chart->hoverText()));
    QVERIFY(chart->hoverText().contains(QStringLiteral("no-reuse")));
}

void TestLatencyChart::mouseClickAndHoverOnAPoint()
{
    // Through real mouse events: the rubber band must let a click through to the point. Sample 3 lies away
    // from the pooled median line (which is at 150 ms at its time), so nothing covers it.
    LatencyLog log;
    log.append(makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::New, 150, now - 200'000));
    log.append(makeSample(2, hostA, ReuseMode::Pooled, ConnectionKind::New, 160, now - 150'000));
    log.append(makeSample(3, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50, now - 100'000));
    log.append(makeSample(4, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 55, now - 60'000));
    log.append(makeSample(5, hostB, ReuseMode::NoReuse, ConnectionKind::New, 120, now - 50'000));
    auto chart = makeChart(&log);
    chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(chart.get()));
    chart->updateNow();

    QSignalSpy clicked(chart.get(), &LatencyChart::sampleClicked);
    QSignalSpy hovered(chart.get(), &LatencyChart::sampleHovered);
    QXYSeries *series = chart->series(hostA, LatencyChart::Role::Reused);
    QCOMPARE(series->count(), 2);
    QCOMPARE(series->at(0), QPointF(double(now - 100'000), 50.0));
    const QPoint at = viewportPos(*chart, series, series->at(0));
    QWidget *viewport = chart->chartView()->viewport();
    QTest::mouseMove(viewport, at);
    QTRY_COMPARE(hovered.size(), 1);
    QCOMPARE(hovered.at(0).at(0).value<RequestSample>().id, quint64(3));
    QTest::mouseClick(viewport, Qt::LeftButton, {}, at);
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.at(0).at(0).value<RequestSample>().id, quint64(3));
    QVERIFY(!chart->isPaused()); // a click is not a zoom
}

void TestLatencyChart::yRangeIgnoresOneTimeout()
{
    LatencyLog log;
    for (int i = 0; i < 300; ++i)
        log.append(makeSample(quint64(i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 40 + (i % 20),
                              now - 1'000 - i * 500));
    RequestSample slow = makeSample(999, hostA, ReuseMode::Pooled, ConnectionKind::New, 10'000, now - 2'345);
    log.append(slow);
    auto chart = makeChart(&log);
    chart->updateNow();
    // p99 = 59 ms -> ×1.2 = 70.8 ms -> a nice 80 (tst_latencyseries has the rule).
    QValueAxis *axisY = yAxisOf(*chart);
    QVERIFY(axisY);
    QCOMPARE(axisY->min(), 0.0);
    QCOMPARE(axisY->max(), 80.0);
    QCOMPARE(axisY->tickInterval(), 20.0);
    QCOMPARE(axisY->labelFormat(), QStringLiteral("%.0f"));
    // The slow one is counted in the header.
    const QString above = QStringLiteral("1 above %1").arg(formatMs(80));
    const QList<QLabel *> labels = chart->findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [&](QLabel *l) { return l->text() == above; }));
    // Zoomed into a millisecond: labels get the decimals their step needs.
    chart->zoomTo(now - 10'000, now, 0, 1);
    QCOMPARE(axisY->tickInterval(), 0.25);
    QCOMPARE(axisY->labelFormat(), QStringLiteral("%.2f"));
    QVERIFY(chart->isPaused());
}

void TestLatencyChart::capHoldsAt50000Samples()
{
    LatencyLog log;
    int errors = 0;
    for (const RequestSample &s : fiftyThousandSamples()) {
        errors += s.ok() ? 0 : 1;
        log.append(s);
    }
    auto chart = makeChart(&log);
    QElapsedTimer timer;
    timer.start();
    chart->updateNow();
    qInfo("first rebuild of 50 000 samples: %lld ms", timer.elapsed());
    timer.restart();
    chart->updateNow();
    qInfo("next rebuild: %lld ms", timer.elapsed());
    if (qEnvironmentVariableIsSet("EXDASH_BENCH")) {
        timer.restart();
        for (int i = 0; i < 20; ++i)
            chart->updateNow();
        qInfo("average rebuild: %.1f ms", timer.elapsed() / 20.0);
    }

    const int cap = chart->maxPointsPerSeries();
    QCOMPARE(cap, LatencyChart::defaultMaxPointsPerSeries);
    for (QAbstractSeries *series : chart->chartView()->chart()->series()) {
        auto *xy = qobject_cast<QXYSeries *>(series);
        QVERIFY2(xy->count() <= cap,
                 qPrintable(series->name() + QStringLiteral(": ") + QString::number(xy->count())));
    }
    QVERIFY(chart->pointCount() + chart->linePointCount() <= chart->seriesCount() * cap);
    QVERIFY(chart->pointCount() > 1'000); // decimated, not emptied
    QCOMPARE(chart->errorSeries()->count(), errors); // under the cap: every error stays

    // A smaller cap holds as well, for every series.
    chart->setMaxPointsPerSeries(300);
    chart->updateNow();
    for (QAbstractSeries *series : chart->chartView()->chart()->series())
        QVERIFY(qobject_cast<QXYSeries *>(series)->count() <= 300);
    // Which points decimation keeps is tst_latencyseries' to check. Every kept point still maps to its
    // sample.
    for (QXYSeries *series : chart->scatterSeries()) {
        for (const QPointF &p : series->points())
            QVERIFY(chart->sampleAt(series, p).has_value());
    }
}

void TestLatencyChart::updatesOnlyWhenNeeded()
{
    LatencyLog log;
    qint64 clock = now;
    log.append(makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::New, 150, now - 10'000));
    auto chart = makeChart(&log, &clock);
    QVERIFY(chart->updateIfNeeded());
    const int rebuilds = chart->rebuildCount();
    QVERIFY(!chart->updateIfNeeded()); // nothing changed
    QCOMPARE(chart->rebuildCount(), rebuilds);
    clock += 10; // less than a step: the window did not move
    QVERIFY(!chart->updateIfNeeded());

    log.append(makeSample(2, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50, now - 5'000));
    QVERIFY(chart->updateIfNeeded());
    QCOMPARE(chart->pointCount(), 2);
    QCOMPARE(chart->linePointCount(), 2); // the pooled median's two
    QVERIFY(!chart->updateIfNeeded());

    clock += 5'000; // the window moved
    QVERIFY(chart->updateIfNeeded());
    // The log is younger than the window: the axis spans the minimum of one minute, not five.
    QCOMPARE(chart->rangeToMs() - chart->rangeFromMs(), 60'000);
    QVERIFY(chart->rangeToMs() > now + 5'000);

    log.append(makeSample(3, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50, now - 400'000));
    QVERIFY(chart->updateIfNeeded());
    QCOMPARE(chart->rangeToMs() - chart->rangeFromMs(), 300'000); // older than the window: all of it

    log.clear();
    QVERIFY(chart->updateIfNeeded());
    QCOMPARE(chart->pointCount(), 0);
}

void TestLatencyChart::pausedFreezes()
{
    LatencyLog log;
    qint64 clock = now;
    fill(log, mixedScenario(200).all);
    auto chart = makeChart(&log, &clock);
    chart->updateNow();
    const int points = chart->pointCount();
    const int linePoints = chart->linePointCount();
    const qint64 from = chart->rangeFromMs();
    const qint64 to = chart->rangeToMs();
    QList<QList<QPointF>> before;
    for (QXYSeries *s : chart->scatterSeries())
        before << s->points();

    QSignalSpy paused(chart.get(), &LatencyChart::pausedChanged);
    chart->setPaused(true);
    QVERIFY(chart->isPaused());
    QCOMPARE(paused.size(), 1);

    // More samples, inside the frozen range, and time goes by.
    for (int i = 0; i < 50; ++i)
        log.append(makeSample(quint64(5'000 + i), hostA, ReuseMode::Pooled, ConnectionKind::Reused, 55,
                              now - 100'000 + i));
    clock += 60'000;
    chart->updateNow();
    QVERIFY(!chart->updateIfNeeded());
    QCOMPARE(chart->pointCount(), points);
    QCOMPARE(chart->linePointCount(), linePoints);
    QCOMPARE(chart->rangeFromMs(), from);
    QCOMPARE(chart->rangeToMs(), to);
    QList<QList<QPointF>> after;
    for (QXYSeries *s : chart->scatterSeries())
        after << s->points();
    QCOMPARE(after, before);

    // Back to live: the new samples appear and the window follows the clock.
    chart->setPaused(false);
    QCOMPARE(paused.size(), 2);
    QVERIFY(chart->rangeToMs() >= clock);
    QVERIFY(chart->pointCount() > points);
}

void TestLatencyChart::clearWhilePausedEmpties()
{
    LatencyLog log;
    fill(log, mixedScenario(100).all);
    auto chart = makeChart(&log);
    chart->updateNow();
    QVERIFY(chart->pointCount() > 0);
    chart->setPaused(true);
    log.clear(); // the chart never shows what the log no longer holds
    QVERIFY(chart->updateIfNeeded());
    QCOMPARE(chart->pointCount(), 0);
    QCOMPARE(chart->linePointCount(), 0);
    QVERIFY(chart->isPaused());
}

void TestLatencyChart::rubberBandZoomPauses()
{
    LatencyLog log;
    fill(log, mixedScenario(300).all);
    auto chart = makeChart(&log);
    chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(chart.get()));
    chart->updateNow();
    const int allPoints = scatterPoints(*chart);
    const qint64 from = chart->rangeFromMs();
    const qint64 to = chart->rangeToMs();

    QSignalSpy paused(chart.get(), &LatencyChart::pausedChanged);
    const QRectF plot = chart->chartView()->chart()->plotArea();
    QWidget *viewport = chart->chartView()->viewport();
    const QPoint a = chart->chartView()->mapFromScene(plot.topLeft() + QPointF(plot.width() * 0.25, 2));
    const QPoint b =
        chart->chartView()->mapFromScene(plot.topLeft() + QPointF(plot.width() * 0.5, plot.height() - 2));
    QTest::mousePress(viewport, Qt::LeftButton, {}, a);
    QTest::mouseMove(viewport, (a + b) / 2);
    QTest::mouseMove(viewport, b);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, b);

    QVERIFY(chart->isPaused());
    QCOMPARE(paused.size(), 1);
    const qint64 span = to - from;
    QVERIFY2(qAbs(chart->rangeFromMs() - (from + span / 4)) < span / 50,
             qPrintable(QString::number(chart->rangeFromMs() - from)));
    QVERIFY(qAbs(chart->rangeToMs() - (from + span / 2)) < span / 50);
    const int zoomedPoints = scatterPoints(*chart);
    QVERIFY(zoomedPoints > 0 && zoomedPoints < allPoints);
    for (QXYSeries *series : chart->scatterSeries()) {
        for (const QPointF &p : series->points())
            QVERIFY(p.x() >= chart->rangeFromMs() && p.x() < chart->rangeToMs());
    }

    // Double-click: follow now again, whole window.
    QTest::mouseDClick(viewport, Qt::LeftButton, {}, b);
    QVERIFY(!chart->isPaused());
    QCOMPARE(chart->rangeToMs() - chart->rangeFromMs(), span);
    QCOMPARE(scatterPoints(*chart), allPoints);
}

void TestLatencyChart::windowSeconds()
{
    LatencyLog log;
    log.append(makeSample(1, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 50, now - 30'000));
    log.append(makeSample(2, hostA, ReuseMode::Pooled, ConnectionKind::Reused, 51, now - 200'000));
    log.append(makeSample(3, hostA, ReuseMode::Pooled, ConnectionKind::New, 150, now - 3'000'000));
    auto chart = makeChart(&log);
    QCOMPARE(chart->windowSeconds(), 300);
    chart->updateNow();
    QCOMPARE(scatterPoints(*chart), 2);

    chart->setWindowSeconds(60);
    chart->updateNow();
    QCOMPARE(chart->rangeToMs() - chart->rangeFromMs(), 60'000);
    QCOMPARE(scatterPoints(*chart), 1);
    QCOMPARE(chart->series(hostA, LatencyChart::Role::Reused)->at(0).y(), 50.0);

    chart->setWindowSeconds(3600);
    chart->updateNow();
    QCOMPARE(scatterPoints(*chart), 3);
    // An hour's window, 50 minutes of samples: the axis starts just before the oldest one.
    QVERIFY(chart->rangeFromMs() <= now - 3'000'000);
    QVERIFY(chart->rangeFromMs() > now - 3'100'000);
}

void TestLatencyChart::hostColoursStableAndDistinct()
{
    LatencyLog log;
    fill(log, mixedScenario(60).all);
    auto chart = makeChart(&log);
    chart->updateNow();
    const QStringList hosts = chart->hosts();
    QCOMPARE(hosts.size(), 3);
    QSet<QRgb> colours;
    for (const QString &host : hosts) {
        const QColor c = chart->hostColor(host);
        colours.insert(c.rgb());
        auto *handshake = qobject_cast<QScatterSeries *>(chart->series(host, LatencyChart::Role::Handshake));
        auto *reused = qobject_cast<QScatterSeries *>(chart->series(host, LatencyChart::Role::Reused));
        QCOMPARE(handshake->brush().color().rgb(), c.rgb()); // filled
        QVERIFY(handshake->brush().color().alpha() < 255); // see-through, for hosts that coincide
        QCOMPARE(reused->brush().style(), Qt::NoBrush); // hollow
        QCOMPARE(reused->pen().color().rgb(), c.rgb());
    }
    QCOMPARE(colours.size(), 3);

    // Another order of arrival later does not repaint anybody.
    QHash<QString, QColor> before;
    for (const QString &host : hosts)
        before.insert(host, chart->hostColor(host));
    log.clear();
    for (const QString &host : {hostC, hostB, hostA})
        log.append(makeSample(1, host, ReuseMode::Pooled, ConnectionKind::New, 150, now - 10'000));
    chart->updateNow();
    for (const QString &host : hosts)
        QCOMPARE(chart->hostColor(host), before.value(host));

    // An exchange has the same colour in every run, whichever of them answered first.
    LatencyLog reversed;
    for (const QString &host : {hostC, hostB, hostA})
        reversed.append(makeSample(1, host, ReuseMode::Pooled, ConnectionKind::New, 150, now - 10'000));
    auto other = makeChart(&reversed);
    other->updateNow();
    QCOMPARE(other->hostColor(hostA), chart->hostColor(hostA)); // bitunix
    QVERIFY(other->hostColor(hostB) != other->hostColor(hostC)); // two hyperliquid hosts still differ
}

void TestLatencyChart::rendersInLightAndDark()
{
    LatencyLog log;
    fill(log, mixedScenario(400).all);
    for (bool dark : {false, true}) {
        auto chart = makeChart(&log);
        QPalette pal;
        pal.setColor(QPalette::Window, dark ? QColor(0x2B, 0x2B, 0x2B) : QColor(0xF3, 0xF3, 0xF3));
        pal.setColor(QPalette::Base, dark ? QColor(0x1E, 0x1E, 0x1E) : Qt::white);
        pal.setColor(QPalette::Text, dark ? QColor(0xE0, 0xE0, 0xE0) : Qt::black);
        pal.setColor(QPalette::WindowText, dark ? QColor(0xE0, 0xE0, 0xE0) : Qt::black);
        chart->setPalette(pal);
        chart->updateNow();
        const QImage image = chart->grab().toImage();
        QVERIFY(!image.isNull());
        // The plot area follows the palette: its background is the palette's base colour.
        const QRectF plot = chart->chartView()->chart()->plotArea();
        const QPoint corner = chart->chartView()->mapTo(
            chart.get(), chart->chartView()->mapFromScene(plot.topLeft() + QPointF(3, 3)));
        QCOMPARE(QColor(image.pixel(corner)).name(), pal.color(QPalette::Base).name());
        QVERIFY(chart->hostColor(hostA).isValid());
        if (!qEnvironmentVariableIsEmpty("EXDASH_SCREENSHOTS")) {
            const QString path = qEnvironmentVariable("EXDASH_SCREENSHOTS")
                + (dark ? QStringLiteral("/latencychart-dark.png")
                        : QStringLiteral("/latencychart-light.png"));
            QVERIFY(image.save(path));
        }
    }
}

namespace {

// Five minutes of a realistic A/B session over a 50 ms link: Bitunix GETs over h2, Hyperliquid POSTs over
// HTTP/1.1, interleaved arms per refresh cycle, one timeout and one HTTP 500.
QList<RequestSample> realisticSession()
{
    QRandomGenerator rng(42);
    QList<RequestSample> samples;
    quint64 id = 0;
    const auto jitter = [&](double spread) {
        return (rng.generateDouble() + rng.generateDouble() - 1) * spread;
    };
    struct Endpoint
    {
        QString exchange, host, name;
        QByteArray method;
        HttpProtocol protocol;
        int everyMs;
        double downloadMs;
    };
    const QList<Endpoint> endpoints {
        {QStringLiteral("bitunix"), hostA, QStringLiteral("tickers"), "GET", HttpProtocol::Http2, 2000, 6},
        {QStringLiteral("bitunix"), hostA, QStringLiteral("positions"), "GET", HttpProtocol::Http2, 5000,
         0.8},
        {QStringLiteral("bitunix"), hostA, QStringLiteral("account"), "GET", HttpProtocol::Http2, 5000, 0.5},
        {QStringLiteral("hyperliquid"), hostB, QStringLiteral("info metaAndAssetCtxs"), "POST",
         HttpProtocol::Http1, 2000, 9},
        {QStringLiteral("hyperliquid"), hostB, QStringLiteral("info clearinghouseState"), "POST",
         HttpProtocol::Http1, 5000, 0.7},
    };
    bool hostWarm[2] = {false, false};
    for (qint64 t = now - 299'000; t < now; t += 1000) {
        const int cycle = int((t - (now - 299'000)) / 1000);
        const ReuseMode arm = cycle % 2 ? ReuseMode::NoReuse : ReuseMode::Pooled;
        bool sharedNew[2] = {false, false};
        for (const Endpoint &e : endpoints) {
            if ((t - (now - 299'000)) % e.everyMs != 0)
                continue;
            const int h = e.host == hostA ? 0 : 1;
            RequestSample s;
            s.id = ++id;
            s.exchange = e.exchange;
            s.endpoint = e.name;
            s.host = e.host;
            s.method = e.method;
            s.httpStatus = 200;
            s.protocol = arm == ReuseMode::NoReuse ? HttpProtocol::Http1 : e.protocol;
            s.reuse = arm;
            s.startedAtMsSinceEpoch = t + rng.bounded(3);
            const double rtt = 50 + jitter(2);
            double queue = 0.2 + rng.generateDouble() * 0.3;
            double connect = 0;
            if (arm == ReuseMode::NoReuse || !hostWarm[h] || (cycle % 60 == 30 && h == 1)) {
                if (arm == ReuseMode::Pooled && e.protocol == HttpProtocol::Http2 && sharedNew[h]) {
                    s.connection = ConnectionKind::Shared;
                    queue += 2 * rtt + 4;
                } else {
                    s.connection = ConnectionKind::New;
                    connect = 2 * rtt + 4 + jitter(3);
                    sharedNew[h] = true;
                }
                if (arm == ReuseMode::Pooled)
                    hostWarm[h] = e.protocol == HttpProtocol::Http2
                        ? true
                        : hostWarm[h] || s.connection == ConnectionKind::New;
            } else {
                s.connection = ConnectionKind::Reused;
            }
            s.connectionsOpened = s.connection == ConnectionKind::New ? 1 : 0;
            if (connect > 0) {
                s.connectStartMs = queue;
                s.tlsDoneMs = queue + connect;
            }
            s.requestSentMs = queue + connect;
            s.firstByteMs = s.requestSentMs + rtt + 1 + std::abs(jitter(2));
            s.finishedMs = s.firstByteMs + e.downloadMs * (0.8 + rng.generateDouble() * 0.4);
            if (cycle == 120 && h == 1) {
                s.error = NetError::Timeout;
                s.httpStatus = 0;
                s.errorText = QStringLiteral("no answer within 10 s");
                s.firstByteMs = -1;
                s.finishedMs = 10'000;
            } else if (cycle == 200 && h == 0) {
                s.error = NetError::HttpStatus;
                s.httpStatus = 500;
            }
            samples << s;
        }
        if (cycle % 2 == 0) {
            // The no-reuse arm closes its connections; the pooled one keeps them warm.
        }
    }
    return samples;
}

QPalette reviewPalette(bool dark)
{
    QPalette pal = QApplication::style()->standardPalette();
    if (!dark)
        return pal;
    const QColor window(0x2B, 0x2D, 0x30), base(0x1E, 0x1F, 0x22), text(0xDF, 0xE1, 0xE5);
    pal.setColor(QPalette::Window, window);
    pal.setColor(QPalette::Base, base);
    pal.setColor(QPalette::AlternateBase, window);
    pal.setColor(QPalette::Button, window);
    pal.setColor(QPalette::Text, text);
    pal.setColor(QPalette::WindowText, text);
    pal.setColor(QPalette::ButtonText, text);
    pal.setColor(QPalette::ToolTipBase, base);
    pal.setColor(QPalette::ToolTipText, text);
    pal.setColor(QPalette::PlaceholderText, QColor(0x8C, 0x8F, 0x94));
    pal.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xF0));
    return pal;
}

} // namespace

// Renders the chart and the phase bar as the main window's latency dock shows them, to PNG files when
// EXDASH_SCREENSHOTS names a directory (for a human to look at); otherwise only checks that they render.
void TestLatencyChart::renderForReview()
{
    LatencyLog log;
    const QList<RequestSample> session = realisticSession();
    fill(log, session);
    for (bool dark : {false, true}) {
        QWidget panel;
        panel.setPalette(reviewPalette(dark));
        panel.setAutoFillBackground(true);
        auto *layout = new QVBoxLayout(&panel);
        layout->setContentsMargins(4, 4, 4, 4);
        auto *chart = new LatencyChart(&log, &panel);
        chart->setClock([] { return now; });
        auto *bar = new PhaseBar(&panel);
        layout->addWidget(chart, 1);
        layout->addWidget(bar);
        panel.resize(760, 470);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        chart->updateNow();
        // The trader clicked a request that paid for a new connection.
        QXYSeries *handshake = chart->series(hostA, LatencyChart::Role::Handshake);
        QObject::connect(chart, &LatencyChart::sampleClicked, bar, &PhaseBar::setSample);
        emit handshake->clicked(handshake->at(handshake->count() - 1));
        QVERIFY(bar->hasSample());
        emit handshake->hovered(handshake->at(handshake->count() - 1), true);
        QLabel tip;
        tip.setTextFormat(Qt::RichText);
        tip.setText(chart->hoverText());
        tip.setPalette(reviewPalette(dark));
        tip.setAutoFillBackground(true);
        tip.setBackgroundRole(QPalette::ToolTipBase);
        tip.setForegroundRole(QPalette::ToolTipText);
        tip.setMargin(6);
        tip.adjustSize();

        const QImage image = panel.grab().toImage();
        QVERIFY(!image.isNull());
        const QString dir = qEnvironmentVariable("EXDASH_SCREENSHOTS");
        if (!dir.isEmpty()) {
            const QString suffix = dark ? QStringLiteral("dark") : QStringLiteral("light");
            QVERIFY(image.save(dir + QStringLiteral("/latency-panel-%1.png").arg(suffix)));
            QVERIFY(tip.grab().save(dir + QStringLiteral("/latency-tooltip-%1.png").arg(suffix)));
            PhaseBar reused;
            reused.setPalette(reviewPalette(dark));
            reused.setAutoFillBackground(true);
            reused.resize(520, reused.sizeHint().height());
            QXYSeries *reusedSeries = chart->series(hostB, LatencyChart::Role::Reused);
            reused.setSample(*chart->sampleAt(reusedSeries, reusedSeries->at(0)));
            QVERIFY(reused.grab().save(dir + QStringLiteral("/phasebar-reused-%1.png").arg(suffix)));
            // Narrow and paused: the header must still read.
            panel.resize(520, 400);
            chart->setPaused(true);
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QVERIFY(chart->width() < 600);
            QVERIFY(
                panel.grab().save(dir + QStringLiteral("/latency-panel-narrow-paused-%1.png").arg(suffix)));
            PhaseBar empty;
            empty.setPalette(reviewPalette(dark));
            empty.setAutoFillBackground(true);
            empty.resize(520, empty.sizeHint().height());
            QVERIFY(empty.grab().save(dir + QStringLiteral("/phasebar-empty-%1.png").arg(suffix)));
        }
    }
}

QTEST_MAIN(TestLatencyChart)
#include "tst_latencychart.moc"
