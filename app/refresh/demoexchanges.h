#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

// What a session in demo mode asks of the simulated exchanges.
struct DemoConfig
{
    double rttMs = 50; // the emulated network round trip
    double jitterMs = 0; // per direction, the spread of the delay around half the RTT
    bool http2 = true;
    // The real exchanges' rate limits. Off for benchmarks and tests that send as fast as they can.
    bool enforceRateLimits = true;
    quint16 bitunixPort = 0; // 0 picks a free one
    bool fullMarket = false; // as many markets as the real exchanges list, instead of the demo's two dozen
};

// What a client needs to talk to the simulated exchanges.
struct DemoEndpoints
{
    QUrl bitunix;
    QUrl hyperliquid;
    QSslCertificate ca; // trusted for these two origins alone
    QByteArray bitunixApiKey;
    QByteArray bitunixApiSecret;
    QString hyperliquidAddress;
};

// The simulated exchanges behind demo mode, as a Session sees them. The simulator is a library of its own
// (exdash_sim, whose ExsimThread implements this): what runs live compiles and links without it.
class DemoExchanges
{
public:
    virtual ~DemoExchanges() = default;
    virtual DemoEndpoints endpoints() const = 0;
    virtual void setRttMs(double ms) = 0; // takes effect for what is sent from now on
    // CPU time the simulator has used: what a benchmark subtracts to get the client's own.
    virtual double cpuMs() const = 0;
};

// Starts the simulated exchanges, or says why not. Whoever links the simulator hands one to the Session.
using DemoStarter = std::function<std::unique_ptr<DemoExchanges>(const DemoConfig &config, QString *error)>;
