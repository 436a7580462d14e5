#include "refresher.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSet>

#include <limits>

Q_LOGGING_CATEGORY(lcRefresh, "exdash.refresh", QtWarningMsg)

namespace {

std::function<qint64()> monotonicMsFromNow()
{
    QElapsedTimer timer;
    timer.start();
    return [timer] {
        return timer.elapsed();
    };
}

} // namespace

bool FeedStatus::isStale(qint64 nowMs, int cadenceMs) const
{
    if (!lastError.ok() || lastSuccessMs == 0)
        return true;
    return nowMs - lastSuccessMs > qint64(staleAfterCadences) * cadenceMs;
}

Refresher::Refresher(HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_clock(monotonicMsFromNow())
    , m_wallClock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    for (DataKind kind : allDataKinds)
        m_cadenceMs.insert(int(kind), PollPlan::cadenceMs(kind, m_sharePercent));
    // Coarse: a wake that comes a little early finds nothing due and arms the timer again for the rest.
    m_wakeTimer.setSingleShot(true);
    m_wakeTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_wakeTimer, &QTimer::timeout, this, &Refresher::sendDueCalls);
}

Refresher::~Refresher() = default;

void Refresher::addClient(ExchangeClient *client)
{
    m_clients.append(client);
    for (DataKind kind : allDataKinds) {
        Feed &f = m_feeds[{int(client->exchange()), int(kind)}];
        f.client = client;
        f.kind = kind;
    }
    connect(client, &ExchangeClient::fetched, this, &Refresher::onFetched);
}

int Refresher::cadence(DataKind kind) const
{
    return m_cadenceMs.value(int(kind));
}

void Refresher::setSharePercent(int percent)
{
    m_sharePercent = PollPlan::clampShare(percent);
    for (DataKind kind : allDataKinds)
        m_cadenceMs.insert(int(kind), PollPlan::cadenceMs(kind, m_sharePercent));
    // What was spent stays spent: a budget only changes its limit.
    for (ExchangeClient *client : std::as_const(m_clients)) {
        for (DataKind kind : allDataKinds) {
            const PollPlan::Limit limit =
                PollPlan::share({client->budgetCapacity(), client->budgetWindowMs()}, m_sharePercent);
            budget(client, kind).setLimit(limit.capacity, limit.windowMs);
        }
    }
    scheduleNextWake();
}

void Refresher::setCadence(DataKind kind, int ms)
{
    m_cadenceMs.insert(int(kind), std::max(100, ms));
    scheduleNextWake();
}

void Refresher::start()
{
    m_running = true;
    sendDueCalls();
}

void Refresher::stop()
{
    m_running = false;
    scheduleNextWake();
}

void Refresher::setPaused(bool paused)
{
    m_paused = paused;
    scheduleNextWake();
}

void Refresher::refreshNow()
{
    const qint64 t = now();
    for (auto &[key, f] : m_feeds)
        f.nextDueMs = std::min(f.nextDueMs, t);
    sendDueCalls();
}

void Refresher::setClock(std::function<qint64()> monotonicMs)
{
    m_clock = std::move(monotonicMs);
    scheduleNextWake();
}

void Refresher::setWallClock(std::function<qint64()> nowMsSinceEpoch)
{
    m_wallClock = std::move(nowMsSinceEpoch);
}

qint64 Refresher::msUntilNextWake() const
{
    return m_wakeTimer.isActive() ? std::max<qint64>(0, m_wakeAtMs - now()) : -1;
}

qint64 Refresher::msUntilCycleFits()
{
    if (!m_budgetsEnforced)
        return 0;
    const qint64 t = now();
    // The feeds sharing a budget go out together: what they weigh together has to fit.
    std::map<RateBudget *, int> weights;
    for (auto &[key, f] : m_feeds)
        weights[&budget(f.client, f.kind)] += f.client->weight(f.kind);
    qint64 wait = 0;
    for (const auto &[b, weight] : weights)
        wait = std::max(wait, b->nextFit(std::min(weight, b->capacity()), t) - t);
    return wait;
}

Refresher::Feed *Refresher::feed(Exchange exchange, DataKind kind)
{
    const auto it = m_feeds.find({int(exchange), int(kind)});
    return it == m_feeds.end() ? nullptr : &it->second;
}

FeedStatus Refresher::status(Exchange exchange, DataKind kind) const
{
    const auto it = m_feeds.find({int(exchange), int(kind)});
    return it == m_feeds.end() ? FeedStatus {} : it->second.status;
}

bool Refresher::isStale(Exchange exchange, DataKind kind) const
{
    return status(exchange, kind).isStale(m_wallClock(), cadence(kind));
}

RateBudget &Refresher::budget(ExchangeClient *client, DataKind kind)
{
    const QString key = nameOf(client->exchange()) + QLatin1Char('/') + client->budgetName(kind);
    auto &slot = m_budgets[key];
    if (!slot) {
        const PollPlan::Limit limit =
            PollPlan::share({client->budgetCapacity(), client->budgetWindowMs()}, m_sharePercent);
        slot = std::make_unique<RateBudget>(limit.capacity, limit.windowMs);
    }
    return *slot;
}

int Refresher::budgetedWeight(const Feed &f)
{
    // A call heavier than its whole budget goes out once the budget is empty, rather than never.
    return std::min(f.client->weight(f.kind), budget(f.client, f.kind).capacity());
}

