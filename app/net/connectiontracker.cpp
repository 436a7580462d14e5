#include "connectiontracker.h"

#include <algorithm>

namespace {

// A pool drops its event history whenever it has no request in flight; this only bounds a pool that never
// idles.
constexpr size_t maxPoolEvents = 64;

void pushBounded(std::deque<qint64> &events, qint64 t)
{
    events.push_back(t);
    if (events.size() > maxPoolEvents)
        events.pop_front();
}

double msSince(qint64 origin, qint64 t)
{
    return t < 0 ? -1.0 : double(t - origin) / 1e6;
}

} // namespace

void ConnectionTracker::created(quint64 id, const QByteArray &pool, qint64 t)
{
    Timeline timeline;
    timeline.pool = pool;
    timeline.created = t;
    m_requests.insert(id, timeline);
    ++m_pools[pool].inFlight;
}

void ConnectionTracker::socketStartedConnecting(quint64 id, qint64 t)
{
    auto it = m_requests.find(id);
    if (it == m_requests.end())
        return;
    Pool &pool = m_pools[it->pool];
    ++it->socketStarts;
    if (it->ownSocketStart < 0) {
        it->ownSocketStart = t;
        it->announcedAlone = pool.inFlight == 1;
    }
    pushBounded(pool.unclaimedSocketStarts, t);
    pushBounded(pool.socketStarts, t);
}

void ConnectionTracker::encrypted(quint64 id, qint64 t)
{
    auto it = m_requests.find(id);
    if (it == m_requests.end())
        return;
    Pool &pool = m_pools[it->pool];
    // Connections to one host finish their handshakes in the order they started, so this one is the oldest
    // announced and unclaimed, if any. Qt announces the socket of a resend to whichever request is queued:
    // with none, the connection was announced to nobody, and this request counts it.
    const bool announced = !pool.unclaimedSocketStarts.empty() && pool.unclaimedSocketStarts.front() <= t;
    const qint64 socketStart = announced ? pool.unclaimedSocketStarts.front() : -1;
    if (announced)
        pool.unclaimedSocketStarts.pop_front();
    else
        ++it->unannouncedConnections;
    if (it->sends > 0) // a resend: its new socket started when the old one died
        it->connectStart = it->lastSent;
    else
        it->connectStart = std::max(it->created, socketStart);
    it->tlsDone = t;
    pushBounded(pool.handshakesDone, t);
}

void ConnectionTracker::requestSent(quint64 id, qint64 t)
{
    auto it = m_requests.find(id);
    if (it == m_requests.end())
        return;
    ++it->sends;
    it->lastSent = t;
}

void ConnectionTracker::headersReceived(quint64 id, qint64 t)
{
    auto it = m_requests.find(id);
    if (it != m_requests.end() && it->firstByte < 0)
        it->firstByte = t;
}

void ConnectionTracker::finish(quint64 id, qint64 t, const Outcome &outcome, RequestSample *sample)
{
    const Timeline tl = m_requests.take(id);
    Pool &pool = m_pools[tl.pool];

    qint64 connectStart = -1;
    qint64 tlsDone = -1;
    ConnectionKind kind = ConnectionKind::Reused;
    const qint64 sentOrEnd = tl.lastSent >= 0 ? tl.lastSent : t;

    const bool everSent = tl.lastSent >= 0 || tl.firstByte >= 0;
    const auto announcedMeanwhile = [&] {
        return std::any_of(pool.socketStarts.cbegin(), pool.socketStarts.cend(),
                           [&](qint64 start) { return start >= tl.created && start <= sentOrEnd; });
    };
    if (tl.tlsDone >= 0) {
        kind = ConnectionKind::New;
        connectStart = tl.connectStart;
        tlsDone = tl.tlsDone;
    } else if (!outcome.tls) {
        // Plain HTTP has no handshake signal: a socket announcement is all there is, and Qt gives it to
        // whichever request heads the queue. Only a request alone in its pool can be sure it was its own.
        if (tl.ownSocketStart >= 0 && tl.announcedAlone) {
            kind = ConnectionKind::New;
            connectStart = tl.ownSocketStart;
            tlsDone = sentOrEnd; // the connection was usable when the request went out
        } else if (announcedMeanwhile() || (!everSent && outcome.failed)) {
            kind = ConnectionKind::Unknown;
        }
    } else if (tl.ownSocketStart >= 0 && outcome.failed && tl.lastSent < 0) {
        // A failed handshake signals nothing either: the connection was given up when the request ended.
        kind = ConnectionKind::New;
        connectStart = tl.ownSocketStart;
        tlsDone = sentOrEnd;
    } else {
        const auto waitedFor =
            std::find_if(pool.handshakesDone.cbegin(), pool.handshakesDone.cend(),
                         [&](qint64 done) { return done > tl.created && done <= sentOrEnd; });
        if (waitedFor != pool.handshakesDone.cend()) {
            kind = outcome.http2 ? ConnectionKind::Shared : ConnectionKind::Queued;
            connectStart = tl.created;
            tlsDone = *waitedFor;
        } else if (!everSent && outcome.failed) {
            kind = ConnectionKind::Unknown; // it ended before Qt said it went out on any connection
        }
    }

    if (--pool.inFlight <= 0)
        m_pools.remove(tl.pool);

    // One monotonic clock and in-order delivery keep the marks ordered; clamping only guards the invariant
    // the phase arithmetic relies on.
    qint64 floor = tl.created;
    auto ordered = [&floor](qint64 mark) {
        if (mark < 0)
            return mark;
        floor = std::max(floor, mark);
        return floor;
    };
    connectStart = ordered(connectStart);
    tlsDone = ordered(tlsDone);
    qint64 sentMark = tl.lastSent;
    if (sentMark < 0 && tl.firstByte >= 0) {
        // Qt 6.4 does not announce the first request on a connection whose ALPN fell back to HTTP/1.1; it
        // goes out when the connection is ready.
        sentMark = tlsDone >= 0 ? tlsDone : tl.created;
    }
    const qint64 sent = ordered(sentMark);
    const qint64 firstByte = ordered(tl.firstByte);
    const qint64 finished = ordered(t);

    sample->startedAtSteadyNs = tl.created;
    sample->connection = kind;
    sample->connectionsOpened = tl.socketStarts + tl.unannouncedConnections;
    sample->resent = tl.sends > 1;
    sample->connectStartMs = msSince(tl.created, connectStart);
    sample->tlsDoneMs = msSince(tl.created, tlsDone);
    sample->requestSentMs = msSince(tl.created, sent);
    sample->firstByteMs = msSince(tl.created, firstByte);
    sample->finishedMs = msSince(tl.created, finished);
}
