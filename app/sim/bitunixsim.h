#pragma once

#include "http1parser.h"
#include "httpsserver.h"

#include <QByteArray>
#include <QList>
#include <QString>

class SimMarket;

// Bitunix futures REST as exsim serves it: the public market endpoints, and the signed position and account
// endpoints of one demo account, verified like the exchange does (docs/exchange-apis.md, the Bitunix
// sections).
class BitunixSim
{
public:
    static constexpr qint64 maxClockSkewMs = 60'000;
    static constexpr double maintenanceMarginRate = 0.005;
    static constexpr int fundingIntervalHours = 8;

    BitunixSim(const SimMarket *market, const QByteArray &apiKey, const QByteArray &secret);

    SimResponse handle(const SimRequest &request, qint64 nowMs) const;

    QByteArray apiKey() const { return m_apiKey; }
    QByteArray secret() const { return m_secret; }

    static SimResponse error(int code, const QString &message);

private:
    struct Position
    {
        QString positionId;
        QString symbol;
        bool isLong = true;
        double qty = 0;
        double entry = 0;
        int leverage = 10;
        bool isolated = false;
        qint64 createdMs = 0;
    };

    SimResponse tickers(const SimRequest &request) const;
    SimResponse tradingPairs(const SimRequest &request) const;
    SimResponse fundingRates(const QString &symbol, qint64 nowMs) const; // empty symbol: every contract
    SimResponse pendingPositions(const SimRequest &request, qint64 nowMs) const;
    SimResponse account(const SimRequest &request) const;
    // Empty when the request is signed correctly; otherwise the exchange's answer.
    std::optional<SimResponse> rejectUnsigned(const SimRequest &request, qint64 nowMs) const;

    double markOf(const Position &p) const;
    double unrealizedPnl(const Position &p) const;
    double positionMargin(const Position &p) const { return p.qty * p.entry / p.leverage; }
    double available() const;

    const SimMarket *m_market;
    QByteArray m_apiKey;
    QByteArray m_secret;
    double m_collateral = 10'000;
    QList<Position> m_positions;
};
