#pragma once

#include "refresh/demoexchanges.h"

#include <QObject>
#include <QProcess>

// exsim as a child process (the `exsim` executable), behind the same seam as ExsimThread: what the benchmark
// measures against by default, so that neither the simulator's CPU nor its threads are counted as the
// client's.
class ExsimProcess : public QObject, public DemoExchanges
{
    Q_OBJECT
public:
    explicit ExsimProcess(QObject *parent = nullptr);
    ~ExsimProcess() override; // ends it (SIGTERM, then SIGKILL), so that it removes its CA file

    // Starts `binary` and blocks until it has printed its endpoints, or failed to (at most startTimeoutMs).
    bool start(const QString &binary, const DemoConfig &config, QString *error = nullptr);
    DemoEndpoints endpoints() const override { return m_endpoints; }
    void setRttMs(double ms) override; // a command line on exsim's standard input
    double cpuMs() const override { return 0; } // another process's, never in this one's

    static constexpr int startTimeoutMs = 10'000;

private:
    QProcess m_process;
    DemoEndpoints m_endpoints;
};

// The benchmark's default: the exsim executable at `binary`, one process per session.
DemoStarter exsimProcessStarter(const QString &binary);
