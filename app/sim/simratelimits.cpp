#include "simratelimits.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

SimRateLimits::SimRateLimits(std::function<qint64()> clockMs)
    : m_clock(std::move(clockMs))
{
    if (!m_clock) {
        QElapsedTimer timer;
        timer.start();
        m_clock = [timer] {
            return timer.elapsed();
        };
    }
}

SimRateLimits::~SimRateLimits() = default;

int SimRateLimits::hyperliquidWeight(const SimRequest &request)
{
    const QString type =
        QJsonDocument::fromJson(request.body).object().value(QStringLiteral("type")).toString();
    static const QStringList light = {
        QStringLiteral("l2Book"),
        QStringLiteral("allMids"),
        QStringLiteral("clearinghouseState"),
        QStringLiteral("orderStatus"),
        QStringLiteral("spotClearinghouseState"),
        QStringLiteral("exchangeStatus"),
    };
    if (light.contains(type))
        return 2;
    if (type == QLatin1String("userRole"))
        return 60;
    return 20;
}

RateBudget &SimRateLimits::bitunixBudget(const QByteArray &path)
{
    auto &slot = m_bitunix[path];
    if (!slot)
        slot = std::make_shared<RateBudget>(bitunixRequestsPerSecond, 1000);
    return *slot;
}

std::optional<SimResponse> SimRateLimits::admit(SimExchange exchange, const SimRequest &request)
{
    const qint64 now = m_clock();
    if (exchange == SimExchange::Hyperliquid) {
        const int weight = hyperliquidWeight(request);
        if (m_hyperliquid.fits(weight, now)) {
            m_hyperliquid.take(weight, now);
            return std::nullopt;
        }
        ++m_refused[1];
        // The body of Hyperliquid's 429 is not documented (docs/exchange-apis.md#hyperliquid-errors).
        return SimResponse::text("rate limited: 1200 weight per minute per IP", 429);
    }
    RateBudget &budget = bitunixBudget(request.path());
    if (budget.fits(1, now)) {
        budget.take(1, now);
        return std::nullopt;
    }
    ++m_refused[0];
    return SimResponse::json(R"({"code":10006,"msg":"Request too frequently","data":null})");
}

int SimRateLimits::used(SimExchange exchange)
{
    const qint64 now = m_clock();
    if (exchange == SimExchange::Hyperliquid)
        return m_hyperliquid.used(now);
    int busiest = 0;
    for (const auto &budget : std::as_const(m_bitunix))
        busiest = std::max(busiest, budget->used(now));
    return busiest;
}
