#include "printers.h"
#include "refresh/refresher.h"
#include "sim/exsim.h"

#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

namespace {

// A client that answers at once with whatever the test says, and records what it was asked.
class FakeClient : public ExchangeClient
{
public:
    FakeClient(Exchange exchange, HttpClient *http)
        : ExchangeClient(exchange, http)
    { }

    void fetch(DataKind kind) override
    {
        ++fetches[int(kind)];
        fetchTimes[int(kind)].append(clock.elapsed());
        const FetchError error = errors.value(int(kind));
        QTimer::singleShot(0, this, [this, kind, error] { finish(kind, error); });
    }
    int weight(DataKind kind) const override { return weights.value(int(kind), 1); }
    QString budgetName(DataKind) const override { return QStringLiteral("all"); }
    int budgetCapacity() const override { return capacity; }
    qint64 budgetWindowMs() const override { return windowMs; }
    bool hasCredentials() const override { return true; }

    QHash<int, int> fetches;
    QHash<int, QList<qint64>> fetchTimes;
    QHash<int, FetchError> errors;
    QHash<int, int> weights;
    int capacity = 1000;
    qint64 windowMs = 1000;
    QElapsedTimer clock;
};

// Runs the event loop until `done` holds (checked after every fetch) or the limit passes.
bool runUntil(Refresher &refresher, const std::function<bool()> &done, int limitMs = 20'000)
{
    QEventLoop loop;
    QObject::connect(&refresher, &Refresher::statusChanged, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(limitMs, &loop, &QEventLoop::quit);
    if (!done())
        loop.exec();
    return done();
}

} // namespace

class tst_Refresher : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cadencePerDataKind();
    void oneCycleSendsEverythingAtOnce();
    void budgetDelaysButNeverDrops();
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
    FakeClient client(Exchange::Bitunix, m_http.get());
    client.clock.start();
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    refresher.setCadence(DataKind::Tickers, 200);
    refresher.setCadence(DataKind::Positions, 600);
    refresher.setCadence(DataKind::Account, 600);
    refresher.start();
    QVERIFY(runUntil(refresher, [&] { return client.fetches.value(int(DataKind::Tickers)) >= 10; }));
    const int tickers = client.fetches.value(int(DataKind::Tickers));
    const int positions = client.fetches.value(int(DataKind::Positions));
    // Three ticker refreshes per position refresh, give or take the one in progress.
    QVERIFY2(positions >= tickers / 3 - 1 && positions <= tickers / 3 + 1,
             qPrintable(QStringLiteral("tickers %1, positions %2").arg(tickers).arg(positions)));
    QCOMPARE(client.fetches.value(int(DataKind::Account)), positions);
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
    FakeClient client(Exchange::Hyperliquid, m_http.get());
    client.clock.start();
    client.capacity = 20;
    client.windowMs = 600;
    client.weights = {
        {int(DataKind::Tickers), 20}, {int(DataKind::Positions), 20}, {int(DataKind::Account), 20}};
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 100);
    refresher.start();
    auto total = [&client] {
        return client.fetches.value(0) + client.fetches.value(1) + client.fetches.value(2);
    };
    QVERIFY(runUntil(refresher, [&] { return total() >= 9; }));
    // One weight-20 call per 600 ms window, whatever the cadence asks: merged, the fetch times are that far
    // apart.
    QList<qint64> times;
    for (const auto &list : std::as_const(client.fetchTimes))
        times += list;
    std::sort(times.begin(), times.end());
    for (int i = 1; i < times.size(); ++i)
        QVERIFY2(times.at(i) - times.at(i - 1) >= 600 - 5,
                 qPrintable(QString::number(times.at(i) - times.at(i - 1))));
    // Delayed, not dropped: every kind keeps getting its turn.
    for (DataKind kind : allDataKinds)
        QVERIFY(client.fetches.value(int(kind)) >= 2);
}

void tst_Refresher::cycleFitsOnlyWhenTheBudgetHasRoom()
{
    FakeClient client(Exchange::Hyperliquid, m_http.get());
    client.clock.start();
    client.capacity = 30; // a whole cycle (3 x 10) fits once per window
    client.windowMs = 60'000;
    client.weights = {
        {int(DataKind::Tickers), 10}, {int(DataKind::Positions), 10}, {int(DataKind::Account), 10}};
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 3'600'000); // only refreshNow() sends
    QCOMPARE(refresher.msUntilCycleFits(), 0);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 1);
    QVERIFY(runUntil(refresher, [&] { return refresher.inFlight() == 0; }));
    // The budget is spent for a minute: the next whole cycle fits when the first one's spend expires.
    const qint64 wait = refresher.msUntilCycleFits();
    QVERIFY2(wait > 55'000 && wait <= 60'000, qPrintable(QString::number(wait)));
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 1); // delayed, not sent

    // Against exsim (no rate limit of its own) the benchmark lifts the budgets: cycles go back to back.
    refresher.setBudgetsEnforced(false);
    QCOMPARE(refresher.msUntilCycleFits(), 0);
    refresher.refreshNow();
    QCOMPARE(refresher.cyclesStarted(), 2);
    QCOMPARE(client.fetches.value(int(DataKind::Tickers)), 2);
}

