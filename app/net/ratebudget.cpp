#include "ratebudget.h"

#include <algorithm>
#include <cmath>

void RateBudget::expire(qint64 nowMs)
{
    while (!m_spent.empty() && m_spent.front().atMs + m_windowMs <= nowMs) {
        m_used -= m_spent.front().weight;
        m_spent.pop_front();
    }
}

void RateBudget::setLimit(int capacity, qint64 windowMs)
{
    m_capacity = capacity;
    m_windowMs = windowMs;
}

bool RateBudget::fits(int weight, qint64 nowMs)
{
    expire(nowMs);
    return m_used + weight <= m_capacity;
}

void RateBudget::take(int weight, qint64 nowMs)
{
    expire(nowMs);
    m_spent.push_back({nowMs, weight});
    m_used += weight;
}

qint64 RateBudget::nextFit(int weight, qint64 nowMs)
{
    expire(nowMs);
    int used = m_used;
    for (const Spend &spend : m_spent) {
        if (used + weight <= m_capacity)
            break;
        used -= spend.weight;
        nowMs = std::max(nowMs, spend.atMs + m_windowMs);
    }
    return nowMs;
}

int RateBudget::used(qint64 nowMs)
{
    expire(nowMs);
    return m_used;
}

qint64 Backoff::fail(qint64 retryAfterMs, double random01)
{
    const double exponential = double(baseMs) * std::pow(2.0, std::min(m_failures, 10));
    ++m_failures;
    const qint64 jittered = qint64(std::min(double(maxMs), exponential) * (0.5 + random01));
    return std::max(jittered, retryAfterMs);
}