std::pair<int, int> Refresher::budgetUse(Exchange exchange)
{
    std::pair<int, int> busiest {0, 0};
    const QString prefix = nameOf(exchange) + QLatin1Char('/');
    for (auto &[key, b] : m_budgets) {
        if (!key.startsWith(prefix))
            continue;
        const int used = b->used(now());
        if (busiest.second == 0 || double(used) / b->capacity() > double(busiest.first) / busiest.second)
            busiest = {used, b->capacity()};
    }
    return busiest;
}

int Refresher::inFlight() const
{
    int count = 0;
    for (const auto &[key, f] : m_feeds)
        count += f.status.inFlight ? 1 : 0;
    return count;
}

QList<Refresher::Feed *> Refresher::waitingFeeds(qint64 nowMs)
{
    QList<Feed *> waiting;
    for (auto &[key, f] : m_feeds) {
        if (!f.status.inFlight && nowMs >= f.nextDueMs)
            waiting.append(&f);
    }
    std::stable_sort(waiting.begin(), waiting.end(),
                     [](const Feed *a, const Feed *b) { return a->nextDueMs < b->nextDueMs; });
    return waiting;
}

void Refresher::sendDueCalls()
{
    if (m_paused)
        return;
    const qint64 t = now();
    // Longest overdue first, and first come first served per budget: a heavy call that does not fit yet holds
    // back the lighter ones behind it, so that it cannot starve. Waiting calls stay due: delayed, never
    // dropped.
    QList<Feed *> due;
    QSet<RateBudget *> blocked;
    for (Feed *f : waitingFeeds(t)) {
        RateBudget *b = &budget(f->client, f->kind);
        if (blocked.contains(b))
            continue;
        const int weight = budgetedWeight(*f);
        if (m_budgetsEnforced && !b->fits(weight, t)) {
            blocked.insert(b);
            qCDebug(lcRefresh) << nameOf(f->client->exchange()) << nameOf(f->kind)
                               << "waits for its budget until" << b->nextFit(weight, t) - t << "ms from now";
            continue;
        }
        b->take(weight, t);
        due.append(f);
    }
    if (!due.isEmpty()) {
        ++m_cycles;
        const ReuseMode arm = m_http->beginCycle();
        emit cycleStarted(arm, int(due.size()));
        for (Feed *f : std::as_const(due)) {
            f->status.inFlight = true;
            f->nextDueMs = t + cadence(f->kind);
        }
        for (Feed *f : std::as_const(due))
            f->client->fetch(f->kind); // all at once; answers come back independently
    }
    scheduleNextWake();
}

qint64 Refresher::nextWakeMs(qint64 nowMs)
{
    qint64 wake = -1;
    auto consider = [&wake](qint64 atMs) {
        wake = wake < 0 ? atMs : std::min(wake, atMs);
    };
    // What is due now waits only for its budget; of each budget, only the first in line can go next.
    QSet<RateBudget *> seen;
    for (Feed *f : waitingFeeds(nowMs)) {
        RateBudget *b = &budget(f->client, f->kind);
        if (seen.contains(b))
            continue;
        seen.insert(b);
        consider(m_budgetsEnforced ? b->nextFit(budgetedWeight(*f), nowMs) : nowMs);
    }
    // What is due later goes no earlier than its budget has room; a budget with a call already waiting serves
    // that one first.
    for (auto &[key, f] : m_feeds) {
        if (f.status.inFlight || f.nextDueMs <= nowMs)
            continue;
        RateBudget *b = &budget(f.client, f.kind);
        if (seen.contains(b))
            continue;
        consider(m_budgetsEnforced ? std::max(f.nextDueMs, b->nextFit(budgetedWeight(f), nowMs))
                                   : f.nextDueMs);
    }
    return wake;
}

void Refresher::scheduleNextWake()
{
    const qint64 t = now();
    const qint64 wakeAt = m_running && !m_paused ? nextWakeMs(t) : -1;
    if (wakeAt < 0) {
        m_wakeTimer.stop();
        m_wakeAtMs = -1;
        return;
    }
    m_wakeAtMs = wakeAt;
    m_wakeTimer.start(int(std::clamp<qint64>(wakeAt - t, 0, std::numeric_limits<int>::max())));
}

void Refresher::onFetched(Exchange exchange, DataKind kind, const FetchError &error)
{
    Feed *f = feed(exchange, kind);
    if (!f)
        return;
    f->status.inFlight = false;
    f->status.lastError = error;
    if (error.ok()) {
        f->status.lastSuccessMs = m_wallClock();
        f->status.failuresInARow = 0;
        f->backoff.succeed();
    } else {
        ++f->status.failuresInARow;
        if (error.backOff()) {
            const qint64 delay =
                f->backoff.fail(error.retryAfterMs, QRandomGenerator::global()->generateDouble());
            f->nextDueMs = std::max(f->nextDueMs, now() + delay);
            qCDebug(lcRefresh) << nameOf(exchange) << nameOf(kind) << "backs off" << delay
                               << "ms:" << error.message;
        }
    }
    scheduleNextWake();
    emit statusChanged(exchange, kind);
    if (inFlight() == 0)
        emit idle();
}
