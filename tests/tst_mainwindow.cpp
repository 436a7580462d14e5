#include "gainpanel.h"
#include "latencychart.h"
#include "mainwindow.h"
#include "phasebar.h"
#include "printers.h"
#include "windowfixture.h"

#include "models/accountmodel.h"
#include "models/gainreport.h"
#include "models/latencylog.h"
#include "models/positionmodel.h"
#include "models/samplecsv.h"
#include "models/tickermodel.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QXYSeries>

#include <memory>

// The window against the in-process simulator, offscreen: what a trader sees after the first refresh.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void firstRefreshFillsEverything();
    void chartHasOnePointPerSampleInItsWindow();
    void gainPanelShowsWhatTheLogHolds();
    void reuseSwitchChangesTheNextRequests();
    void positionsSayWhyTheyAreEmpty();
    void firstRefreshCountsFeedsThatFailedAtOnce();
    void csvExportHasEverySampleAndNoSecret();
    void phaseBarKeepsAPickedRequestUntilLive();

private:
    std::unique_ptr<MainWindow> open(const SessionConfig &config) { return m_fixture->open(config); }
    static SessionConfig demo();

    std::unique_ptr<WindowFixture> m_fixture;
};

void tst_MainWindow::initTestCase()
{
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    qunsetenv("HYPERLIQUID_ADDRESS");
}

void tst_MainWindow::init()
{
    m_fixture = std::make_unique<WindowFixture>(QStringLiteral("exdash-tst-mainwindow"));
    QVERIFY(m_fixture->isValid());
}

void tst_MainWindow::cleanup()
{
    m_fixture.reset();
}

SessionConfig tst_MainWindow::demo()
{
    SessionConfig config;
    config.demo = true;
    config.exsim.rttMs = 0;
    for (int &cadence : config.cadenceMs)
        cadence = 400;
    return config;
}

void tst_MainWindow::firstRefreshFillsEverything()
{
    auto window = open(demo());
    QVERIFY(window->firstRefreshDone());
    // First means every feed of both exchanges, the stats included, has answered once.
    for (Exchange exchange : {Exchange::Bitunix, Exchange::Hyperliquid}) {
        for (DataKind kind : allDataKinds)
            QVERIFY2(window->session()->refresher()->status(exchange, kind).lastSuccessMs > 0,
                     qPrintable(nameOf(exchange) + QLatin1Char(' ') + nameOf(kind)));
    }
    int bitunix = 0, hyperliquid = 0;
    for (int row = 0; row < window->tickerModel()->rowCount(); ++row) {
        const Ticker ticker = window->tickerModel()->ticker(row);
        (ticker.exchange == Exchange::Bitunix ? bitunix : hyperliquid)++;
        // Prices and stats joined: every row has its funding, and its interval.
        QVERIFY2(ticker.last.isValid() && ticker.funding.isValid(), qPrintable(ticker.symbol));
        if (ticker.exchange == Exchange::Bitunix)
            QVERIFY2(ticker.fundingIntervalHours > 0 && ticker.nextFundingMs > 0, qPrintable(ticker.symbol));
    }
    QVERIFY(bitunix >= 20);
    QVERIFY(hyperliquid >= 20);
    QCOMPARE(window->tickerView()->model()->rowCount(), bitunix + hyperliquid);
    QCOMPARE(window->positionModel()->rowCount(), 8); // exsim's demo accounts
    QCOMPARE(window->accountModel()->rowCount(), 2);
    QTRY_VERIFY(window->statusText().contains(QLatin1String("Demo: exsim at RTT 0 ms")));
    QTRY_VERIFY(window->statusText().contains(QLatin1String("BX ok")));
    QTRY_VERIFY(window->statusText().contains(QLatin1String("HL ok")));
    const auto *accounts = window->findChild<QLabel *>(QStringLiteral("accountLine"));
    QVERIFY(accounts->text().contains(QLatin1String("equity")));
}

void tst_MainWindow::chartHasOnePointPerSampleInItsWindow()
{
    auto window = open(demo());
    window->session()->refresher()->setPaused(true);
    QTRY_COMPARE(window->session()->http()->inFlight(), 0);
    window->latencyChart()->updateNow();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int expected = 0;
    for (const RequestSample &s : window->latencyLog()->window(now - 5 * 60 * 1000, now + 1))
        expected += s.warmUp ? 0 : 1;
    QVERIFY(expected >= 8);
    QCOMPARE(window->latencyChart()->pointCount(), expected);
}

