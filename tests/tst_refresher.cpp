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
    QString budgetName(DataKind kind) const override
    {
        return budgetPerKind ? nameOf(kind) : QStringLiteral("all");
    }
    int budgetCapacity() const override { return capacity; }
    qint64 budgetWindowMs() const override { return windowMs; }
    QString budgetUnit() const override { return QStringLiteral("calls/window"); }
    QString rateLimitText() const override { return QStringLiteral("whatever the test sets"); }
    bool hasCredentials() const override { return true; }

    int totalFetches() const
    {
        int total = 0;
        for (DataKind kind : allDataKinds)
            total += fetches.value(int(kind));
        return total;
    }

    QHash<int, int> fetches;
    QHash<int, QList<qint64>> fetchTimes; // by the fake clock
    QHash<int, FetchError> errors;
    QHash<int, int> weights;
    int capacity = 1000;
    qint64 windowMs = 1000;
    bool budgetPerKind = false; // as Bitunix's per endpoint; otherwise one budget, as Hyperliquid's per IP

private:
    const FakeClock *m_clock;
};

// The fake client's own rate limit (the exchange's, before the share is taken).
struct Limit
{
    int capacity = 1000;
    qint64 windowMs = 1000;
};

// A Refresher on a fake clock, driving one fake client, every data kind on one cadence. The share is 100 %
// unless a test asks for another: the budget is then the fake client's own limit.
struct Rig
{
    Rig(HttpClient *http, Exchange exchange, int cadenceMs, Limit limit = {}, int sharePercent = 100)
        : client(exchange, http, &clock)
        , refresher(http)
    {
        client.capacity = limit.capacity;
        client.windowMs = limit.windowMs;
        clock.drive(refresher);
        refresher.addClient(&client);
        refresher.setSharePercent(sharePercent); // before the cadences: the share sets them too
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
    void sharePercentSetsTheCadences();
    void sharePercentShrinksTheBudgets();
    void shareBelowOneCallStretchesTheWindow();
    void spentStaysSpentWhenTheShareChanges();
    void defaultPlanKeepsEveryCadence_data();
    void defaultPlanKeepsEveryCadence();

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
    refresher.setCadence(DataKind::MarketStats, 900);
    refresher.setCadence(DataKind::Positions, 600);
    refresher.setCadence(DataKind::Account, 600);
    refresher.start();
    const Run run = advance(refresher, clock, 1800);
    QVERIFY(run.answered);
    // Three ticker refreshes per position refresh, each exactly on its cadence.
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), steps(0, 1800, 200));
    QCOMPARE(client.fetchTimes.value(int(DataKind::MarketStats)), steps(0, 1800, 900));
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
    for (DataKind kind : {DataKind::MarketStats, DataKind::Positions, DataKind::Account})
        refresher.setCadence(kind, 3'600'000);
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
    QCOMPARE(cycles.first().at(1).toInt(), 8); // four data kinds of two exchanges
    QTRY_VERIFY(m_http->inFlight() == 0);
    QVERIFY(samples.count() >= 8);
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
    Rig rig(m_http.get(), Exchange::Hyperliquid, 100, {20, 600});
    auto &[clock, client, refresher] = rig;
    for (DataKind kind : allDataKinds)
        client.weights[int(kind)] = 20;
    refresher.start();
    const Run run = advance(refresher, clock, 11 * 600);
    QVERIFY(run.answered);
    // One weight-20 call per 600 ms window, whatever the cadence asks: merged, the fetch times are exactly
    // that far apart.
    QList<qint64> times;
    for (const auto &list : std::as_const(client.fetchTimes))
        times += list;
    std::sort(times.begin(), times.end());
    QCOMPARE(times, steps(0, 11 * 600, 600));
    // Delayed, not dropped: the longest overdue goes first, so the kinds take turns.
    for (DataKind kind : allDataKinds)
        QCOMPARE(client.fetches.value(int(kind)), 3);
    // The timer woke when the budget had room again, not at every cadence in between.
    QCOMPARE(run.wakesWithoutCycle, 0);
}

