#pragma once

#include "requestsample.h"

#include <QHash>
#include <QStringList>

#include <algorithm>

struct PoolCounts
{
    int requests = 0; // API calls; warm-ups are not calls
    int connectionsOpened = 0; // what the servers accepted, warm-ups included
    int reused = 0; // calls that waited for no handshake
    int failed = 0;

    double reuseRate() const { return requests > 0 ? double(reused) / requests : 0.0; }
    // Against opening one connection per call, as the no-reuse arm does.
    int handshakesAvoided() const { return std::max(0, requests - connectionsOpened); }
    PoolCounts &operator+=(const PoolCounts &other);
};

// Connection accounting per host and reuse arm, built from RequestSamples alone.
class PoolStats
{
public:
    void add(const RequestSample &sample);
    void clear() { m_counts.clear(); }

    PoolCounts counts(const QString &host, ReuseMode arm) const;
    PoolCounts total(ReuseMode arm) const;
    QStringList hosts() const;

private:
    struct Key
    {
        QString host;
        ReuseMode arm;
        bool operator==(const Key &other) const { return host == other.host && arm == other.arm; }
    };
    friend size_t qHash(const Key &key, size_t seed) { return qHashMulti(seed, key.host, int(key.arm)); }

    QHash<Key, PoolCounts> m_counts;
};
