#include "latencylog.h"

#include <algorithm>

namespace {

// Beyond this many distinct exchange/endpoint/method texts (there are a few dozen), new ones are stored as
// is.
constexpr qsizetype maxInterned = 4096;
constexpr int cacheSize = 32;

} // namespace

bool LatencyFilter::matches(const RequestSample &sample) const
{
    return (!host || sample.host == *host) && (!arm || sample.reuse == *arm)
        && kinds.contains(sample.connection) && (!okOnly || sample.ok()) && (includeWarmUps || !sample.warmUp)
        && (!fromMs || sample.startedAtMsSinceEpoch >= *fromMs)
        && (!toMs || sample.startedAtMsSinceEpoch < *toMs);
}

bool LatencyFilter::operator==(const LatencyFilter &other) const
{
    return host == other.host && arm == other.arm && kinds == other.kinds && fromMs == other.fromMs
        && toMs == other.toMs && okOnly == other.okOnly && includeWarmUps == other.includeWarmUps;
}

LatencyLog::LatencyLog(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<RequestSample>();
    qRegisterMetaType<LatencyFilter>();
    qRegisterMetaType<LatencyStats>();
}

LatencyLog::~LatencyLog() = default;

void LatencyLog::setCapacity(int capacity)
{
    capacity = std::max(1, capacity);
    if (capacity == m_capacity)
        return;
    const int dropped = std::max(0, size() - capacity);
    std::vector<RequestSample> samples;
    std::vector<Entry> entries;
    samples.reserve(size() - dropped);
    entries.reserve(size() - dropped);
    for (int i = 0; i < size(); ++i) {
        const int p = physical(i);
        if (i < dropped) {
            tally(m_entries[p], -1);
            continue;
        }
        samples.push_back(std::move(m_samples[p]));
        entries.push_back(m_entries[p]);
    }
    m_samples.swap(samples);
    m_entries.swap(entries);
    m_oldest = 0;
    m_capacity = capacity;
    invalidate();
    if (dropped > 0)
        emit cleared();
}

const RequestSample &LatencyLog::at(int i) const
{
    Q_ASSERT(i >= 0 && i < size());
    return m_samples[physical(i)];
}

QList<RequestSample> LatencyLog::window(qint64 fromMs, qint64 toMs) const
{
    const auto inWindow = [&](const Entry &e) {
        return e.startedAt >= fromMs && e.startedAt < toMs;
    };
    QList<RequestSample> result;
    result.reserve(std::count_if(m_entries.cbegin(), m_entries.cend(), inWindow));
    const auto scan = [&](int begin, int end) {
        for (int p = begin; p < end; ++p) {
            if (inWindow(m_entries[p]))
                result.append(m_samples[p]);
        }
    };
    scan(m_oldest, size());
    scan(0, m_oldest);
    return result;
}

LatencyStats LatencyLog::stats(const LatencyFilter &filter) const
{
    for (const auto &[cachedFilter, cachedStats] : std::as_const(m_cache)) {
        if (cachedFilter == filter)
            return cachedStats;
    }
    const LatencyStats result = compute(filter);
    if (m_cache.size() >= cacheSize)
        m_cache.removeFirst();
    m_cache.append({filter, result});
    return result;
}

LatencyStats LatencyLog::compute(const LatencyFilter &filter) const
{
    int host = -1;
    if (filter.host) {
        host = findHost(*filter.host);
        if (host < 0)
            return {};
    }
    const int arm = filter.arm ? int(*filter.arm) : -1;
    const qint64 from = filter.fromMs.value_or(std::numeric_limits<qint64>::min());
    const qint64 to = filter.toMs.value_or(std::numeric_limits<qint64>::max());
    const bool unbounded = !filter.toMs;

    std::vector<double> totals;
    totals.reserve(m_entries.size());
    double sum = 0, queue = 0, connect = 0, wait = 0, download = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    for (const Entry &e : m_entries) {
        if ((host >= 0 && e.host != host) || (arm >= 0 && e.arm != arm)
            || !filter.kinds.contains(ConnectionKind(e.kind)) || (filter.okOnly && !e.ok)
            || (e.warmUp && !filter.includeWarmUps) || e.startedAt < from
            || (!unbounded && e.startedAt >= to)) {
            continue;
        }
        totals.push_back(e.total);
        sum += e.total;
        queue += e.queue;
        connect += e.connect;
        wait += e.wait;
        download += e.download;
        min = std::min(min, e.total);
        max = std::max(max, e.total);
    }

    LatencyStats stats;
    const qsizetype n = qsizetype(totals.size());
    if (n == 0)
        return stats;
    const auto nearestRank = [n](int percent) {
        return (qint64(percent) * n + 99) / 100 - 1;
    };
    const auto p50 = totals.begin() + nearestRank(50);
    const auto p95 = totals.begin() + nearestRank(95);
    std::nth_element(totals.begin(), p50, totals.end());
    stats.p50 = *p50;
    // Everything after p50 is >= *p50, so p95 is in there (or is p50 itself).
    if (p95 > p50)
        std::nth_element(p50 + 1, p95, totals.end());
    stats.p95 = *p95;
    stats.count = int(n);
    stats.mean = sum / n;
    stats.min = min;
    stats.max = max;
    stats.meanQueue = queue / n;
    stats.meanConnect = connect / n;
    stats.meanWait = wait / n;
    stats.meanDownload = download / n;
    return stats;
}