void tst_Refresher::budgetBlockedFeedWakesWhenTheBudgetHasRoom()
{
    Rig rig(m_http.get(), Exchange::Hyperliquid, 100, {20, 1000}); // room for two of the four calls
    auto &[clock, client, refresher] = rig;
    for (DataKind kind : allDataKinds)
        client.weights[int(kind)] = 10;
    refresher.start();
    QVERIFY(answered(refresher));
    QCOMPARE(client.totalFetches(), 2);
    QCOMPARE(client.fetches.value(int(DataKind::Positions)), 0);
    // Positions and account are due but the budget is full until the first spends leave the window: the
    // timer is armed for then, not for the cadence of the others (100 ms) nor to poll.
    QCOMPARE(refresher.msUntilNextWake(), 1000);
    Run run = advance(refresher, clock, 999);
    QCOMPARE(run.wakes, 0);
    QCOMPARE(client.totalFetches(), 2);
    run = advance(refresher, clock, 1);
    QCOMPARE(run.wakes, 1);
    // The longest overdue first: positions and account, not the tickers and stats due again since 100 ms.
    QCOMPARE(client.fetchTimes.value(int(DataKind::Positions)), QList<qint64>({1000}));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Account)), QList<qint64>({1000}));
    QCOMPARE(client.totalFetches(), 4);
}

