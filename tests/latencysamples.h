#pragma once

#include "net/requestsample.h"

#include <QList>
#include <QPointF>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <random>

// Samples as the latency chart meets them, for tst_latencyseries and tst_latencychart.

inline const qint64 now = 1'700'000'000'000; // the chart's clock in every test: no wall-clock time
inline const QString hostA = QStringLiteral("127.0.0.1:40123");
inline const QString hostB = QStringLiteral("127.0.0.1:40124");
inline const QString hostC = QStringLiteral("api.example.test:443");

// Points in the series' order: by x, then y.
inline QList<QPointF> sorted(QList<QPointF> points)
{
    std::sort(points.begin(), points.end(), [](const QPointF &a, const QPointF &b) {
        return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
    });
    return points;
}

// Where a sample's point goes: its start, its total.
inline QPointF pointOf(const RequestSample &s)
{
    return QPointF(double(s.startedAtMsSinceEpoch), s.totalMs());
}

inline RequestSample makeSample(quint64 id, const QString &host, ReuseMode arm, ConnectionKind kind,
                                double total, qint64 startedAt)
{
    RequestSample s;
    s.id = id;
    s.exchange = host == hostA ? QStringLiteral("bitunix") : QStringLiteral("hyperliquid");
    s.endpoint = QStringLiteral("tickers");
    s.host = host;
    s.method = "GET";
    s.httpStatus = 200;
    s.protocol = host == hostA ? HttpProtocol::Http2 : HttpProtocol::Http1;
    s.reuse = arm;
    s.connection = kind;
    s.startedAtMsSinceEpoch = startedAt;
    if (kind == ConnectionKind::New) {
        s.connectStartMs = total * 0.05;
        s.tlsDoneMs = total * 0.6;
    }
    s.requestSentMs = total * 0.62;
    s.firstByteMs = total * 0.95;
    s.finishedMs = total;
    return s;
}

struct Scenario
{
    QList<RequestSample> all;
    QList<RequestSample> inside; // what the chart must show: in the 5-minute window, not warm-ups
};

// Several hosts, both arms, every kind, some errors and warm-ups; start times unique, spread over the last
// 295 s, plus samples before the window and after now.
inline Scenario mixedScenario(int count, quint64 seed = 7)
{
    QRandomGenerator rng(seed);
    Scenario sc;
    const QStringList hosts {hostA, hostB, hostC};
    const ConnectionKind kinds[] = {ConnectionKind::New,    ConnectionKind::Shared, ConnectionKind::Queued,
                                    ConnectionKind::Reused, ConnectionKind::Reused, ConnectionKind::Reused,
                                    ConnectionKind::Unknown};
    QList<qint64> offsets;
    for (int i = 0; i < count; ++i)
        offsets << -1000 - qint64(i) * (294'000 / count); // unique, inside
    std::shuffle(offsets.begin(), offsets.end(), std::mt19937(unsigned(seed)));
    for (int i = 0; i < count; ++i) {
        const QString host = hosts.at(i % 3);
        const ReuseMode arm = rng.bounded(2) ? ReuseMode::Pooled : ReuseMode::NoReuse;
        const ConnectionKind kind = arm == ReuseMode::NoReuse ? ConnectionKind::New : kinds[rng.bounded(7)];
        const double base = kind == ConnectionKind::Reused ? 52 : 160;
        RequestSample s = makeSample(quint64(i + 1), host, arm, kind, base + rng.bounded(40.0) + i * 1e-4,
                                     now + offsets.at(i));
        if (i % 20 == 3) {
            s.error = NetError::Timeout;
            s.httpStatus = 0;
            s.finishedMs = 10'000 + i;
        } else if (i % 31 == 5) {
            s.error = NetError::HttpStatus;
            s.httpStatus = 500;
        }
        if (i % 29 == 11)
            s.warmUp = true;
        sc.all << s;
        if (!s.warmUp)
            sc.inside << s;
    }
    // Outside the window: too old, and in the future.
    for (int i = 0; i < 10; ++i) {
        sc.all << makeSample(quint64(10'000 + i), hosts.at(i % 3), ReuseMode::Pooled, ConnectionKind::Reused,
                             50, now - 301'000 - i * 5'000);
        sc.all << makeSample(quint64(20'000 + i), hosts.at(i % 3), ReuseMode::Pooled, ConnectionKind::New,
                             150, now + 60'000 + i);
    }
    return sc;
}

// Nearest-rank median of the last `n` successful requests of a known kind of a host and arm, in start order.
inline QList<QPointF> bruteForceMedians(const QList<RequestSample> &inside, const QString &host,
                                        ReuseMode arm, int n)
{
    QList<RequestSample> runs;
    for (const RequestSample &s : inside) {
        if (s.host == host && s.reuse == arm && s.ok() && s.connection != ConnectionKind::Unknown)
            runs << s;
    }
    // Ties in arrival order (the log's order).
    std::stable_sort(runs.begin(), runs.end(), [](const RequestSample &a, const RequestSample &b) {
        return a.startedAtMsSinceEpoch < b.startedAtMsSinceEpoch;
    });
    QList<QPointF> line;
    for (int i = 0; i < runs.size(); ++i) {
        QList<double> last;
        for (int j = std::max(0, i - n + 1); j <= i; ++j)
            last << runs.at(j).totalMs();
        std::sort(last.begin(), last.end());
        // The smallest value that at least half of the values do not exceed.
        double median = 0;
        for (int k = 0; k < last.size(); ++k) {
            if ((k + 1) * 2 >= last.size()) {
                median = last.at(k);
                break;
            }
        }
        line << QPointF(double(runs.at(i).startedAtMsSinceEpoch), median);
    }
    return line;
}

// Two hosts, both arms, a tenth of them handshakes, one in a hundred failed, over 290 s.
inline QList<RequestSample> fiftyThousandSamples()
{
    QRandomGenerator rng(5);
    QList<RequestSample> samples;
    for (int i = 0; i < 50'000; ++i) {
        const bool reused = i % 10 != 0;
        RequestSample s =
            makeSample(quint64(i), i % 2 ? hostA : hostB, i % 4 < 2 ? ReuseMode::Pooled : ReuseMode::NoReuse,
                       reused ? ConnectionKind::Reused : ConnectionKind::New,
                       (reused ? 50 : 150) + rng.bounded(30.0), now - 1'000 - rng.bounded(290'000));
        if (i % 100 == 7)
            s.error = NetError::ConnectionClosed;
        samples << s;
    }
    return samples;
}
