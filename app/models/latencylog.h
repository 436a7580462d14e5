#pragma once

#include "net/poolstats.h"
#include "net/requestsample.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <array>
#include <limits>
#include <optional>
#include <vector>

// A set of ConnectionKinds. The two groups the chart compares are paidHandshake() (New, Shared, Queued) and
// reused(); Unknown is in neither. only(kind) selects one kind exactly. Default: any kind.
class ConnectionKinds
{
public:
    constexpr ConnectionKinds() = default;

    static constexpr ConnectionKinds any() { return ConnectionKinds(allBits); }
    static constexpr ConnectionKinds paidHandshake()
    {
        return only(ConnectionKind::New) | only(ConnectionKind::Shared) | only(ConnectionKind::Queued);
    }
    static constexpr ConnectionKinds reused() { return only(ConnectionKind::Reused); }
    static constexpr ConnectionKinds known() { return paidHandshake() | reused(); }
    static constexpr ConnectionKinds only(ConnectionKind kind) { return ConnectionKinds(bit(kind)); }

    constexpr ConnectionKinds operator|(ConnectionKinds other) const
    {
        return ConnectionKinds(m_bits | other.m_bits);
    }
    constexpr bool contains(ConnectionKind kind) const { return m_bits & bit(kind); }
    constexpr bool operator==(ConnectionKinds other) const { return m_bits == other.m_bits; }
    constexpr bool operator!=(ConnectionKinds other) const { return m_bits != other.m_bits; }

private:
    static constexpr quint8 bit(ConnectionKind kind) { return quint8(1u << unsigned(kind)); }
    static constexpr quint8 allBits = 0x1F;
    constexpr explicit ConnectionKinds(quint8 bits)
        : m_bits(bits)
    { }

    quint8 m_bits = allBits;
};

// Which samples a LatencyLog query covers. Every unset criterion matches everything.
struct LatencyFilter
{
    std::optional<QString> host; // "host:port", as in RequestSample::host
    std::optional<ReuseMode> arm; // Pooled or NoReuse
    ConnectionKinds kinds;
    std::optional<qint64> fromMs; // startedAtMsSinceEpoch >= fromMs
    std::optional<qint64> toMs; // startedAtMsSinceEpoch < toMs
    bool okOnly = true; // failed requests would pollute the percentiles (a timeout is 10 s)
    bool includeWarmUps = false; // warm-ups open a connection, they are not API calls (as in PoolStats)

    bool matches(const RequestSample &sample) const;
    bool operator==(const LatencyFilter &other) const;
    bool operator!=(const LatencyFilter &other) const { return !(*this == other); }
};

// Over totalMs of the matching samples, in ms. Percentiles are nearest-rank: the p-th percentile is the
// ceil(p/100 * count)-th smallest value, always one that was measured. All NaN when count is 0.
struct LatencyStats
{
    int count = 0;
    double p50 = std::numeric_limits<double>::quiet_NaN();
    double p95 = std::numeric_limits<double>::quiet_NaN();
    double mean = std::numeric_limits<double>::quiet_NaN();
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    // Mean phases (they add up to mean).
    double meanQueue = std::numeric_limits<double>::quiet_NaN();
    double meanConnect = std::numeric_limits<double>::quiet_NaN();
    double meanWait = std::numeric_limits<double>::quiet_NaN();
    double meanDownload = std::numeric_limits<double>::quiet_NaN();
};

