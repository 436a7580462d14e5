#pragma once

#include "fault.h"
#include "httpsserver.h"
#include "net/ratebudget.h"

#include <QHash>

#include <functional>
#include <memory>
#include <optional>

// The rate limits exsim enforces, as the real exchanges document them
// (docs/exchange-apis.md#bitunix-rate-limits and #hyperliquid-rate-limits):
// - Hyperliquid: 1200 weight per minute per IP over every /info request (weights by request type), HTTP 429
//   past it;
// - Bitunix: 10 requests per second per endpoint, code 10006 ("Request too frequently") inside an HTTP 200.
// Everything reaches exsim from loopback, so every client counts as one IP, as the processes of one trader's
// machine do at the real exchanges. Answers refused are not counted against the budget.
class SimRateLimits
{
public:
    static constexpr int hyperliquidWeightPerMinute = 1200;
    static constexpr int bitunixRequestsPerSecond = 10;

    // `clockMs`: monotonic milliseconds; tests pass their own to move time by hand.
    explicit SimRateLimits(std::function<qint64()> clockMs = {});
    ~SimRateLimits();

    // Counts the request and returns nothing when it is within the limit; otherwise the exchange's refusal.
    std::optional<SimResponse> admit(SimExchange exchange, const SimRequest &request);
    // What `request` costs at Hyperliquid (an /info body it cannot read costs the default 20).
    static int hyperliquidWeight(const SimRequest &request);

    int refused(SimExchange exchange) const { return m_refused[int(exchange == SimExchange::Hyperliquid)]; }
    // Weight (Hyperliquid) or requests (Bitunix, the busiest endpoint) in the current window.
    int used(SimExchange exchange);

private:
    RateBudget &bitunixBudget(const QByteArray &path);

    std::function<qint64()> m_clock;
    RateBudget m_hyperliquid {hyperliquidWeightPerMinute, 60'000};
    QHash<QByteArray, std::shared_ptr<RateBudget>> m_bitunix; // per path
    int m_refused[2] = {};
};
