#include "refresher.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSet>

Q_LOGGING_CATEGORY(lcRefresh, "exdash.refresh", QtWarningMsg)

namespace {

constexpr int staleAfterCadences = 3;
constexpr int tickMs = 50; // scheduling resolution

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
{
    m_cadenceMs.insert(int(DataKind::Tickers), defaultTickersMs);
    m_cadenceMs.insert(int(DataKind::Positions), defaultPrivateMs);
    m_cadenceMs.insert(int(DataKind::Account), defaultPrivateMs);
    m_timer.setInterval(tickMs);
    connect(&m_timer, &QTimer::timeout, this, &Refresher::tick);
    m_clock.start();
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

void Refresher::setCadence(DataKind kind, int ms)
{
    m_cadenceMs.insert(int(kind), std::max(100, ms));
}

void Refresher::start()
{
    m_timer.start();
    tick();
}

void Refresher::stop()
{
    m_timer.stop();
}

void Refresher::setPaused(bool paused)
{
    m_paused = paused;
}

void Refresher::refreshNow()
{
    const qint64 t = now();
    for (auto &[key, f] : m_feeds)
        f.nextDueMs = std::min(f.nextDueMs, t);
    tick();
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
    return status(exchange, kind).isStale(QDateTime::currentMSecsSinceEpoch(), cadence(kind));
}

RateBudget &Refresher::budget(ExchangeClient *client, DataKind kind)
{
    const QString key = nameOf(client->exchange()) + QLatin1Char('/') + client->budgetName(kind);
    auto &slot = m_budgets[key];
    if (!slot)
        slot = std::make_unique<RateBudget>(client->budgetCapacity(), client->budgetWindowMs());
    return *slot;
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

void Refresher::tick()
{
    if (m_paused)
        return;
    const qint64 t = now();
    QList<Feed *> waiting;
    for (auto &[key, f] : m_feeds) {
        if (!f.status.inFlight && t >= f.nextDueMs)
            waiting.append(&f);
    }
    // Longest overdue first, and first come first served per budget: a heavy call that does not fit yet holds
    // back the lighter ones behind it, so that it cannot starve. Waiting calls stay due: delayed, never
    // dropped.
    std::stable_sort(waiting.begin(), waiting.end(),
                     [](const Feed *a, const Feed *b) { return a->nextDueMs < b->nextDueMs; });
    QList<Feed *> due;
    QSet<RateBudget *> blocked;
    for (Feed *f : std::as_const(waiting)) {
        RateBudget *b = &budget(f->client, f->kind);
        if (blocked.contains(b))
            continue;
        const int weight = f->client->weight(f->kind);
        if (m_budgetsEnforced && !b->fits(weight, t)) {
            blocked.insert(b);
            qCDebug(lcRefresh) << nameOf(f->client->exchange()) << nameOf(f->kind)
                               << "waits for its budget until" << b->nextFit(weight, t) - t << "ms from now";
            continue;
        }
        b->take(weight, t);
        due.append(f);
    }
    if (due.isEmpty())
        return;
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

void Refresher::onFetched(Exchange exchange, DataKind kind, const FetchError &error)
{
    Feed *f = feed(exchange, kind);
    if (!f)
        return;
    f->status.inFlight = false;
    f->status.lastError = error;
    if (error.ok()) {
        f->status.lastSuccessMs = QDateTime::currentMSecsSinceEpoch();
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
    emit statusChanged(exchange, kind);
    if (inFlight() == 0)
        emit idle();
}
