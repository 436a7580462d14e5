#pragma once

#include "bitunixsim.h"
#include "democa.h"
#include "fault.h"
#include "hyperliquidsim.h"
#include "simmarket.h"
#include "simratelimits.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>

class HttpsServer;
class WanLink;

struct ExsimOptions
{
    double rttMs = 50;
    double jitterMs = 0;
    int serverMs = 0; // processing time per request
    bool http2 = true;
    int keepAliveSeconds = 60;
    int maxRequestsPerConnection = 0; // 0: no cap
    quint16 bitunixPort = 0; // the public (WAN link) ports; 0 picks free ones
    quint16 hyperliquidPort = 0;
    Fault bitunixFault;
    Fault hyperliquidFault;
    int tickMs = 1000; // how often the market moves
    quint32 seed = 0; // 0: random
    bool fullMarket = false; // the real exchanges' universe sizes instead of the demo's two dozen assets
    // Hyperliquid's 1200 weight/min per IP and Bitunix's 10 req/s per endpoint (SimRateLimits). Off for
    // benchmarks and tests that send as fast as they can.
    bool enforceRateLimits = true;
};

// exsim: Bitunix and Hyperliquid on loopback, each on its own HTTPS origin behind an emulated WAN link, with
// a moving market, one demo account per exchange and switchable faults. Lives in the thread that creates it.
class Exsim : public QObject
{
    Q_OBJECT
public:
    explicit Exsim(const ExsimOptions &options = {}, QObject *parent = nullptr);
    ~Exsim() override;

    bool start(QString *error = nullptr);

    QUrl url(SimExchange exchange) const; // what clients use: through the WAN link
    QSslCertificate ca() const { return m_certificates.ca; }
    QByteArray caPem() const { return m_certificates.caPem; }
    QByteArray bitunixApiKey() const { return m_bitunix->apiKey(); }
    QByteArray bitunixApiSecret() const { return m_bitunix->secret(); }
    QString hyperliquidAddress() const { return m_hyperliquid->demoAddress(); }
    // The line `exsim` prints: base URLs, CA file, demo credentials and address.
    QJsonObject describe(const QString &caFile) const;

    void setRttMs(double ms);
    double rttMs() const { return m_options.rttMs; }
    void setJitterMs(double ms);
    void setServerMs(int ms) { m_options.serverMs = std::max(0, ms); }
    int serverMs() const { return m_options.serverMs; }
    void setFault(SimExchange exchange, const Fault &fault);
    Fault fault(SimExchange exchange) const;

    HttpsServer *server(SimExchange exchange) const;
    WanLink *link(SimExchange exchange) const;
    SimMarket &market() { return m_market; }
    SimRateLimits &rateLimits() { return *m_rateLimits; }
    void setRateLimitsEnforced(bool enforced) { m_options.enforceRateLimits = enforced; }
    // The rate limits' clock (monotonic ms), for tests that move time by hand; resets what was counted.
    void setRateLimitClock(std::function<qint64()> clockMs);

signals:
    void faultChanged(SimExchange exchange, const Fault &fault);

private:
    SimResponse answer(SimExchange exchange, const SimRequest &request);
    std::optional<SimResponse> control(SimExchange exchange, const SimRequest &request);

    ExsimOptions m_options;
    DemoCertificates m_certificates;
    SimMarket m_market;
    std::unique_ptr<BitunixSim> m_bitunix;
    std::unique_ptr<HyperliquidSim> m_hyperliquid;
    std::unique_ptr<SimRateLimits> m_rateLimits;
    std::unique_ptr<HttpsServer> m_servers[2];
    std::unique_ptr<WanLink> m_links[2];
    QTimer m_ticker;
    QElapsedTimer m_sinceTick;
};
