#pragma once

#include "http1parser.h"
#include "httpsserver.h"

#include <QJsonObject>
#include <QList>
#include <QString>

class SimMarket;
struct SimInstrument;

// Hyperliquid's POST /info as exsim serves it (docs/exchange-apis.md, the Hyperliquid sections): market data
// for every perp, and one demo user's perp and spot state, with the exchange's own margin, ROE and
// liquidation formulas.
class HyperliquidSim
{
public:
    HyperliquidSim(const SimMarket *market, const QString &demoAddress);

    SimResponse handle(const SimRequest &request, qint64 nowMs) const;
    QString demoAddress() const { return m_address; }

    static SimResponse unprocessable();
    // Hyperliquid's documented formula: mark - side * marginAvailable / |szi| / (1 - side /
    // maintenanceLeverage), with maintenance leverage twice the asset's maximum. <= 0 means none.
    static double liquidationPrice(double mark, double szi, double marginAvailable, int maxLeverage);

private:
    struct Position
    {
        QString coin;
        double szi = 0; // signed size
        double entry = 0;
        int leverage = 10;
        bool isolated = false;
        double isolatedMargin = 0; // rawUsd = isolatedMargin - szi * entry
        double fundingSinceOpen = 0;
    };

    QJsonObject meta() const;
    QJsonArray assetContexts() const;
    QJsonObject allMids() const;
    QJsonObject clearinghouseState(const QString &user, qint64 nowMs) const;
    QJsonObject spotMeta() const;
    QJsonObject spotClearinghouseState(const QString &user) const;

    double markOf(const Position &p) const;
    int maxLeverageOf(const Position &p) const;

    const SimMarket *m_market;
    QString m_address;
    double m_crossCollateral = 5'000; // USDC
    QList<Position> m_positions;
};
