#pragma once

#include "models/latencylog.h"
#include "net/keepalive.h"
#include "net/poolstats.h"

#include <QList>
#include <QString>

#include <limits>

// One reuse arm over the report's window: successful API calls only (warm-ups and failures excluded).
struct GainArm
{
    int count = 0;
    double p50 = std::numeric_limits<double>::quiet_NaN(); // of totalMs
    double p95 = std::numeric_limits<double>::quiet_NaN();
    double meanConnectMs = std::numeric_limits<double>::quiet_NaN(); // mean connect+TLS phase

    bool hasSamples() const { return count > 0; }
};

// Connection reuse on one host, pooled arm, since the log was created or cleared (PoolStats).
struct HostReuse
{
    QString host; // "host:port"
    QString exchange; // from the host's samples still in the log; empty if none is left
    PoolCounts pooled;
};

// An ESTIMATE of the pooled connections a host has open now. Qt exposes no view of its connection pool, so it
// is inferred from the samples still in the log (see GainReport::compute).
struct OpenConnectionEstimate
{
    QString host;
    QString exchange;
    int count = 0;
    bool http2 = false;
    qint64 oldestOpenedAtMs = 0; // ms since the epoch, when the oldest connection counted was opened
    qint64 ageMs = 0; // now - oldestOpenedAtMs
};

// What reusing connections gains, as measured: a plain value made from a LatencyLog at one moment.
struct GainReport
{
    static constexpr qint64 defaultWindowMs = 5 * 60 * 1000;
    static constexpr qint64 minRateSpanMs = 60 * 1000;
    // Qt keeps at most this many HTTP/1.1 connections per host.
    static constexpr int maxHttp1ConnectionsPerHost = 6;

    // Over the samples that started in [nowMs - windowMs, nowMs]. keepAliveIdleSeconds: the client's idle
    // expiry (HttpClient::keepAliveIdleSeconds()), for the open-connection estimate.
    static GainReport compute(const LatencyLog &log, qint64 nowMs, qint64 windowMs = defaultWindowMs,
                              int keepAliveIdleSeconds = defaultKeepAliveIdleSeconds);

    qint64 nowMs = 0;
    qint64 windowMs = defaultWindowMs;
    int keepAliveIdleSeconds = defaultKeepAliveIdleSeconds;

    GainArm pooled;
    GainArm noReuse;
    // Both NaN unless bothArms().
    double speedup = std::numeric_limits<double>::quiet_NaN(); // noReuse.p50 / pooled.p50 (×)
    double msSavedPerCall = std::numeric_limits<double>::quiet_NaN(); // noReuse.p50 - pooled.p50

    // Cumulative (every sample ever appended to the log, not only the window), from LatencyLog::poolStats().
    PoolCounts pooledTotal;
    PoolCounts noReuseTotal;
    QList<HostReuse> hosts; // hosts with pooled API calls, sorted by host

    // The current rate: API calls of both arms (failed ones included, warm-ups not) that started in the rate
    // span, per minute. The span is the window, shortened to the time since the oldest sample in the log when
    // the log is younger than the window (just started or cleared), but never below minRateSpanMs, so that
    // the first burst is not extrapolated to a day.
    int callsInRateSpan = 0;
    qint64 rateSpanMs = 0;
    double callsPerMinute = 0;
    // msSavedPerCall x calls per day at the current rate: every call pooled against every call no-reuse. NaN
    // unless bothArms().
    double secondsSavedPerDay = std::numeric_limits<double>::quiet_NaN();

    // Per host with an estimated open pooled connection, sorted by host. An estimate, see compute().
    QList<OpenConnectionEstimate> openConnections;

    bool bothArms() const { return pooled.hasSamples() && noReuse.hasSamples(); }
    // The pooled arm's first calls open its connections, three round trips each: until both arms have more
    // calls than a refresh cycle or two, their medians say how the session started, not what reuse saves.
    static constexpr int callsForVerdict = 20;
    bool enoughForVerdict() const
    {
        return pooled.count >= callsForVerdict && noReuse.count >= callsForVerdict;
    }
    bool anyArm() const { return pooled.hasSamples() || noReuse.hasSamples(); }
    int handshakesAvoided() const { return pooledTotal.handshakesAvoided(); } // pooled arm
    PoolCounts total() const; // both arms
    int openConnectionCount() const;
    // With one arm measured, how to measure the other; empty otherwise.
    QString hint() const;
};
