#include "pollplan.h"

#include <algorithm>

namespace PollPlan {

namespace {

struct Cadence
{
    int atDefaultShareMs;
    int floorMs;
};

Cadence cadenceOf(DataKind kind)
{
    switch (kind) {
    case DataKind::Tickers:
        return {2'000, 1'000};
    case DataKind::MarketStats:
        return {15'000, 3'000};
    case DataKind::Positions:
    case DataKind::Account:
        return {10'000, 2'000};
    }
    return {10'000, 2'000};
}

} // namespace

int clampShare(int percent)
{
    return std::clamp(percent, minSharePercent, maxSharePercent);
}

int cadenceMs(DataKind kind, int sharePercent)
{
    const Cadence c = cadenceOf(kind);
    const qint64 scaled = qint64(c.atDefaultShareMs) * defaultSharePercent / clampShare(sharePercent);
    return int(std::max<qint64>(c.floorMs, scaled));
}

Limit share(const Limit &limit, int sharePercent)
{
    const qint64 percent = clampShare(sharePercent);
    const qint64 units = qint64(limit.capacity) * percent / 100;
    if (units >= 1)
        return {int(units), limit.windowMs};
    // Round the window up: never faster than the share.
    const qint64 window = (limit.windowMs * 100 + limit.capacity * percent - 1) / (limit.capacity * percent);
    return {1, window};
}

} // namespace PollPlan
