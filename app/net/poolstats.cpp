#include "poolstats.h"

PoolCounts &PoolCounts::operator+=(const PoolCounts &other)
{
    requests += other.requests;
    connectionsOpened += other.connectionsOpened;
    reused += other.reused;
    failed += other.failed;
    return *this;
}

void PoolStats::add(const RequestSample &sample)
{
    PoolCounts &counts = m_counts[Key {sample.host, sample.reuse}];
    counts.connectionsOpened += sample.connectionsOpened;
    if (sample.warmUp)
        return;
    ++counts.requests;
    if (sample.connection == ConnectionKind::Reused)
        ++counts.reused;
    if (!sample.ok())
        ++counts.failed;
}

PoolCounts PoolStats::counts(const QString &host, ReuseMode arm) const
{
    return m_counts.value(Key {host, arm});
}

PoolCounts PoolStats::total(ReuseMode arm) const
{
    PoolCounts sum;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        if (it.key().arm == arm)
            sum += it.value();
    }
    return sum;
}

QStringList PoolStats::hosts() const
{
    QStringList result;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it) {
        if (!result.contains(it.key().host))
            result.append(it.key().host);
    }
    result.sort();
    return result;
}
