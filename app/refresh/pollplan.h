#pragma once

#include "exchanges/exchangeclient.h"

// How often exdash fetches each kind of data, from the share of each exchange's rate limit it may use.
//
// The limits belong to the trader, not to exdash: Hyperliquid's 1200 weight per minute is per IP, shared with
// the bot that places the trader's orders from the same machine. At the default share exdash takes at most
// 15 % of it (prices every 2 s, marks and funding every 15 s, positions and account every 10 s: 164 of 180
// weight per minute) and at most one request per second per Bitunix endpoint (10 % of 10 req/s).
namespace PollPlan {

constexpr int defaultSharePercent = 15;
constexpr int minSharePercent = 5;
constexpr int maxSharePercent = 100;

int clampShare(int percent);

// The cadence of `kind` at `sharePercent`: the default share's cadences, shorter in proportion to a larger
// share (no shorter than a floor per kind, past which a dashboard gains nothing) and longer for a smaller
// one.
int cadenceMs(DataKind kind, int sharePercent);

struct Limit
{
    int capacity = 0; // units of weight (or requests)
    qint64 windowMs = 0; // per sliding window
};
// `sharePercent` of `limit`: fewer units in the same window or, below one unit, one unit in a longer window
// (5 % of 10 per second is one per two seconds).
Limit share(const Limit &limit, int sharePercent);

} // namespace PollPlan
