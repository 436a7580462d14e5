#include "gainreport.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

GainArm armOf(const LatencyLog &log, ReuseMode arm, qint64 fromMs, qint64 toMs)
{
    LatencyFilter filter;
    filter.arm = arm;
    filter.fromMs = fromMs;
    filter.toMs = toMs;
    filter.okOnly = true;
    filter.includeWarmUps = false;
    filter.kinds =
        ConnectionKinds::known(); // a call whose connection nobody can tell belongs to neither side
    const LatencyStats stats = log.stats(filter);
    GainArm result;
    result.count = stats.count;
    result.p50 = stats.p50;
    result.p95 = stats.p95;
    result.meanConnectMs = stats.meanConnect;
    return result;
}

// A transport failure: Qt drops the connection it was on. An HTTP error status leaves it open.
bool lostConnection(const RequestSample &sample)
{
    return !sample.ok() && sample.error != NetError::HttpStatus;
}

struct Activity
{
    qint64 start = 0;
    qint64 end = 0;
    int opened = 0; // connections this sample opened (and that survived it)
    HttpProtocol protocol = HttpProtocol::Unknown; // a warm-up may not know
};

// See compute(). `activities` of one host, pooled arm.
OpenConnectionEstimate estimateOpen(std::vector<Activity> &activities, qint64 nowMs, qint64 idleMs)
{
    std::sort(activities.begin(), activities.end(),
              [](const Activity &a, const Activity &b) { return a.start < b.start; });
    std::vector<qint64> openedAt; // in start order
    qint64 busyUntil = activities.empty() ? 0 : activities.front().end; // the last reply's end so far
    HttpProtocol protocol = HttpProtocol::Unknown; // the newest known
    for (const Activity &a : activities) {
        if (a.start - busyUntil > idleMs)
            openedAt.clear(); // the pool sat idle past the expiry: Qt closed every connection in it
        openedAt.insert(openedAt.end(), size_t(a.opened), a.start);
        busyUntil = std::max(busyUntil, a.end);
        if (a.protocol != HttpProtocol::Unknown)
            protocol = a.protocol;
    }
    OpenConnectionEstimate estimate;
    if (openedAt.empty() || nowMs - busyUntil > idleMs)
        return estimate;
    // The newest connections are the ones still there: an HTTP/2 host multiplexes everything on one, an
    // HTTP/1.1 host holds at most Qt's per-host limit (one opened later replaced one that died).
    estimate.http2 = protocol == HttpProtocol::Http2;
    const int limit = estimate.http2 ? 1 : GainReport::maxHttp1ConnectionsPerHost;
    estimate.count = std::min(limit, int(openedAt.size()));
    estimate.oldestOpenedAtMs = openedAt[openedAt.size() - size_t(estimate.count)];
    estimate.ageMs = std::max<qint64>(0, nowMs - estimate.oldestOpenedAtMs);
    return estimate;
}

} // namespace

PoolCounts GainReport::total() const
{
    PoolCounts sum = pooledTotal;
    sum += noReuseTotal;
    return sum;
}

int GainReport::openConnectionCount() const
{
    int sum = 0;
    for (const OpenConnectionEstimate &estimate : openConnections)
        sum += estimate.count;
    return sum;
}

QString GainReport::hint() const
{
    if (pooled.hasSamples() && !noReuse.hasSamples()) {
        return QStringLiteral("Only pooled calls measured so far. Switch Reuse to No reuse (Ctrl+2) or "
                              "Interleaved A/B (Ctrl+3) to measure the difference.");
    }
    if (noReuse.hasSamples() && !pooled.hasSamples()) {
        return QStringLiteral("Only no-reuse calls measured so far. Switch Reuse to Pooled (Ctrl+1) or "
                              "Interleaved A/B (Ctrl+3) to measure the difference.");
    }
    return {};
}