void tst_Refresher::cycleFitsOnlyWhenTheBudgetHasRoom()
{
    // Only refreshNow() sends; a whole cycle (4 x 10) fits once per window.
    Rig rig(m_http.get(), Exchange::Hyperliquid, 3'600'000, {40, 60'000});
    auto &[clock, client, refresher] = rig;
    for (DataKind kind : allDataKinds)
        client.weights[int(kind)] = 10;
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

    // Against an exsim that enforces no rate limits the benchmark lifts the budgets: cycles go back to back.
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
        QCOMPARE(cycles.at(i).at(1).toInt(), 4);
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

void tst_Refresher::sharePercentSetsTheCadences()
{
    Refresher refresher(m_http.get());
    QCOMPARE(refresher.sharePercent(), PollPlan::defaultSharePercent);
    QCOMPARE(refresher.sharePercent(), 15);
    auto cadences = [&refresher] {
        QList<int> list;
        for (DataKind kind : allDataKinds)
            list << refresher.cadence(kind);
        return list;
    };
    // Tickers, stats, positions, account.
    QCOMPARE(cadences(), QList<int>({2000, 15'000, 10'000, 10'000}));
    refresher.setSharePercent(30); // twice the share: twice as often
    QCOMPARE(refresher.sharePercent(), 30);
    QCOMPARE(cadences(), QList<int>({1000, 7500, 5000, 5000}));
    refresher.setSharePercent(100); // no faster than each kind's floor
    QCOMPARE(cadences(), QList<int>({1000, 3000, 2000, 2000}));
    refresher.setSharePercent(5);
    QCOMPARE(cadences(), QList<int>({6000, 45'000, 30'000, 30'000}));
    refresher.setSharePercent(0); // clamped
    QCOMPARE(refresher.sharePercent(), 5);
    QCOMPARE(cadences(), QList<int>({6000, 45'000, 30'000, 30'000}));
    refresher.setSharePercent(15);
    QCOMPARE(cadences(), QList<int>({2000, 15'000, 10'000, 10'000}));
    // setCadence() still overrides one kind, and only that one.
    refresher.setCadence(DataKind::Tickers, 500);
    QCOMPARE(cadences(), QList<int>({500, 15'000, 10'000, 10'000}));

    // And the scheduler follows them: at 15 %, one minute of a client that nothing holds back.
    FakeClock clock;
    FakeClient client(Exchange::Bitunix, m_http.get(), &clock);
    Refresher driven(m_http.get());
    clock.drive(driven);
    driven.addClient(&client);
    driven.setSharePercent(15);
    driven.start();
    const Run run = advance(driven, clock, 60'000);
    QVERIFY(run.answered);
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), steps(0, 60'000, 2000));
    QCOMPARE(client.fetchTimes.value(int(DataKind::MarketStats)), steps(0, 60'000, 15'000));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Positions)), steps(0, 60'000, 10'000));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Account)), steps(0, 60'000, 10'000));
    QCOMPARE(run.wakesWithoutCycle, 0);
}

void tst_Refresher::sharePercentShrinksTheBudgets()
{
    // The real clients' limits: Hyperliquid 1200 weight per minute per IP, Bitunix 10 calls per second per
    // endpoint.
    FakeClock clock;
    Refresher refresher(m_http.get());
    clock.drive(refresher);
    BitunixClient bitunix(m_http.get());
    HyperliquidClient hyperliquid(m_http.get());
    refresher.addClient(&bitunix);
    refresher.addClient(&hyperliquid);
    QCOMPARE(refresher.msUntilCycleFits(), 0); // nothing spent yet
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(0, 180)); // 15 % of 1200
    QCOMPARE(refresher.budgetUse(Exchange::Bitunix), std::make_pair(0, 1)); // 15 % of 10, whole calls
    refresher.setSharePercent(100);
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(0, 1200));
    QCOMPARE(refresher.budgetUse(Exchange::Bitunix), std::make_pair(0, 10));
    refresher.setSharePercent(50);
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(0, 600));
    QCOMPARE(refresher.budgetUse(Exchange::Bitunix), std::make_pair(0, 5));

    // What the budget lets through at 15 %: 180 weight in any minute, nothing more. Weight-20 calls, due
    // every 100 ms: nine of them, then nothing until the first spends leave the window.
    Rig rig(m_http.get(), Exchange::Hyperliquid, 100,
            {hyperliquid.budgetCapacity(), hyperliquid.budgetWindowMs()}, 15);
    for (DataKind kind : allDataKinds)
        rig.client.weights[int(kind)] = 20;
    rig.refresher.start();
    Run run = advance(rig.refresher, rig.clock, 59'999);
    QVERIFY(run.answered);
    QCOMPARE(rig.client.totalFetches(), 9);
    QCOMPARE(rig.refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(180, 180));
    run = advance(rig.refresher, rig.clock, 1);
    QVERIFY(run.answered);
    QCOMPARE(rig.client.totalFetches(), 13); // the four spent at 0 came back
}

void tst_Refresher::shareBelowOneCallStretchesTheWindow()
{
    // 5 % of 10 calls per second is half a call per second: one call per two seconds.
    Rig rig(m_http.get(), Exchange::Bitunix, 100, {10, 1000}, 5);
    auto &[clock, client, refresher] = rig;
    QCOMPARE(refresher.budgetUse(Exchange::Bitunix), std::make_pair(0, 1));
    refresher.start();
    const Run run = advance(refresher, clock, 8000);
    QVERIFY(run.answered);
    QList<qint64> times;
    for (const auto &list : std::as_const(client.fetchTimes))
        times += list;
    std::sort(times.begin(), times.end());
    QCOMPARE(times, steps(0, 8000, 2000));
    QCOMPARE(run.wakesWithoutCycle, 0);
}

void tst_Refresher::spentStaysSpentWhenTheShareChanges()
{
    // Hyperliquid's limit and weights; only refreshNow() sends.
    HyperliquidClient hyperliquid(m_http.get());
    Rig rig(m_http.get(), Exchange::Hyperliquid, 3'600'000,
            {hyperliquid.budgetCapacity(), hyperliquid.budgetWindowMs()}, 15);
    auto &[clock, client, refresher] = rig;
    int cycleWeight = 0;
    for (DataKind kind : allDataKinds) {
        client.weights[int(kind)] = hyperliquid.weight(kind);
        cycleWeight += hyperliquid.weight(kind);
    }
    QCOMPARE(cycleWeight, 26);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 1);
    QVERIFY(answered(refresher));
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(26, 180));
    // A new share changes the limit, not what the window holds.
    refresher.setSharePercent(100);
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(26, 1200));
    refresher.setSharePercent(5);
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(26, 60));
    clock.ms = 1000;
    QCOMPARE(refresher.msUntilCycleFits(), 0); // 26 + 26 <= 60
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 2);
    QVERIFY(answered(refresher));
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(52, 60));
    // A third would make 78: it fits once the stats call spent at 0 has left the window.
    QCOMPARE(refresher.msUntilCycleFits(), 59'000);
    // Meanwhile only what fits goes out: the tickers (2), not the stats (20), which holds back the rest.
    QSignalSpy cycles(&refresher, &Refresher::cycleStarted);
    refresher.refreshNow();
    QCOMPARE(cycles.count(), 1);
    QCOMPARE(cycles.first().at(1).toInt(), 1);
    QVERIFY(answered(refresher));
    QCOMPARE(client.fetches.value(int(DataKind::Tickers)), 3);
    QCOMPARE(client.fetches.value(int(DataKind::MarketStats)), 2);
    QCOMPARE(client.fetches.value(int(DataKind::Account)), 2);
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(54, 60));
    // Back to 15 %: the same 54 count against 180, and the rest fits.
    refresher.setSharePercent(15);
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(54, 180));
    QCOMPARE(refresher.msUntilCycleFits(), 0);
    clock.ms = 60'000; // the first cycle's spend leaves the window
    QCOMPARE(refresher.budgetUse(Exchange::Hyperliquid), std::make_pair(28, 180));
}

void tst_Refresher::defaultPlanKeepsEveryCadence_data()
{
    QTest::addColumn<Exchange>("exchange");
    QTest::newRow("hyperliquid") << Exchange::Hyperliquid;
    QTest::newRow("bitunix") << Exchange::Bitunix;
}

void tst_Refresher::defaultPlanKeepsEveryCadence()
{
    // At the default share, with the real clients' limits and weights, the budget never holds a call back:
    // ten minutes, every call on its cadence.
    QFETCH(Exchange, exchange);
    HyperliquidClient hyperliquid(m_http.get());
    BitunixClient bitunix(m_http.get());
    const ExchangeClient *real = exchange == Exchange::Hyperliquid
        ? static_cast<ExchangeClient *>(&hyperliquid)
        : static_cast<ExchangeClient *>(&bitunix);
    FakeClock clock;
    FakeClient client(exchange, m_http.get(), &clock);
    client.capacity = real->budgetCapacity();
    client.windowMs = real->budgetWindowMs();
    client.budgetPerKind = exchange == Exchange::Bitunix;
    for (DataKind kind : allDataKinds)
        client.weights[int(kind)] = real->weight(kind);
    Refresher refresher(m_http.get());
    clock.drive(refresher);
    refresher.addClient(&client);
    refresher.start();
    constexpr qint64 tenMinutes = 600'000;
    const Run run = advance(refresher, clock, tenMinutes);
    QVERIFY(run.answered);
    QCOMPARE(client.fetchTimes.value(int(DataKind::Tickers)), steps(0, tenMinutes, 2000));
    QCOMPARE(client.fetchTimes.value(int(DataKind::MarketStats)), steps(0, tenMinutes, 15'000));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Positions)), steps(0, tenMinutes, 10'000));
    QCOMPARE(client.fetchTimes.value(int(DataKind::Account)), steps(0, tenMinutes, 10'000));
    QCOMPARE(run.wakesWithoutCycle, 0);
    const auto [used, capacity] = refresher.budgetUse(exchange);
    QVERIFY2(used <= capacity, qPrintable(QStringLiteral("%1 of %2").arg(used).arg(capacity)));
    if (exchange == Exchange::Hyperliquid)
        QCOMPARE(used, 164); // in the last minute: 30 x 2 + 4 x 20 + 6 x 2 + 6 x 2, of 180
}

QTEST_GUILESS_MAIN(tst_Refresher)
#include "tst_refresher.moc"
