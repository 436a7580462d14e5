#include "printers.h"
#include "refresh/refresher.h"
#include "sim/exsim.h"

#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

namespace {

// Time that moves only when the test moves it: cadences, back-off and budgets cost no real waiting.
struct FakeClock
{
    static constexpr qint64 wallAtStartMs = 1'750'000'000'000; // any plausible date
    qint64 ms = 0; // monotonic

    qint64 wallMs() const { return wallAtStartMs + ms; }
    void drive(Refresher &refresher)
    {
        refresher.setClock([this] { return ms; });
        refresher.setWallClock([this] { return wallMs(); });
    }
};

// A client that answers from the event loop with whatever the test says, and records what it was asked
// and when.
class FakeClient : public ExchangeClient
{
public:
    FakeClient(Exchange exchange, HttpClient *http, const FakeClock *clock = nullptr)
        : ExchangeClient(exchange, http)
        , m_clock(clock)
    { }

    void fetch(DataKind kind) override
    {
        ++fetches[int(kind)];
        fetchTimes[int(kind)].append(m_clock ? m_clock->ms : -1);
        const FetchError error = errors.value(int(kind));
        QTimer::singleShot(0, this, [this, kind, error] { finish(kind, error); });
    }
    int weight(DataKind kind) const override { return weights.value(int(kind), 1); }
    QString budgetName(DataKind) const override { return QStringLiteral("all"); }
    int budgetCapacity() const override { return capacity; }
    qint64 budgetWindowMs() const override { return windowMs; }
    bool hasCredentials() const override { return true; }

    int totalFetches() const { return fetches.value(0) + fetches.value(1) + fetches.value(2); }

    QHash<int, int> fetches;
    QHash<int, QList<qint64>> fetchTimes; // by the fake clock
    QHash<int, FetchError> errors;
    QHash<int, int> weights;
    int capacity = 1000;
    qint64 windowMs = 1000;

private:
    const FakeClock *m_clock;
};

// A Refresher on a fake clock, driving one fake client, every data kind on one cadence.
struct Rig
{
    Rig(HttpClient *http, Exchange exchange, int cadenceMs)
        : client(exchange, http, &clock)
        , refresher(http)
    {
        clock.drive(refresher);
        refresher.addClient(&client);
        for (DataKind kind : allDataKinds)
            refresher.setCadence(kind, cadenceMs);
    }

    FakeClock clock;
    FakeClient client;
    Refresher refresher;
};

// The fake answers come from the event loop: wait for them, never for a fixed time.
bool answered(const Refresher &refresher)
{
    return QTest::qWaitFor([&] { return refresher.inFlight() == 0; });
}

struct Run
{
    bool answered = true;
    int wakes = 0;
    int wakesWithoutCycle = 0; // the timer was armed too early
};

// Moves the clock `ms` forward the way the timer would see it: at every wake on the way the Refresher sends
// what is due, and the answers come back before time moves on.
Run advance(Refresher &refresher, FakeClock &clock, qint64 ms)
{
    constexpr int wakeLimit = 100'000; // a timer armed for now that sends nothing would wake for ever
    const qint64 end = clock.ms + ms;
    Run run;
    while (run.wakes < wakeLimit) {
        if (!answered(refresher)) {
            run.answered = false;
            return run;
        }
        const qint64 wake = refresher.msUntilNextWake();
        if (wake < 0 || clock.ms + wake > end)
            break;
        clock.ms += wake;
        const int cyclesBefore = refresher.cyclesStarted();
        refresher.sendDueCalls();
        ++run.wakes;
        run.wakesWithoutCycle += refresher.cyclesStarted() == cyclesBefore ? 1 : 0;
    }
    clock.ms = end;
    return run;
}

QList<qint64> steps(qint64 from, qint64 to, qint64 every)
{
    QList<qint64> times;
    for (qint64 t = from; t <= to; t += every)
        times.append(t);
    return times;
}

} // namespace

