#pragma once

#include "exchanges/exchangeclient.h"
#include "net/ratebudget.h"
#include "refresh/pollplan.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

// The state of one data kind of one exchange, as the status bar and the empty states show it.
struct FeedStatus
{
    static constexpr int staleAfterCadences = 3;

    qint64 lastSuccessMs = 0; // wall clock; 0: never
    FetchError lastError; // of the last attempt
    int failuresInARow = 0;
    bool inFlight = false;

    // Stale: the last attempt failed, or the data is older than three cadences.
    bool isStale(qint64 nowMs, int cadenceMs) const;
    qint64 ageMs(qint64 nowMs) const { return lastSuccessMs > 0 ? nowMs - lastSuccessMs : -1; }
};

// Drives every client on its cadence per data kind. Whatever is due goes out at once, as one refresh cycle
// (HttpClient::beginCycle, so that interleaved A/B alternates per cycle); nothing waits for another call.
// Each exchange's rate budget delays a call that would exceed it (never drops it); rate limits, server and
// network errors back off exponentially with jitter, honouring Retry-After; authentication errors keep the
// plain cadence.
//
// One single-shot timer wakes the Refresher when the next call can go out (a feed's due time, or when its
// budget has room again), and none runs while paused or stopped: an idle app does not wake up.
class Refresher : public QObject
{
    Q_OBJECT
public:
    explicit Refresher(HttpClient *http, QObject *parent = nullptr);
    ~Refresher() override;

    void addClient(ExchangeClient *client); // not owned
    QList<ExchangeClient *> clients() const { return m_clients; }

    // The share of each exchange's rate limit exdash may use (PollPlan): sets every cadence and the budgets.
    void setSharePercent(int percent);
    int sharePercent() const { return m_sharePercent; }
    int cadence(DataKind kind) const;
    void setCadence(DataKind kind, int ms); // overrides the share's cadence (tests, the benchmark)

    void start();
    void stop();
    // Started and not stopped, whether or not the timer is armed at the moment (it is not while every due
    // call is in flight).
    bool isRunning() const { return m_running; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Everything is due now (budgets and back-off still apply).
    void refreshNow();
    // Off only against an exsim that enforces no rate limits: `exdash --bench` runs cycles back to back.
    void setBudgetsEnforced(bool enforced) { m_budgetsEnforced = enforced; }
    // How long until every feed's next call fits its budget (0: a whole cycle would go out now).
    qint64 msUntilCycleFits();

    FeedStatus status(Exchange exchange, DataKind kind) const;
    bool isStale(Exchange exchange, DataKind kind) const;
    // Weight spent in the current window of the exchange's busiest budget, and that budget's capacity (the
    // share of the exchange's limit).
    std::pair<int, int> budgetUse(Exchange exchange);
    int inFlight() const;
    int cyclesStarted() const { return m_cycles; }

    // ---- Clocks and test hooks: public so tests can move time by hand instead of waiting for it.
    // Due times, back-off and budgets; set before start(). Default: monotonic ms since construction.
    void setClock(std::function<qint64()> monotonicMs);
    // lastSuccessMs and isStale(). Default: QDateTime::currentMSecsSinceEpoch.
    void setWallClock(std::function<qint64()> nowMsSinceEpoch);
    // What the timer calls: sends whatever is due now as one cycle, then arms the timer for the next wake.
    void sendDueCalls();
    // When the timer fires next, by the injected clock; -1: not armed (paused, stopped, or all in flight).
    qint64 msUntilNextWake() const;

signals:
    void cycleStarted(ReuseMode arm, int calls);
    void statusChanged(Exchange exchange, DataKind kind);
    void idle(); // the last call in flight came back

private:
    struct Feed
    {
        ExchangeClient *client = nullptr;
        DataKind kind = DataKind::Tickers;
        FeedStatus status;
        qint64 nextDueMs = 0; // monotonic
        Backoff backoff;
    };

    void onFetched(Exchange exchange, DataKind kind, const FetchError &error);
    Feed *feed(Exchange exchange, DataKind kind);
    RateBudget &budget(ExchangeClient *client, DataKind kind);
    int budgetedWeight(const Feed &f);
    // Due and not in flight, longest overdue first: the order in which they take their budgets.
    QList<Feed *> waitingFeeds(qint64 nowMs);
    // The earliest moment a call can go out (monotonic ms); -1: none can until an answer comes back.
    qint64 nextWakeMs(qint64 nowMs);
    void scheduleNextWake();
    qint64 now() const { return m_clock(); }

    HttpClient *m_http;
    QList<ExchangeClient *> m_clients;
    std::map<std::pair<int, int>, Feed> m_feeds; // (exchange, kind)
    std::map<QString, std::unique_ptr<RateBudget>> m_budgets; // "exchange/name"
    QHash<int, int> m_cadenceMs;
    QTimer m_wakeTimer;
    qint64 m_wakeAtMs = -1; // by m_clock, while m_wakeTimer is active
    std::function<qint64()> m_clock;
    std::function<qint64()> m_wallClock;
    bool m_running = false;
    bool m_paused = false;
    bool m_budgetsEnforced = true;
    int m_sharePercent = PollPlan::defaultSharePercent;
    int m_cycles = 0;
};
