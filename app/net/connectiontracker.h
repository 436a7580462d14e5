#pragma once

#include "requestsample.h"

#include <QByteArray>
#include <QHash>

#include <deque>

// Works out which request paid for which connection, from the per-reply signals Qt 6.4 gives.
//
// Qt announces a new socket (socketStartedConnecting) to whichever request heads the queue at that moment,
// which is often not the request that ends up on the socket, and a socket that finds no request left is
// visible to the server but to no reply. encrypted() goes to the request actually sent on a new TLS
// connection. So requests are classified from encrypted() and from handshakes that completed while they
// waited; where the signals leave it open (plain HTTP with other requests about, a request that failed
// before Qt said it went out), the kind is Unknown rather than a guess. Connection counts come from the
// socket announcements, wherever they landed, plus the handshakes of sockets announced to nobody (Qt's own
// resends). tst_connectiontruth holds every kind against the server's view. All times are steadyNowNs()
// nanoseconds.
class ConnectionTracker
{
public:
    // pool: the connection pool the request goes to (Qt keeps one per manager, origin and HTTP/2
    // permission).
    void created(quint64 id, const QByteArray &pool, qint64 t);
    void socketStartedConnecting(quint64 id, qint64 t);
    void encrypted(quint64 id, qint64 t);
    void requestSent(quint64 id, qint64 t);
    void headersReceived(quint64 id, qint64 t);

    struct Outcome
    {
        bool tls = false; // https: a new connection announces itself with encrypted()
        bool http2 = false;
        bool failed = false;
    };
    // Fills the sample's connection kind, connection count, resend flag and time marks; forgets the request.
    void finish(quint64 id, qint64 t, const Outcome &outcome, RequestSample *sample);

    int inFlight() const { return int(m_requests.size()); }

private:
    struct Timeline
    {
        QByteArray pool;
        qint64 created = 0;
        qint64 ownSocketStart = -1;
        qint64 connectStart = -1;
        qint64 tlsDone = -1;
        qint64 lastSent = -1;
        qint64 firstByte = -1;
        int socketStarts = 0; // announcements received, for whichever request's socket
        bool announcedAlone = false; // no other request was in its pool at its first announcement
        int unannouncedConnections = 0; // handshakes of sockets announced to no request
        int sends = 0;
    };
    struct Pool
    {
        std::deque<qint64> socketStarts;
        std::deque<qint64> unclaimedSocketStarts; // not yet matched with a completed handshake
        std::deque<qint64> handshakesDone;
        int inFlight = 0;
    };

    QHash<quint64, Timeline> m_requests;
    QHash<QByteArray, Pool> m_pools;
};