int LatencyLog::count(const QString &host, ReuseMode arm, ConnectionKind kind) const
{
    const int id = findHost(host);
    if (id < 0)
        return 0;
    return m_counts[id][int(arm) * kindCount + int(kind)];
}

int LatencyLog::count(const QString &host, ReuseMode arm, ConnectionKinds kinds) const
{
    int sum = 0;
    for (ConnectionKind kind : {ConnectionKind::New, ConnectionKind::Shared, ConnectionKind::Queued,
                                ConnectionKind::Reused, ConnectionKind::Unknown}) {
        if (kinds.contains(kind))
            sum += count(host, arm, kind);
    }
    return sum;
}

int LatencyLog::count(const QString &host) const
{
    const int id = findHost(host);
    if (id < 0)
        return 0;
    int sum = 0;
    for (int n : m_counts[id])
        sum += n;
    return sum;
}

QStringList LatencyLog::hosts() const
{
    QStringList result;
    for (int id = 0; id < m_hostNames.size(); ++id) {
        if (std::any_of(m_counts[id].cbegin(), m_counts[id].cend(), [](int n) { return n > 0; }))
            result.append(m_hostNames.at(id));
    }
    result.sort();
    return result;
}

void LatencyLog::append(const RequestSample &sample)
{
    m_poolStats.add(sample);
    ++m_appendedTotal;

    RequestSample stored = sample;
    intern(stored);
    Entry entry;
    entry.startedAt = stored.startedAtMsSinceEpoch;
    entry.total = stored.totalMs();
    entry.queue = stored.queueMs();
    entry.connect = stored.connectMs();
    entry.wait = stored.waitMs();
    entry.download = stored.downloadMs();
    entry.host = findHost(stored.host);
    entry.arm = quint8(stored.reuse);
    entry.kind = quint8(stored.connection);
    entry.ok = stored.ok();
    entry.warmUp = stored.warmUp;

    if (size() < m_capacity) {
        // Grow by doubling, but never past the capacity: the ring's memory is fixed once it is full.
        if (m_entries.size() == m_entries.capacity()) {
            const size_t next = std::min<size_t>(m_capacity, std::max<size_t>(64, 2 * m_entries.size()));
            m_samples.reserve(next);
            m_entries.reserve(next);
        }
        m_samples.push_back(std::move(stored));
        m_entries.push_back(entry);
    } else {
        tally(m_entries[m_oldest], -1);
        m_samples[m_oldest] = std::move(stored);
        m_entries[m_oldest] = entry;
        m_oldest = (m_oldest + 1) % m_capacity;
    }
    tally(entry, +1);
    invalidate();
    emit appended();
}

void LatencyLog::clear()
{
    std::vector<RequestSample>().swap(m_samples);
    std::vector<Entry>().swap(m_entries);
    m_oldest = 0;
    m_appendedTotal = 0;
    m_hostIds.clear();
    m_hostNames.clear();
    m_counts.clear();
    m_strings.clear();
    m_methods.clear();
    m_poolStats.clear();
    invalidate();
    emit cleared();
}

int LatencyLog::physical(int i) const
{
    const int p = m_oldest + i;
    return p < size() ? p : p - size();
}

int LatencyLog::hostId(const QString &host)
{
    const auto it = m_hostIds.constFind(host);
    if (it != m_hostIds.cend())
        return *it;
    const int id = int(m_hostNames.size());
    m_hostIds.insert(host, id);
    m_hostNames.append(host);
    m_counts.push_back({});
    return id;
}

void LatencyLog::intern(RequestSample &sample)
{
    const auto internText = [](auto &set, auto &text) {
        const auto it = set.constFind(text);
        if (it != set.cend())
            text = *it;
        else if (set.size() < maxInterned)
            set.insert(text);
    };
    internText(m_strings, sample.exchange);
    internText(m_strings, sample.endpoint);
    internText(m_methods, sample.method);
    sample.host = m_hostNames.at(hostId(sample.host));
}

void LatencyLog::tally(const Entry &entry, int delta)
{
    m_counts[entry.host][entry.arm * kindCount + entry.kind] += delta;
}

qint64 LatencyLog::earliestStartMs() const
{
    if (!m_earliestStart) {
        qint64 earliest = m_entries.empty() ? 0 : std::numeric_limits<qint64>::max();
        for (const Entry &entry : m_entries)
            earliest = std::min(earliest, entry.startedAt);
        m_earliestStart = earliest;
    }
    return *m_earliestStart;
}

void LatencyLog::invalidate()
{
    m_earliestStart.reset();
    if (!m_cache.isEmpty())
        m_cache.clear();
}