class tst_Refresher : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cadencePerDataKind();
    void timerIsArmedForTheNextDueTime();
    void backOffArmsTheTimerForRetryAfter();
    void pausedOrStoppedArmsNoTimer();
    void oneCycleSendsEverythingAtOnce();
    void budgetDelaysButNeverDrops();
    void budgetBlockedFeedWakesWhenTheBudgetHasRoom();
    void cycleFitsOnlyWhenTheBudgetHasRoom();
    void rateLimitBacksOffPastRetryAfter();
    void authErrorsKeepThePlainCadence();
    void stalenessFollowsFailuresAndAge();
    void interleavedArmsAlternatePerCycle();
    void pauseStopsNewCalls();

private:
    std::unique_ptr<HttpClient> m_http;
};

void tst_Refresher::init()
{
    m_http = std::make_unique<HttpClient>();
}

void tst_Refresher::cadencePerDataKind()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 200);
    auto &[clock, client, refresher] = rig;
    refresher.setCadence(DataKind::Positions, 600);
    refresher.setCadence(DataKind::Account, 600);
    refresher.start();
    const Run run = advance(refresher, clock, 1800);
    QVERIFY(run.answered);
    // Three ticker refreshes per position refresh, each exactly on its cadence.
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), steps(0, 1800, 200));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Positions)), steps(0, 1800, 600));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Account)), steps(0, 1800, 600));
    QCOMPARE(run.wakesWithoutCycle, 0);
}

void tst_Refresher::timerIsArmedForTheNextDueTime()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 200);
    auto &[clock, client, refresher] = rig;
    refresher.setCadence(DataKind::Positions, 700);
    refresher.setCadence(DataKind::Account, 700);
    refresher.start();
    QVERIFY(answered(refresher));
    QCOMPARE(refresher.msUntilNextWake(), 200);
    clock.ms = 150;
    QCOMPARE(refresher.msUntilNextWake(), 50); // counted on the clock the Refresher was given
    QVERIFY(advance(refresher, clock, 450).answered); // tickers at 200, 400 and 600
    QCOMPARE(refresher.msUntilNextWake(), 100); // positions and account at 700, before tickers at 800
    QVERIFY(advance(refresher, clock, 100).answered);
    QCOMPARE(client.fetches.value(int(DataKind::Positions)), 2);
    QCOMPARE(refresher.msUntilNextWake(), 100); // tickers at 800
}

void tst_Refresher::backOffArmsTheTimerForRetryAfter()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 100);
    auto &[clock, client, refresher] = rig;
    client.errors[int(DataKind::Tickers)] = {FetchErrorKind::RateLimit, QStringLiteral("slow down"), 5000};
    refresher.setCadence(DataKind::Positions, 3'600'000);
    refresher.setCadence(DataKind::Account, 3'600'000);
    refresher.start();
    QVERIFY(answered(refresher));
    // The first back-off (0.5 to 1.5 s) is shorter than what the server asked for: Retry-After decides.
    QCOMPARE(refresher.msUntilNextWake(), 5000);
    const Run run = advance(refresher, clock, 5000);
    QVERIFY(run.answered);
    QCOMPARE(run.wakes, 1);
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), QList<qint64>({0, 5000}));
}

void tst_Refresher::pausedOrStoppedArmsNoTimer()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 1000);
    auto &[clock, client, refresher] = rig;
    QVERIFY(!refresher.isRunning());
    QCOMPARE(refresher.msUntilNextWake(), -1);

    refresher.start();
    // Everything is in flight: nothing to wake for until an answer comes back, but the Refresher runs.
    QVERIFY(refresher.isRunning());
    QCOMPARE(refresher.msUntilNextWake(), -1);
    QVERIFY(answered(refresher));
    QCOMPARE(refresher.msUntilNextWake(), 1000);

    // A paused app does not wake up, not even to find out that it is paused.
    refresher.setPaused(true);
    QVERIFY(refresher.isRunning());
    QCOMPARE(refresher.msUntilNextWake(), -1);
    refresher.refreshNow();
    QCOMPARE(refresher.msUntilNextWake(), -1);
    QCOMPARE(refresher.cyclesStarted(), 1);
    refresher.setPaused(false);
    QCOMPARE(refresher.msUntilNextWake(), 0); // refreshNow() made everything due

    refresher.stop();
    QVERIFY(!refresher.isRunning());
    QCOMPARE(refresher.msUntilNextWake(), -1);
    // An answer arriving after stop() does not arm it again.
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 2);
    QVERIFY(answered(refresher));
    QCOMPARE(refresher.msUntilNextWake(), -1);
}