void tst_Refresher::rateLimitBacksOffPastRetryAfter()
{
    FakeClient client(Exchange::Bitunix, m_http.get());
    client.clock.start();
    client.errors[int(DataKind::Tickers)] = {FetchErrorKind::RateLimit, QStringLiteral("slow down"), 1500};
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 100);
    refresher.start();
    // The healthy kinds keep their 100 ms cadence meanwhile: count tickers calls against them.
    QVERIFY(runUntil(refresher, [&] { return client.fetches.value(int(DataKind::Tickers)) >= 3; }));
    const QList<qint64> &times = client.fetchTimes.value(int(DataKind::Tickers));
    for (int i = 1; i < times.size(); ++i)
        QVERIFY(times.at(i) - times.at(i - 1) >= 1500 - 5); // Retry-After is a floor
    QVERIFY(client.fetches.value(int(DataKind::Positions)) >= 20);
    QCOMPARE(refresher.status(Exchange::Bitunix, DataKind::Tickers).failuresInARow,
             client.fetches.value(int(DataKind::Tickers)));
    QVERIFY(refresher.isStale(Exchange::Bitunix, DataKind::Tickers));
}

void tst_Refresher::authErrorsKeepThePlainCadence()
{
    FakeClient client(Exchange::Bitunix, m_http.get());
    client.clock.start();
    client.errors[int(DataKind::Positions)] = {FetchErrorKind::Auth, QStringLiteral("bitunix 10007"), -1};
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 200);
    refresher.start();
    QVERIFY(runUntil(refresher, [&] { return client.fetches.value(int(DataKind::Tickers)) >= 8; }));
    // No retry storm (at most one call per cadence) and no back-off either: the same pace as healthy data.
    const int auth = client.fetches.value(int(DataKind::Positions));
    const int healthy = client.fetches.value(int(DataKind::Tickers));
    QVERIFY2(auth <= healthy + 1 && auth >= healthy - 1,
             qPrintable(QStringLiteral("%1 vs %2").arg(auth).arg(healthy)));
    QCOMPARE(refresher.status(Exchange::Bitunix, DataKind::Positions).lastError.kind, FetchErrorKind::Auth);
}

void tst_Refresher::stalenessFollowsFailuresAndAge()
{
    FakeClient client(Exchange::Bitunix, m_http.get());
    client.clock.start();
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 100);
    QVERIFY(refresher.isStale(Exchange::Bitunix, DataKind::Tickers)); // never fetched
    refresher.refreshNow();
    QVERIFY(runUntil(refresher, [&] { return refresher.inFlight() == 0 && client.fetches.value(0) == 1; }));
    const qint64 fetchedAt = refresher.status(Exchange::Bitunix, DataKind::Tickers).lastSuccessMs;
    QVERIFY(fetchedAt > 0);
    const FeedStatus status = refresher.status(Exchange::Bitunix, DataKind::Tickers);
    QVERIFY(!status.isStale(fetchedAt + 300, 100)); // three cadences
    QVERIFY(status.isStale(fetchedAt + 301, 100));
    QCOMPARE(status.ageMs(fetchedAt + 1234), 1234);

    client.errors[int(DataKind::Tickers)] = {FetchErrorKind::Network, QStringLiteral("refused"), -1};
    refresher.refreshNow();
    QVERIFY(runUntil(refresher, [&] { return client.fetches.value(0) == 2 && refresher.inFlight() == 0; }));
    const FeedStatus failed = refresher.status(Exchange::Bitunix, DataKind::Tickers);
    QVERIFY(failed.isStale(fetchedAt + 1, 100)); // a failure is stale at once
    QCOMPARE(failed.lastSuccessMs, fetchedAt); // the age still counts from the last good data
}

void tst_Refresher::interleavedArmsAlternatePerCycle()
{
    FakeClient client(Exchange::Bitunix, m_http.get());
    client.clock.start();
    m_http->setReuseMode(ReuseMode::Interleaved);
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 100);
    QSignalSpy cycles(&refresher, &Refresher::cycleStarted);
    refresher.start();
    QVERIFY(runUntil(refresher, [&] { return cycles.count() >= 6; }));
    for (int i = 0; i < 6; ++i)
        QCOMPARE(cycles.at(i).first().value<ReuseMode>(),
                 i % 2 == 0 ? ReuseMode::Pooled : ReuseMode::NoReuse);
}

void tst_Refresher::pauseStopsNewCalls()
{
    FakeClient client(Exchange::Bitunix, m_http.get());
    client.clock.start();
    Refresher refresher(m_http.get());
    refresher.addClient(&client);
    for (DataKind kind : allDataKinds)
        refresher.setCadence(kind, 100);
    refresher.start();
    QVERIFY(runUntil(refresher, [&] { return client.fetches.value(0) >= 2; }));
    refresher.setPaused(true);
    const int before = client.fetches.value(0);
    QSignalSpy cycles(&refresher, &Refresher::cycleStarted);
    QVERIFY(!cycles.wait(500)); // no cycle while paused (a bounded wait for something that must not happen)
    QCOMPARE(client.fetches.value(0), before);
    refresher.setPaused(false);
    QVERIFY(cycles.wait(2000));
}

QTEST_GUILESS_MAIN(tst_Refresher)
#include "tst_refresher.moc"
