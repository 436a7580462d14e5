#pragma once

#include "exsim.h"

#include <QObject>
#include <QSslCertificate>
#include <QThread>
#include <QUrl>

#include <ctime>

// What a client needs to talk to a running exsim.
struct ExsimEndpoints
{
    QUrl bitunix;
    QUrl hyperliquid;
    QSslCertificate ca;
    QByteArray bitunixApiKey;
    QByteArray bitunixApiSecret;
    QString hyperliquidAddress;
};

// exsim inside the app (demo mode): in a thread of its own, so that neither the GUI nor the network thread
// ever delays the simulated exchange.
class ExsimThread : public QObject
{
    Q_OBJECT
public:
    explicit ExsimThread(QObject *parent = nullptr);
    ~ExsimThread() override;

    // Blocks until exsim listens (or failed to).
    bool start(const ExsimOptions &options, QString *error = nullptr);
    ExsimEndpoints endpoints() const { return m_endpoints; }

    // Thread-safe; take effect for what is read from now on.
    void setRttMs(double ms);
    void setFault(SimExchange exchange, const Fault &fault);

    // CPU time the simulator's thread has used: what a benchmark subtracts to get the client's own.
    double cpuMs() const;

private:
    QThread m_thread;
    QObject m_anchor; // lives in m_thread: what calls into it are queued to
    Exsim *m_exsim = nullptr;
    ExsimEndpoints m_endpoints;
    clockid_t m_cpuClock {};
    bool m_hasCpuClock = false;
};