void tst_Refresher::oneCycleSendsEverythingAtOnce()
{
    // Through exsim at 50 ms RTT: every call of the refresh has gone out before the first answer is back.
    ExsimOptions options;
    options.rttMs = 50;
    Exsim exsim(options);
    QVERIFY(exsim.start());
    BitunixClient bitunix(m_http.get());
    HyperliquidClient hyperliquid(m_http.get());
    bitunix.setBaseUrl(exsim.url(SimExchange::Bitunix));
    hyperliquid.setBaseUrl(exsim.url(SimExchange::Hyperliquid));
    m_http->setCaCertificates(exsim.url(SimExchange::Bitunix), {exsim.ca()});
    m_http->setCaCertificates(exsim.url(SimExchange::Hyperliquid), {exsim.ca()});
    bitunix.setCredentials(exsim.bitunixApiKey(), exsim.bitunixApiSecret());
    QVERIFY(hyperliquid.setAddress(exsim.hyperliquidAddress()));

    Refresher refresher(m_http.get());
    refresher.addClient(&bitunix);
    refresher.addClient(&hyperliquid);
    QSignalSpy samples(m_http.get(), &HttpClient::sampleReady);
    QSignalSpy cycles(&refresher, &Refresher::cycleStarted);
    QSignalSpy idle(&refresher, &Refresher::idle);
    refresher.refreshNow();
    QVERIFY(idle.wait(20'000));
    QCOMPARE(cycles.count(), 1);
    QCOMPARE(cycles.first().at(1).toInt(), 6); // three data kinds of two exchanges
    QTRY_VERIFY(m_http->inFlight() == 0);
    QVERIFY(samples.count() >= 6);
    qint64 lastStart = 0, firstEnd = std::numeric_limits<qint64>::max();
    for (const QList<QVariant> &args : std::as_const(samples)) {
        const auto s = args.first().value<RequestSample>();
        QVERIFY2(s.ok(), qPrintable(s.endpoint + QLatin1Char(' ') + s.errorText));
        lastStart = std::max(lastStart, s.startedAtMsSinceEpoch);
        firstEnd = std::min(firstEnd, s.startedAtMsSinceEpoch + qint64(s.totalMs()));
    }
    QVERIFY2(lastStart < firstEnd, "a call waited for another one");
    for (DataKind kind : allDataKinds) {
        QVERIFY(refresher.status(Exchange::Bitunix, kind).lastError.ok());
        QVERIFY(refresher.status(Exchange::Hyperliquid, kind).lastError.ok());
        QVERIFY(!refresher.isStale(Exchange::Hyperliquid, kind));
    }
}

void tst_Refresher::budgetDelaysButNeverDrops()
{
    Rig rig(m_http.get(), Exchange::Hyperliquid, 100);
    auto &[clock, client, refresher] = rig;
    client.capacity = 20;
    client.windowMs = 600;
    client.weights = {
        {int(DataKind::Tickers), 20}, {int(DataKind::Positions), 20}, {int(DataKind::Account), 20}};
    refresher.start();
    const Run run = advance(refresher, clock, 8 * 600);
    QVERIFY(run.answered);
    // One weight-20 call per 600 ms window, whatever the cadence asks: merged, the fetch times are exactly
    // that far apart.
    QList<qint64> times;
    for (const auto &list : std::as_const(client.fetchTimes))
        times += list;
    std::sort(times.begin(), times.end());
    QCOMPARE(times, steps(0, 8 * 600, 600));
    // Delayed, not dropped: the longest overdue goes first, so the kinds take turns.
    for (DataKind kind : allDataKinds)
        QCOMPARE(client.fetches.value(int(kind)), 3);
    // The timer woke when the budget had room again, not at every cadence in between.
    QCOMPARE(run.wakesWithoutCycle, 0);
}

void tst_Refresher::budgetBlockedFeedWakesWhenTheBudgetHasRoom()
{
    Rig rig(m_http.get(), Exchange::Hyperliquid, 100);
    auto &[clock, client, refresher] = rig;
    client.capacity = 20; // two of the three calls
    client.windowMs = 1000;
    client.weights = {
        {int(DataKind::Tickers), 10}, {int(DataKind::Positions), 10}, {int(DataKind::Account), 10}};
    refresher.start();
    QVERIFY(answered(refresher));
    QCOMPARE(client.totalFetches(), 2);
    // Account is due but the budget is full until the first spend leaves the window: the timer is armed for
    // then, not for the cadence of the others (100 ms) nor to poll.
    QCOMPARE(refresher.msUntilNextWake(), 1000);
    Run run = advance(refresher, clock, 999);
    QCOMPARE(run.wakes, 0);
    QCOMPARE(client.totalFetches(), 2);
    run = advance(refresher, clock, 1);
    QCOMPARE(run.wakes, 1);
    QCOMPARE(client.fetchTimes.value(int(DataKind::Account)), QList<qint64>({1000}));
    QCOMPARE(client.totalFetches(), 4);
}

void tst_Refresher::cycleFitsOnlyWhenTheBudgetHasRoom()
{
    Rig rig(m_http.get(), Exchange::Hyperliquid, 3'600'000); // only refreshNow() sends
    auto &[clock, client, refresher] = rig;
    client.capacity = 30; // a whole cycle (3 x 10) fits once per window
    client.windowMs = 60'000;
    client.weights = {
        {int(DataKind::Tickers), 10}, {int(DataKind::Positions), 10}, {int(DataKind::Account), 10}};
    QCOMPARE(refresher.msUntilCycleFits(), 0);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 1);
    QVERIFY(answered(refresher));
    // The budget is spent for a minute: the next whole cycle fits when the first one's spend expires.
    QCOMPARE(refresher.msUntilCycleFits(), 60'000);
    clock.ms = 59'999;
    QCOMPARE(refresher.msUntilCycleFits(), 1);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 1); // delayed, not sent
    clock.ms = 60'000;
    QCOMPARE(refresher.msUntilCycleFits(), 0);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 2);
    QVERIFY(answered(refresher));

    // Against exsim (no rate limit of its own) the benchmark lifts the budgets: cycles go back to back.
    refresher.setBudgetsEnforced(false);
    QCOMPARE(refresher.msUntilCycleFits(), 0);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 3);
    QCOMPARE(client.fetches.value(int(DataKind::Tickers)), 3);
    QVERIFY(answered(refresher));
}

