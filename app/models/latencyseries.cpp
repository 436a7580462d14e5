#include "latencyseries.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace {

bool byXThenY(const ChartPoint &a, const ChartPoint &b)
{
    return a.x < b.x || (a.x == b.x && a.y < b.y);
}

bool byX(const ChartPoint &a, const ChartPoint &b)
{
    return a.x < b.x;
}

int columnOf(double x, qint64 fromMs, qint64 toMs, int columns)
{
    const double span = std::max<double>(1.0, double(toMs - fromMs));
    return std::clamp(int((x - double(fromMs)) / span * columns), 0, columns - 1);
}

// In start order (ties in arrival order), the nearest-rank p50 of the last `medianOf`. Over the cap, the line
// keeps the first and the last run of each column, and only those are computed.
void rollingMedian(std::vector<ChartPoint> &runs, const SeriesWindow &window, int columns)
{
    std::stable_sort(runs.begin(), runs.end(), byX);
    std::vector<size_t> at;
    if (int(runs.size()) <= window.maxPointsPerSeries) {
        at.resize(runs.size());
        std::iota(at.begin(), at.end(), size_t(0));
    } else {
        int lastColumn = -1;
        for (size_t i = 0; i < runs.size(); ++i) {
            const int c = columnOf(runs[i].x, window.fromMs, window.toMs, columns);
            const bool lastOfColumn =
                i + 1 == runs.size() || columnOf(runs[i + 1].x, window.fromMs, window.toMs, columns) != c;
            if (c != lastColumn || lastOfColumn)
                at.push_back(i);
            lastColumn = c;
        }
    }
    std::vector<double> recent;
    std::vector<ChartPoint> line;
    line.reserve(at.size());
    for (size_t i : at) {
        const size_t first =
            i + 1 >= size_t(LatencySeries::medianOf) ? i + 1 - size_t(LatencySeries::medianOf) : 0;
        recent.assign(size_t(i - first + 1), 0.0);
        for (size_t j = first; j <= i; ++j)
            recent[j - first] = runs[j].y;
        const size_t rank = (recent.size() + 1) / 2; // ceil(n / 2)
        std::nth_element(recent.begin(), recent.begin() + long(rank - 1), recent.end());
        line.push_back({runs[i].x, recent[rank - 1], runs[i].sample});
    }
    runs.swap(line);
}

} // namespace

std::optional<PointRole> LatencySeries::roleOf(const RequestSample &sample)
{
    if (sample.warmUp)
        return std::nullopt;
    if (!sample.ok())
        return PointRole::Error;
    if (sample.connection == ConnectionKind::Unknown)
        return PointRole::Unknown;
    return sample.paidHandshake() ? PointRole::Handshake : PointRole::Reused;
}

double LatencySeries::niceStep(double raw)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (f * magnitude >= raw * (1 - 1e-12))
            return f * magnitude;
    }
    return 10 * magnitude;
}

double LatencySeries::scaleMaxMs(const QList<RequestSample> &samples)
{
    std::vector<double> totals;
    totals.reserve(size_t(samples.size()));
    for (const RequestSample &s : samples) {
        if (!s.warmUp && s.ok())
            totals.push_back(s.totalMs());
    }
    if (totals.empty())
        return emptyScaleMs;
    const size_t rank = size_t(std::ceil(0.99 * double(totals.size()))); // nearest rank, 1-based
    std::nth_element(totals.begin(), totals.begin() + long(rank - 1), totals.end());
    const double target = std::max(1.0, totals[rank - 1] * 1.2);
    const double step = niceStep(target / 4);
    return std::ceil(target / step - 1e-9) * step;
}

void LatencySeries::decimate(std::vector<ChartPoint> &points, qint64 fromMs, qint64 toMs, int columns)
{
    std::vector<int> low(size_t(columns), -1);
    std::vector<int> high(size_t(columns), -1);
    for (int i = 0; i < int(points.size()); ++i) {
        const ChartPoint &pt = points[size_t(i)];
        const int c = columnOf(pt.x, fromMs, toMs, columns);
        int &lo = low[size_t(c)];
        int &hi = high[size_t(c)];
        if (lo < 0 || pt.y < points[size_t(lo)].y)
            lo = i;
        if (hi < 0 || pt.y > points[size_t(hi)].y)
            hi = i;
    }
    std::vector<ChartPoint> kept;
    kept.reserve(size_t(2 * columns));
    for (int c = 0; c < columns; ++c) {
        if (low[size_t(c)] < 0)
            continue;
        kept.push_back(points[size_t(low[size_t(c)])]);
        if (high[size_t(c)] != low[size_t(c)])
            kept.push_back(points[size_t(high[size_t(c)])]);
    }
    points.swap(kept);
}

LatencySeries LatencySeries::compute(const QList<RequestSample> &samples, const SeriesWindow &window,
                                     std::optional<YRange> zoomedY)
{
    LatencySeries result;
    result.yRange = zoomedY ? *zoomedY : YRange {0, scaleMaxMs(samples)};
    const double errorY = result.yRange.min + (result.yRange.max - result.yRange.min) * 0.97;

    QHash<QString, int> hostIndex;
    for (int i = 0; i < samples.size(); ++i) {
        const RequestSample &s = samples.at(i);
        const std::optional<PointRole> role = roleOf(s);
        if (!role)
            continue;
        auto found = hostIndex.constFind(s.host);
        if (found == hostIndex.cend()) {
            found = hostIndex.insert(s.host, int(result.hosts.size()));
            HostPoints added;
            added.host = s.host;
            added.exchange = s.exchange;
            result.hosts.push_back(std::move(added));
        }
        HostPoints &hp = result.hosts[size_t(*found)];
        const double x = double(s.startedAtMsSinceEpoch);
        const double y = s.totalMs();
        if (*role == PointRole::Error) {
            result.errors.push_back({x, std::min(y, errorY), i});
            continue;
        }
        if (y > result.yRange.max)
            ++result.aboveScale;
        if (*role == PointRole::Unknown) {
            hp.unknown.push_back({x, y, i});
            continue;
        }
        (*role == PointRole::Handshake ? hp.handshake : hp.reused).push_back({x, y, i});
        if (s.reuse == ReuseMode::Pooled)
            hp.medianPooled.push_back({x, y, i});
        else if (s.reuse == ReuseMode::NoReuse)
            hp.medianNoReuse.push_back({x, y, i});
    }

    const int columns = std::max(1, std::min(window.maxPointsPerSeries / 2, window.pixelColumns));
    const auto withinCap = [&](std::vector<ChartPoint> &points) {
        if (int(points.size()) > window.maxPointsPerSeries)
            decimate(points, window.fromMs, window.toMs, columns);
    };
    const auto finishPoints = [&](std::vector<ChartPoint> &points) {
        withinCap(points);
        std::sort(points.begin(), points.end(), byXThenY);
    };
    const auto finishLine = [&](std::vector<ChartPoint> &runs) {
        rollingMedian(runs, window, columns);
        withinCap(runs);
        std::stable_sort(runs.begin(), runs.end(), byX);
    };
    for (HostPoints &hp : result.hosts) {
        finishPoints(hp.handshake);
        finishPoints(hp.reused);
        finishPoints(hp.unknown);
        finishLine(hp.medianPooled);
        finishLine(hp.medianNoReuse);
    }
    finishPoints(result.errors);
    return result;
}