// The last `capacity` RequestSamples, in arrival order, with running counts and on-demand statistics.
//
// Storage is a ring: it grows with the first `capacity` samples (never past it), then each new sample
// overwrites the oldest, so memory stays flat (about 280 bytes a sample: 28 MB at the default capacity).
// Host, exchange, endpoint and method strings are interned (a sample shares the text of earlier samples
// instead of holding its own copy). Queries scan a compact copy of the fields they need (56 bytes a sample),
// not the samples.
//
// Samples arrive in the order their requests finished, which is roughly but not strictly the order they
// started (a slow request arrives after faster ones that started later). Queries by start time therefore
// scan every sample instead of bisecting: the answer is exact whatever the order, and cheap (measured on a
// full ring of 100 000, 2-core machine: stats() 0.3 to 0.8 ms uncached, window() of 10 000 samples 0.5 ms).
class LatencyLog : public QObject
{
    Q_OBJECT

public:
    static constexpr int defaultCapacity = 100'000;

    explicit LatencyLog(QObject *parent = nullptr);
    ~LatencyLog() override;

    int capacity() const { return m_capacity; }
    // Shrinking drops the oldest samples (and emits cleared() if any were dropped). Minimum 1.
    void setCapacity(int capacity);

    int size() const { return int(m_entries.size()); }
    bool isEmpty() const { return m_entries.empty(); }
    const RequestSample &at(int i) const; // 0 is the oldest
    quint64 appendedTotal() const { return m_appendedTotal; } // since construction or clear()

    // Samples with fromMs <= startedAtMsSinceEpoch < toMs, in arrival order (not re-sorted by start).
    QList<RequestSample> window(qint64 fromMs, qint64 toMs) const;
    // The smallest startedAtMsSinceEpoch in the log (0 when empty), cached until the next change.
    qint64 earliestStartMs() const;

    // Cached per filter until the next change of the log.
    LatencyStats stats(const LatencyFilter &filter = {}) const;

    // Samples in the log, all of them (failed ones and warm-ups included).
    int count(const QString &host, ReuseMode arm, ConnectionKind kind) const;
    int count(const QString &host, ReuseMode arm, ConnectionKinds kinds = {}) const;
    int count(const QString &host) const;
    QStringList hosts() const; // hosts with samples in the log, sorted

    // Every sample ever appended (not only those still in the ring), since construction or clear().
    const PoolStats &poolStats() const { return m_poolStats; }

public slots:
    void append(const RequestSample &sample);
    void clear(); // the samples, the counts and the pool statistics

signals:
    void appended(); // once per sample; views throttle their own updates
    void cleared(); // samples left other than by eviction: clear(), or a smaller capacity

private:
    // What the queries read, next to each sample.
    struct Entry
    {
        qint64 startedAt = 0;
        double total = 0;
        double queue = 0;
        double connect = 0;
        double wait = 0;
        double download = 0;
        int host = -1; // index into m_hostNames
        quint8 arm = 0;
        quint8 kind = 0;
        bool ok = false;
        bool warmUp = false;
    };
    static constexpr int armCount = 3; // ReuseMode values
    static constexpr int kindCount = int(ConnectionKind::Unknown) + 1; // ConnectionKind values
    using Counts = std::array<int, armCount * kindCount>;

    int physical(int i) const;
    int hostId(const QString &host); // interns
    int findHost(const QString &host) const { return m_hostIds.value(host, -1); }
    void intern(RequestSample &sample);
    void tally(const Entry &entry, int delta);
    void invalidate();
    LatencyStats compute(const LatencyFilter &filter) const;

    int m_capacity = defaultCapacity;
    std::vector<RequestSample> m_samples; // grows to m_capacity, then a ring
    std::vector<Entry> m_entries; // parallel to m_samples
    int m_oldest = 0; // physical index of sample 0
    quint64 m_appendedTotal = 0;

    QHash<QString, int> m_hostIds;
    QStringList m_hostNames;
    std::vector<Counts> m_counts; // per host id
    QSet<QString> m_strings;
    QSet<QByteArray> m_methods;

    PoolStats m_poolStats;

    mutable QList<std::pair<LatencyFilter, LatencyStats>> m_cache;
    mutable std::optional<qint64> m_earliestStart;
};

Q_DECLARE_METATYPE(LatencyFilter)
Q_DECLARE_METATYPE(LatencyStats)
