#pragma once

#include "net/requestsample.h"

#include <QList>
#include <QString>

#include <limits>
#include <optional>
#include <vector>

// What the latency chart (ui/latencychart.h) draws, reduced from the samples of its window: plain values, no
// drawing.
//
// Every request is a point: x = when it started (ms since the epoch), y = its total ms. Its role: it paid for
// a handshake (new, shared-new or queued connection); it went out on a reused connection; Qt's signals did
// not tell which (unknown: left out of the medians, as the gain panel leaves it out of both arms); or it
// failed (placed at min(total, 97 % of the y axis), so a 10 s timeout stays visible without flattening the
// rest). Warm-ups are not API calls and get no point (as in LatencyLog's statistics).
//
// Per host and reuse arm, a median line: the rolling median (nearest rank) of the last `medianOf` successful
// requests of a known kind of that host and arm, in start order, counted within the visible window, placed
// at the start time of the request that ends each run.
//
// y scale: 0 to the nearest-rank p99 of the visible successful requests x 1.2, rounded up to a nice step, so
// one timeout does not squash the comparison; successful requests above it are counted ("2 above 480 ms").
//
// Bounded whatever the request rate: a series that would hold more than maxPointsPerSeries is decimated to
// the lowest and the highest point of each pixel column (at most maxPointsPerSeries / 2 columns), so no
// column that had a point, an error in particular, goes blank; a median line then keeps the first and last
// run of each column.

struct ChartPoint
{
    double x = 0; // ms since the epoch
    double y = 0; // ms
    int sample = 0; // index into the samples LatencySeries::compute was given
};

enum class PointRole { Handshake, Reused, Unknown, Error };

struct HostPoints
{
    QString host;
    QString exchange; // of the host's first sample in the window
    std::vector<ChartPoint> handshake; // sorted by x, then y
    std::vector<ChartPoint> reused;
    std::vector<ChartPoint> unknown;
    std::vector<ChartPoint> medianPooled; // in time order
    std::vector<ChartPoint> medianNoReuse;
};

struct YRange
{
    double min = 0;
    double max = 0;
};

// The part of the time axis shown, and how many points it can take.
struct SeriesWindow
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int maxPointsPerSeries = std::numeric_limits<int>::max(); // a series with more is decimated
    int pixelColumns = 1; // of the plot area: decimation keeps at most two points per column
};

struct LatencySeries
{
    static constexpr int medianOf = 20;
    static constexpr double emptyScaleMs = 100; // the y scale with no successful request to scale to

    // `samples`: those that started in the window, in the log's order (ties in start time keep it in the
    // medians). zoomedY: the range a zoom chose, kept instead of the p99 scale.
    static LatencySeries compute(const QList<RequestSample> &samples, const SeriesWindow &window,
                                 std::optional<YRange> zoomedY = std::nullopt);

    static std::optional<PointRole> roleOf(const RequestSample &sample); // nullopt for a warm-up
    static double scaleMaxMs(const QList<RequestSample> &samples); // the p99 rule above
    // The smallest "nice" step (1, 2, 2.5 or 5 × 10^n) >= raw.
    static double niceStep(double raw);
    // At most 2 × columns points: the lowest and the highest of each column of [fromMs, toMs] that has any.
    static void decimate(std::vector<ChartPoint> &points, qint64 fromMs, qint64 toMs, int columns);

    std::vector<HostPoints> hosts; // in order of first appearance
    std::vector<ChartPoint> errors; // sorted by x, then y
    YRange yRange {0, emptyScaleMs};
    int aboveScale = 0; // successful requests above yRange.max
};
