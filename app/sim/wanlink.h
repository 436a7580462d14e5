#pragma once

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <random>

class QTcpSocket;

// A user-space WAN link in front of a loopback server (these machines have no netem): every chunk is
// delivered RTT/2 (give or take half the jitter) after it was read, in order, both ways, and a new
// connection's first client bytes wait one more RTT, as a TCP handshake would make them. Closing travels the
// same way.
class WanLink : public QObject
{
    Q_OBJECT
public:
    explicit WanLink(QObject *parent = nullptr);
    ~WanLink() override;

    // Listens on 127.0.0.1:port (0 picks one) and relays to upstream on 127.0.0.1.
    bool listen(quint16 upstreamPort, quint16 port = 0);
    QString errorString() const { return m_listener.errorString(); }
    quint16 port() const { return m_listener.serverPort(); }

    // Changes apply to chunks read from now on.
    void setRttMs(double ms) { m_rttMs = std::max(0.0, ms); }
    double rttMs() const { return m_rttMs; }
    void setJitterMs(double ms) { m_jitterMs = std::max(0.0, ms); }
    double jitterMs() const { return m_jitterMs; }

    // One chunk's delay, drawn anew each call.
    double oneWayDelayMs();

    int acceptedConnections() const { return m_accepted; }
    int openConnections() const { return m_open; }

private:
    class Pipe;
    class Relay;
    void onNewConnection();
    double nowMs() const { return double(m_clock.nsecsElapsed()) / 1e6; }

    QTcpServer m_listener;
    quint16 m_upstreamPort = 0;
    QElapsedTimer m_clock;
    std::mt19937 m_random {std::random_device {}()};
    double m_rttMs = 0;
    double m_jitterMs = 0;
    int m_accepted = 0;
    int m_open = 0;
};