void tst_Refresher::rateLimitBacksOffPastRetryAfter()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 100);
    auto &[clock, client, refresher] = rig;
    client.errors[int(DataKind::Tickers)] = {FetchErrorKind::RateLimit, QStringLiteral("slow down"), 1500};
    refresher.start();
    // Back-off doubles from 0.5-1.5 s: within 10 s at least three tickers calls, the first two 1.5 s apart.
    const Run run = advance(refresher, clock, 10'000);
    QVERIFY(run.answered);
    const QList<qint64> times = client.fetchTimes.value(int(DataKind::Tickers));
    QVERIFY2(times.size() >= 3, qPrintable(QString::number(times.size())));
    QCOMPARE(times.at(1), 1500); // the first back-off is shorter than Retry-After
    for (int i = 1; i < times.size(); ++i)
        QVERIFY2(times.at(i) - times.at(i - 1) >= 1500, // Retry-After is a floor
                 qPrintable(QString::number(times.at(i) - times.at(i - 1))));
    // The healthy kinds keep their 100 ms cadence meanwhile.
    QCOMPARE(client.fetchTimes.value(int(DataKind::Positions)), steps(0, 10'000, 100));
    QCOMPARE(refresher.status(Exchange::Bitunix, DataKind::Tickers).failuresInARow,
             client.fetches.value(int(DataKind::Tickers)));
    QVERIFY(refresher.isStale(Exchange::Bitunix, DataKind::Tickers));
}

void tst_Refresher::authErrorsKeepThePlainCadence()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 200);
    auto &[clock, client, refresher] = rig;
    client.errors[int(DataKind::Positions)] = {FetchErrorKind::Auth, QStringLiteral("bitunix 10007"), -1};
    refresher.start();
    QVERIFY(advance(refresher, clock, 1400).answered);
    // No retry storm (one call per cadence) and no back-off either: the same pace as healthy data.
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), steps(0, 1400, 200));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Positions)), steps(0, 1400, 200));
    QCOMPARE(refresher.status(Exchange::Bitunix, DataKind::Positions).lastError.kind, FetchErrorKind::Auth);
    QCOMPARE(refresher.status(Exchange::Bitunix, DataKind::Positions).failuresInARow, 8);
}

