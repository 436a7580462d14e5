#pragma once

#include <QObject>

class QSocketNotifier;

// Quits the application's event loop on SIGINT or SIGTERM, through a pipe written by the handler (the one
// thing a signal handler may do) and read in the event loop: the headless runs then end the way they end
// normally, destructors and all.
class QuitOnSignals : public QObject
{
    Q_OBJECT
public:
    explicit QuitOnSignals(QObject *parent = nullptr);
    ~QuitOnSignals() override;

    bool isInstalled() const { return m_notifier != nullptr; }
    int lastSignal() const { return m_lastSignal; }

signals:
    void received(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
    int m_lastSignal = 0;
};