void tst_MainWindow::gainPanelShowsWhatTheLogHolds()
{
    SessionConfig config = demo();
    config.reuse = ReuseMode::Interleaved;
    auto window = open(config);
    // Both arms measured, then frozen so that the panel and the log can be compared.
    QTRY_VERIFY_WITH_TIMEOUT(window->latencyLog()->poolStats().total(ReuseMode::NoReuse).requests >= 6,
                             20'000);
    QTRY_VERIFY_WITH_TIMEOUT(window->latencyLog()->poolStats().total(ReuseMode::Pooled).requests >= 12,
                             20'000);
    window->session()->refresher()->setPaused(true);
    QTRY_COMPARE(window->session()->http()->inFlight(), 0);
    const GainReport expected =
        GainReport::compute(*window->latencyLog(), QDateTime::currentMSecsSinceEpoch());
    // The panel recomputes on its own timer: wait for a report of the frozen log, both arms (one that came
    // between a pooled and a no-reuse cycle can agree on the pooled count alone).
    QTRY_VERIFY_WITH_TIMEOUT(window->gainPanel()->report().pooled.count == expected.pooled.count
                                 && window->gainPanel()->report().noReuse.count == expected.noReuse.count,
                             10'000);
    const GainReport shown = window->gainPanel()->report();
    QCOMPARE(shown.pooled.count, expected.pooled.count);
    QCOMPARE(shown.noReuse.count, expected.noReuse.count);
    QCOMPARE(shown.pooled.p50, expected.pooled.p50);
    QCOMPARE(shown.noReuse.p50, expected.noReuse.p50);
    QVERIFY(shown.bothArms());
    QCOMPARE(shown.speedup, expected.speedup);
    QCOMPARE(shown.handshakesAvoided(),
             window->latencyLog()->poolStats().total(ReuseMode::Pooled).handshakesAvoided());
}

void tst_MainWindow::reuseSwitchChangesTheNextRequests()
{
    auto window = open(demo());
    // Between cycles: no pooled request still in flight to report after the switch.
    QTRY_COMPARE_WITH_TIMEOUT(window->session()->http()->inFlight(), 0, 20'000);
    QComboBox *reuse = window->reuseSwitch();
    reuse->setCurrentIndex(reuse->findData(int(ReuseMode::NoReuse)));
    emit reuse->activated(reuse->currentIndex());
    QCOMPARE(m_fixture->settings()->reuseMode(), ReuseMode::NoReuse);
    QCOMPARE(window->session()->http()->reuseMode(), ReuseMode::NoReuse);
    QSignalSpy samples(window->session()->http(), &HttpClient::sampleReady);
    window->session()->refresher()->refreshNow();
    QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 6, 20'000);
    for (const QList<QVariant> &args : std::as_const(samples)) {
        const auto s = args.first().value<RequestSample>();
        QCOMPARE(s.reuse, ReuseMode::NoReuse);
        QCOMPARE(s.connection, ConnectionKind::New);
    }
}

void tst_MainWindow::positionsSayWhyTheyAreEmpty()
{
    // Live, pointed at nothing that answers, without credentials: the empty state says so.
    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = QUrl(QStringLiteral("https://127.0.0.1:9"));
    config.hyperliquidUrl = QUrl(QStringLiteral("https://127.0.0.1:9"));
    config.timeoutMs = 2000;
    auto window = open(config);
    QCOMPARE(window->positionModel()->rowCount(), 0);
    const auto *empty = window->findChild<QLabel *>(QStringLiteral("positionsEmpty"));
    QVERIFY(empty->isVisible());
    QTRY_VERIFY(empty->text().contains(QLatin1String("no credentials")));
    QTRY_VERIFY(window->statusText().contains(QLatin1String("error")));
}

void tst_MainWindow::firstRefreshCountsFeedsThatFailedAtOnce()
{
    // Without credentials the private feeds fail inside the refresher's start, before the window listens to
    // it; the public ones fail a moment later (nothing listens on port 9). The first refresh is complete
    // then, not at the private feeds' next try, ten minutes on.
    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = QUrl(QStringLiteral("https://127.0.0.1:9"));
    config.hyperliquidUrl = QUrl(QStringLiteral("https://127.0.0.1:9"));
    for (int &cadence : config.cadenceMs)
        cadence = 600'000;
    MainWindow window(m_fixture->settings(), m_fixture->credentials(), config, exsimStarter());
    QSignalSpy first(&window, &MainWindow::firstRefreshCompleted);
    QString error;
    QVERIFY2(window.start(&error), qPrintable(error));
    QVERIFY(first.wait(20'000));
    QVERIFY(window.firstRefreshDone());
}

void tst_MainWindow::csvExportHasEverySampleAndNoSecret()
{
    auto window = open(demo());
    window->session()->refresher()->setPaused(true);
    QTRY_COMPARE(window->session()->http()->inFlight(), 0);
    const QByteArray csv = SampleCsv::write(*window->latencyLog());
    QCOMPARE(csv.count('\n'), window->latencyLog()->size() + 1);
    QVERIFY(csv.startsWith("id,started_at,exchange,endpoint"));
    const QByteArray secret = window->session()->demo()->endpoints().bitunixApiSecret;
    QVERIFY(!secret.isEmpty());
    QVERIFY(!csv.contains(secret));
    QVERIFY(!csv.contains(window->session()->demo()->endpoints().bitunixApiKey));
}

void tst_MainWindow::phaseBarKeepsAPickedRequestUntilLive()
{
    auto window = open(demo());
    LatencyChart *chart = window->latencyChart();
    PhaseBar *bar = window->phaseBar();
    LatencyLog *log = window->latencyLog();
    chart->updateNow();
    QXYSeries *series = nullptr;
    for (QXYSeries *s : chart->scatterSeries()) {
        if (s->count() > 0 && s != chart->errorSeries())
            series = s;
    }
    QVERIFY(series);
    const std::optional<RequestSample> picked = chart->sampleAt(series, series->at(0));
    QVERIFY(picked);
    emit series->clicked(series->at(0));
    QVERIFY(bar->isPinned());
    QCOMPARE(bar->sample().id, picked->id);

    // New requests come; the bar keeps the one picked.
    QSignalSpy appended(log, &LatencyLog::appended);
    QVERIFY(appended.wait(10'000));
    QCOMPARE(bar->sample().id, picked->id);

    // Live (off, then on again) follows the last request again.
    auto *live = qobject_cast<QToolButton *>(chart->focusOrder().at(1));
    QVERIFY(live && live->isChecked());
    live->click();
    live->click();
    QVERIFY(live->isChecked());
    QVERIFY(!bar->isPinned());
    QCOMPARE(bar->sample().id, log->at(log->size() - 1).id);
    QVERIFY(appended.wait(10'000));
    QCOMPARE(bar->sample().id, log->at(log->size() - 1).id);

    // A new session starts unpinned.
    emit series->clicked(series->at(0));
    QVERIFY(bar->isPinned());
    QVERIFY(window->start());
    QVERIFY(!bar->isPinned());
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