void tst_Refresher::stalenessFollowsFailuresAndAge()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 100);
    auto &[clock, client, refresher] = rig;
    QVERIFY(refresher.isStale(Exchange::Bitunix, DataKind::Tickers)); // never fetched
    refresher.refreshNow();
    QVERIFY(answered(refresher));
    const qint64 fetchedAt = refresher.status(Exchange::Bitunix, DataKind::Tickers).lastSuccessMs;
    QCOMPARE(fetchedAt, clock.wallMs()); // the wall clock, for the status bar
    const FeedStatus status = refresher.status(Exchange::Bitunix, DataKind::Tickers);
    QVERIFY(!status.isStale(fetchedAt + 300, 100)); // three cadences
    QVERIFY(status.isStale(fetchedAt + 301, 100));
    QCOMPARE(status.ageMs(fetchedAt + 1234), 1234);
    // The same through the Refresher, as time goes by.
    QVERIFY(!refresher.isStale(Exchange::Bitunix, DataKind::Tickers));
    clock.ms += 300;
    QVERIFY(!refresher.isStale(Exchange::Bitunix, DataKind::Tickers));
    clock.ms += 1;
    QVERIFY(refresher.isStale(Exchange::Bitunix, DataKind::Tickers));

    client.errors[int(DataKind::Tickers)] = {FetchErrorKind::Network, QStringLiteral("refused"), -1};
    refresher.refreshNow();
    QVERIFY(answered(refresher));
    QCOMPARE(client.fetches.value(int(DataKind::Tickers)), 2);
    const FeedStatus failed = refresher.status(Exchange::Bitunix, DataKind::Tickers);
    QVERIFY(failed.isStale(fetchedAt + 1, 100)); // a failure is stale at once
    QCOMPARE(failed.lastSuccessMs, fetchedAt); // the age still counts from the last good data
    QVERIFY(refresher.isStale(Exchange::Bitunix, DataKind::Tickers));
    QVERIFY(!refresher.isStale(Exchange::Bitunix, DataKind::Positions)); // fetched again just now
}

void tst_Refresher::interleavedArmsAlternatePerCycle()
{
    m_http->setReuseMode(ReuseMode::Interleaved);
    Rig rig(m_http.get(), Exchange::Bitunix, 100);
    auto &[clock, client, refresher] = rig;
    QSignalSpy cycles(&refresher, &Refresher::cycleStarted);
    refresher.start();
    QVERIFY(advance(refresher, clock, 500).answered);
    QCOMPARE(cycles.count(), 6);
    for (int i = 0; i < 6; ++i) {
        QCOMPARE(cycles.at(i).first().value<ReuseMode>(),
                 i % 2 == 0 ? ReuseMode::Pooled : ReuseMode::NoReuse);
        QCOMPARE(cycles.at(i).at(1).toInt(), 3);
    }
}

void tst_Refresher::pauseStopsNewCalls()
{
    Rig rig(m_http.get(), Exchange::Bitunix, 100);
    auto &[clock, client, refresher] = rig;
    refresher.start();
    QVERIFY(advance(refresher, clock, 100).answered);
    QCOMPARE(client.fetches.value(int(DataKind::Tickers)), 2);
    refresher.setPaused(true);
    QSignalSpy cycles(&refresher, &Refresher::cycleStarted);
    const Run paused = advance(refresher, clock, 60'000);
    QCOMPARE(paused.wakes, 0);
    refresher.sendDueCalls(); // as a timer armed before the pause would
    QCOMPARE(cycles.count(), 0);
    QCOMPARE(client.fetches.value(int(DataKind::Tickers)), 2);
    // Unpaused, what is overdue goes out from the event loop, through the real timer.
    refresher.setPaused(false);
    QCOMPARE(refresher.msUntilNextWake(), 0);
    QVERIFY(cycles.wait());
    QCOMPARE(cycles.count(), 1);
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), QList<qint64>({0, 100, 60'100}));
}

QTEST_GUILESS_MAIN(tst_Refresher)
#include "tst_refresher.moc"
