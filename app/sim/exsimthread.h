#pragma once

#include "exsim.h"
#include "refresh/demoexchanges.h"

#include <QObject>
#include <QThread>

#include <ctime>

// exsim inside the app (demo mode): in a thread of its own, so that neither the GUI nor the network thread
// ever delays the simulated exchange.
class ExsimThread : public QObject, public DemoExchanges
{
    Q_OBJECT
public:
    explicit ExsimThread(QObject *parent = nullptr);
    ~ExsimThread() override;

    // Blocks until exsim listens (or failed to).
    bool start(const ExsimOptions &options, QString *error = nullptr);
    DemoEndpoints endpoints() const override { return m_endpoints; }

    // Thread-safe; take effect for what is sent from now on.
    void setRttMs(double ms) override;
    void setFault(SimExchange exchange, const Fault &fault);
    // SimMarket::holdPrice and releasePrice, in exsim's thread; they take effect before the next answer.
    void holdPrice(const QString &base, double price);
    void releasePrice(const QString &base);

    double cpuMs() const override; // of the simulator's thread

private:
    QThread m_thread;
    QObject m_anchor; // lives in m_thread: what calls into it are queued to
    Exsim *m_exsim = nullptr;
    DemoEndpoints m_endpoints;
    clockid_t m_cpuClock {};
    bool m_hasCpuClock = false;
};

ExsimOptions exsimOptionsFor(const DemoConfig &config);
// What demo mode runs on: exsim in a thread of its own.
DemoStarter exsimStarter();
