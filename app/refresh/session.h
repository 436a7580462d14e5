#pragma once

#include "alerts/alerts.h"
#include "config/credentialstore.h"
#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "net/httpclient.h"
#include "refresh/demoexchanges.h"
#include "refresh/refresher.h"

#include <QObject>

#include <memory>

// What one run of exdash talks to, and how.
struct SessionConfig
{
    bool demo = true; // the simulated exchanges in-process, with their demo credentials
    DemoConfig exsim; // demo only
    QUrl bitunixUrl = QUrl(QString::fromLatin1(BitunixClient::defaultUrl)); // live
    QUrl hyperliquidUrl = QUrl(QString::fromLatin1(HyperliquidClient::mainnetUrl)); // live
    QString caFile; // live: extra CAs for both origins
    BitunixCredentials bitunix; // live
    QString hyperliquidAddress; // live
    QStringList watchlist;
    int sharePercent = PollPlan::defaultSharePercent; // of each exchange's rate limit; sets the cadences
    int cadenceMs[dataKindCount] = {}; // > 0: overrides the share's cadence (tests)
    ReuseMode reuse = ReuseMode::Pooled;
    int timeoutMs = HttpClient::defaultTimeoutMs;
    // false: no credentials at all, so positions and account are never fetched (the probe without
    // --probe-account).
    bool accountData = true;
    AlertSettings alerts; // what an AlertMonitor over this session starts with
};

class Settings;
// Per direction, the spread of the delay around half the RTT, in the app's demo mode (tests and benchmarks
// keep exsim's 0).
constexpr double demoJitterMs = 3;
// What the user's settings ask for (command-line options override it afterwards).
SessionConfig configFromSettings(const Settings &settings);

// The data side of exdash, shared by the window, `--once` and `--bench`: the HttpClient, one client per
// exchange, the Refresher, and in demo mode the simulated exchanges that startDemo starts (without it, a
// session can only run live).
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(DemoStarter startDemo = {}, QObject *parent = nullptr);
    ~Session() override;

    bool start(const SessionConfig &config, QString *error = nullptr);
    const SessionConfig &config() const { return m_config; }
    bool isDemo() const { return m_config.demo; }

    HttpClient *http() { return m_http.get(); }
    BitunixClient *bitunix() { return m_bitunix.get(); }
    HyperliquidClient *hyperliquid() { return m_hyperliquid.get(); }
    QList<ExchangeClient *> clients() { return {m_bitunix.get(), m_hyperliquid.get()}; }
    Refresher *refresher() { return m_refresher.get(); }
    DemoExchanges *demo() { return m_demo.get(); } // null in live mode

    void setDemoRttMs(double ms);

private:
    DemoStarter m_startDemo;
    SessionConfig m_config;
    std::unique_ptr<DemoExchanges> m_demo;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<BitunixClient> m_bitunix;
    std::unique_ptr<HyperliquidClient> m_hyperliquid;
    std::unique_ptr<Refresher> m_refresher;
};