// The open-connection estimate. Qt has no API for its connection pool, so it is inferred from the samples
// still in the log: a pooled connection counts as open from the start of the sample that opened it
// (connectionsOpened > 0, warm-ups included; not a transport failure, which loses its connection) until the
// host's pooled requests have left a gap longer than the client's idle expiry. That is how Qt's connection
// cache behaves: a host's connections (all of them) are released when its last reply finishes and closed when
// no request came within the expiry (QNetworkRequest::ConnectionCacheExpiryTimeoutSecondsAttribute). HTTP/2
// holds one connection per host, HTTP/1.1 at most six. It cannot see a connection the server closed on its
// own before the expiry (it would be counted until the next one opens), and ages are capped by the oldest
// sample the log still holds.
GainReport GainReport::compute(const LatencyLog &log, qint64 nowMs, qint64 windowMs, int keepAliveIdleSeconds)
{
    GainReport report;
    report.nowMs = nowMs;
    report.windowMs = std::max<qint64>(1, windowMs);
    report.keepAliveIdleSeconds =
        keepAliveIdleSeconds > 0 ? keepAliveIdleSeconds : defaultKeepAliveIdleSeconds;
    const qint64 fromMs = nowMs - report.windowMs;
    const qint64 toMs = nowMs + 1; // the window includes now

    report.pooled = armOf(log, ReuseMode::Pooled, fromMs, toMs);
    report.noReuse = armOf(log, ReuseMode::NoReuse, fromMs, toMs);
    if (report.bothArms()) {
        report.msSavedPerCall = report.noReuse.p50 - report.pooled.p50;
        if (report.pooled.p50 > 0)
            report.speedup = report.noReuse.p50 / report.pooled.p50;
    }

    const PoolStats &poolStats = log.poolStats();
    report.pooledTotal = poolStats.total(ReuseMode::Pooled);
    report.noReuseTotal = poolStats.total(ReuseMode::NoReuse);

    // One pass over the log: the oldest start (for the rate span), each host's exchange label, and the pooled
    // activity per host for the open-connection estimate.
    qint64 oldestStart = std::numeric_limits<qint64>::max();
    QHash<QString, QString> exchangeOf;
    QHash<QString, std::vector<Activity>> activity;
    for (int i = 0; i < log.size(); ++i) {
        const RequestSample &s = log.at(i);
        oldestStart = std::min(oldestStart, s.startedAtMsSinceEpoch);
        if (!s.exchange.isEmpty())
            exchangeOf.insert(s.host, s.exchange);
        if (s.reuse != ReuseMode::Pooled || s.startedAtMsSinceEpoch > nowMs)
            continue;
        Activity a;
        a.start = s.startedAtMsSinceEpoch;
        a.end = s.startedAtMsSinceEpoch + qint64(std::ceil(s.finishedMs));
        a.opened = lostConnection(s) ? 0 : s.connectionsOpened;
        a.protocol = s.protocol;
        activity[s.host].push_back(a);
    }

    for (const QString &host : poolStats.hosts()) {
        const PoolCounts counts = poolStats.counts(host, ReuseMode::Pooled);
        if (counts.requests > 0)
            report.hosts.append({host, exchangeOf.value(host), counts});
    }

    QStringList activeHosts = activity.keys();
    activeHosts.sort();
    for (const QString &host : std::as_const(activeHosts)) {
        OpenConnectionEstimate estimate =
            estimateOpen(activity[host], nowMs, qint64(report.keepAliveIdleSeconds) * 1000);
        if (estimate.count == 0)
            continue;
        estimate.host = host;
        estimate.exchange = exchangeOf.value(host);
        report.openConnections.append(estimate);
    }

    report.rateSpanMs = report.windowMs;
    if (oldestStart != std::numeric_limits<qint64>::max() && nowMs - oldestStart < report.rateSpanMs)
        report.rateSpanMs = std::max(nowMs - oldestStart, std::min(minRateSpanMs, report.windowMs));
    LatencyFilter calls;
    calls.fromMs = nowMs - report.rateSpanMs;
    calls.toMs = toMs;
    calls.okOnly = false;
    calls.includeWarmUps = false;
    report.callsInRateSpan = log.stats(calls).count;
    report.callsPerMinute = report.callsInRateSpan * 60'000.0 / double(report.rateSpanMs);
    if (report.bothArms())
        report.secondsSavedPerDay = report.msSavedPerCall * report.callsPerMinute * 24 * 60 / 1000;
    return report;
}
