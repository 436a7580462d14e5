#pragma once

#include <QtGlobal>

#include <deque>

// A sliding-window budget: at most `capacity` units of weight in any `windowMs`. A call that does not fit
// waits (nextFit() says until when); nothing is ever dropped. Time is passed in, so that tests need no clock.
class RateBudget
{
public:
    RateBudget(int capacity, qint64 windowMs)
        : m_capacity(capacity)
        , m_windowMs(windowMs)
    { }

    bool fits(int weight, qint64 nowMs);
    void take(int weight, qint64 nowMs);
    // The earliest time at which `weight` fits (nowMs when it fits now).
    qint64 nextFit(int weight, qint64 nowMs);
    int used(qint64 nowMs);
    int capacity() const { return m_capacity; }
    // A new limit; what was spent stays in the window.
    void setLimit(int capacity, qint64 windowMs);
    qint64 windowMs() const { return m_windowMs; }

private:
    void expire(qint64 nowMs);

    struct Spend
    {
        qint64 atMs;
        int weight;
    };
    int m_capacity;
    qint64 m_windowMs;
    int m_used = 0;
    std::deque<Spend> m_spent;
};

// Exponential backoff with jitter after failures worth backing off from (rate limits, 5xx, network), never
// shorter than what the server asked for (Retry-After).
class Backoff
{
public:
    static constexpr qint64 baseMs = 1'000;
    static constexpr qint64 maxMs = 60'000;

    // Returns the delay before the next attempt; `random01` in [0, 1) spreads clients apart.
    qint64 fail(qint64 retryAfterMs, double random01);
    void succeed() { m_failures = 0; }
    int failures() const { return m_failures; }

private:
    int m_failures = 0;
};
