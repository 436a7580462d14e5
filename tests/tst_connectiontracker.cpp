#include "net/connectiontracker.h"
#include "printers.h"

#include <QTest>

// The classification logic, fed the signal sequences Qt 6.4.2 was measured to deliver
// (docs/qt-networking.md#new-connection-signals).
class tst_ConnectionTracker : public QObject
{
    Q_OBJECT

private slots:
    void sequentialNewThenReused();
    void http1ColdBurstWithAlpnFallback();
    void http2ColdBurstSharesOneConnection();
    void resendOnNewConnectionCountsTwice();
    void resendAnnouncedToAnotherRequestCountsOnce();
    void failedHandshakeIsNew();
    void failedBeforeItWentOutIsUnknown();
    void plainHttpNewConnection();
    void plainHttpWithOthersAboutIsUnknown();
    void staleAnnouncementsAreForgottenWhenPoolIdles();
    void poolsAreSeparate();

private:
    static constexpr qint64 ms = 1'000'000; // ns
    static RequestSample finish(ConnectionTracker &tracker, quint64 id, qint64 t, bool http2 = false,
                                bool failed = false, bool tls = true);
    static void verifyPhases(const RequestSample &s);
};

RequestSample tst_ConnectionTracker::finish(ConnectionTracker &tracker, quint64 id, qint64 t, bool http2,
                                            bool failed, bool tls)
{
    RequestSample s;
    s.id = id;
    ConnectionTracker::Outcome outcome;
    outcome.tls = tls;
    outcome.http2 = http2;
    outcome.failed = failed;
    tracker.finish(id, t, outcome, &s);
    verifyPhases(s);
    return s;
}

void tst_ConnectionTracker::verifyPhases(const RequestSample &s)
{
    for (double phase : {s.queueMs(), s.connectMs(), s.waitMs(), s.downloadMs()})
        QVERIFY(phase >= 0);
    QVERIFY(qAbs(s.queueMs() + s.connectMs() + s.waitMs() + s.downloadMs() - s.totalMs()) < 1e-9);
}

void tst_ConnectionTracker::sequentialNewThenReused()
{
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.socketStartedConnecting(1, 1 * ms);
    tracker.encrypted(1, 101 * ms);
    tracker.requestSent(1, 102 * ms);
    tracker.headersReceived(1, 152 * ms);
    const RequestSample first = finish(tracker, 1, 153 * ms);
    QCOMPARE(first.connection, ConnectionKind::New);
    QCOMPARE(first.connectionsOpened, 1);
    QCOMPARE(first.connectStartMs, 1.0);
    QCOMPARE(first.tlsDoneMs, 101.0);
    QCOMPARE(first.requestSentMs, 102.0);
    QCOMPARE(first.firstByteMs, 152.0);
    QCOMPARE(first.finishedMs, 153.0);
    QCOMPARE(first.queueMs(), 2.0); // before connecting, and between handshake and send
    QCOMPARE(first.connectMs(), 100.0);
    QCOMPARE(first.waitMs(), 50.0);
    QCOMPARE(first.downloadMs(), 1.0);
    QCOMPARE(tracker.inFlight(), 0);

    tracker.created(2, "p", 200 * ms);
    tracker.requestSent(2, 200 * ms);
    tracker.headersReceived(2, 250 * ms);
    const RequestSample second = finish(tracker, 2, 250 * ms);
    QCOMPARE(second.connection, ConnectionKind::Reused);
    QCOMPARE(second.connectionsOpened, 0);
    QCOMPARE(second.connectStartMs, -1.0);
    QCOMPARE(second.tlsDoneMs, -1.0);
    QCOMPARE(second.waitMs(), 50.0);
}

void tst_ConnectionTracker::http1ColdBurstWithAlpnFallback()
{
    // Three GETs to a cold HTTP/1.1-only host with HTTP/2 allowed, over a 50 ms link: Qt opens one connection
    // to learn the protocol (announced to A), sends C on it without announcing the send, then opens two more
    // (both announced to A again); B waits for C's connection to free up; A gets the second; the third finds
    // no request.
    ConnectionTracker tracker;
    for (quint64 id : {1, 2, 3})
        tracker.created(id, "p|h2", 0);
    const quint64 a = 1, b = 2, c = 3;
    tracker.socketStartedConnecting(a, 0);
    tracker.encrypted(c, 100 * ms);
    tracker.socketStartedConnecting(a, 100 * ms);
    tracker.socketStartedConnecting(a, 100 * ms);
    tracker.headersReceived(c, 150 * ms);
    const RequestSample sc = finish(tracker, c, 150 * ms);
    tracker.requestSent(b, 150 * ms);
    tracker.headersReceived(b, 200 * ms);
    const RequestSample sb = finish(tracker, b, 200 * ms);
    tracker.encrypted(a, 200 * ms);
    tracker.requestSent(a, 200 * ms);
    tracker.headersReceived(a, 250 * ms);
    const RequestSample sa = finish(tracker, a, 250 * ms);

    QCOMPARE(sc.connection, ConnectionKind::New);
    QCOMPARE(sc.connectStartMs, 0.0);
    QCOMPARE(sc.tlsDoneMs, 100.0);
    QCOMPARE(sc.requestSentMs, 100.0); // inferred: sent as the handshake completed
    QCOMPARE(sb.connection, ConnectionKind::Queued);
    QCOMPARE(sb.connectMs(), 100.0); // waited for C's handshake...
    QCOMPARE(sb.queueMs(), 50.0); // ...then for C's response
    QCOMPARE(sa.connection, ConnectionKind::New);
    QCOMPARE(sa.connectStartMs, 100.0); // its own connection started when the protocol was known
    QCOMPARE(sa.connectMs(), 100.0);
    QCOMPARE(sa.queueMs(), 100.0);
    // Three connections reached the server; the announcements say so, though one of them served nobody.
    QCOMPARE(sa.connectionsOpened + sb.connectionsOpened + sc.connectionsOpened, 3);
    QCOMPARE(tracker.inFlight(), 0);
}

void tst_ConnectionTracker::http2ColdBurstSharesOneConnection()
{
    ConnectionTracker tracker;
    for (quint64 id : {1, 2, 3})
        tracker.created(id, "p|h2", 0);
    tracker.socketStartedConnecting(1, 0);
    tracker.encrypted(1, 100 * ms);
    for (quint64 id : {1, 2, 3})
        tracker.requestSent(id, 100 * ms);
    QList<RequestSample> samples;
    for (quint64 id : {1, 2, 3}) {
        tracker.headersReceived(id, 150 * ms);
        samples.append(finish(tracker, id, 151 * ms, true));
    }
    QCOMPARE(samples[0].connection, ConnectionKind::New);
    QCOMPARE(samples[1].connection, ConnectionKind::Shared);
    QCOMPARE(samples[2].connection, ConnectionKind::Shared);
    for (const RequestSample &s : samples) {
        QVERIFY(s.paidHandshake());
        QCOMPARE(s.connectMs(), 100.0);
        QCOMPARE(s.waitMs(), 50.0);
    }
    QCOMPARE(samples[0].connectionsOpened + samples[1].connectionsOpened + samples[2].connectionsOpened, 1);

    // A later stream on the same connection is simply reused.
    tracker.created(4, "p|h2", 300 * ms);
    tracker.requestSent(4, 300 * ms);
    QCOMPARE(finish(tracker, 4, 350 * ms, true).connection, ConnectionKind::Reused);
}

void tst_ConnectionTracker::resendOnNewConnectionCountsTwice()
{
    // A kept-alive connection died under the request; Qt resent it on a new one without announcing the
    // socket.
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.requestSent(1, 1 * ms);
    tracker.encrypted(1, 101 * ms);
    tracker.requestSent(1, 101 * ms);
    tracker.headersReceived(1, 151 * ms);
    const RequestSample s = finish(tracker, 1, 151 * ms);
    QCOMPARE(s.connection, ConnectionKind::New);
    QVERIFY(s.resent);
    QCOMPARE(s.connectionsOpened, 1);
    QCOMPARE(s.connectStartMs, 1.0);
    QCOMPARE(s.requestSentMs, 101.0);
}

void tst_ConnectionTracker::resendAnnouncedToAnotherRequestCountsOnce()
{
    // A's kept-alive connection died under it; Qt reconnects for A and announces the socket to B, queued
    // behind. A's handshake claims that announcement: one connection, counted once (B holds the count).
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.created(2, "p", 0);
    tracker.requestSent(1, 1 * ms);
    tracker.socketStartedConnecting(2, 2 * ms);
    tracker.encrypted(1, 102 * ms);
    tracker.requestSent(1, 102 * ms);
    tracker.headersReceived(1, 152 * ms);
    const RequestSample a = finish(tracker, 1, 152 * ms);
    tracker.requestSent(2, 152 * ms);
    tracker.headersReceived(2, 202 * ms);
    const RequestSample b = finish(tracker, 2, 202 * ms);
    QCOMPARE(a.connection, ConnectionKind::New);
    QCOMPARE(b.connection, ConnectionKind::Queued);
    QCOMPARE(a.connectionsOpened + b.connectionsOpened, 1);
}

void tst_ConnectionTracker::failedHandshakeIsNew()
{
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.socketStartedConnecting(1, 1 * ms);
    const RequestSample s = finish(tracker, 1, 60 * ms, false, true);
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(s.connectionsOpened, 1);
    QCOMPARE(s.connectMs(), 59.0);
    QCOMPARE(s.requestSentMs, -1.0);
}

void tst_ConnectionTracker::failedBeforeItWentOutIsUnknown()
{
    // A transfer timeout while it waited in the queue: Qt never said it went out on any connection.
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    const RequestSample s = finish(tracker, 1, 10'000 * ms, false, true);
    QCOMPARE(s.connection, ConnectionKind::Unknown);
    QVERIFY(!s.paidHandshake());
    QCOMPARE(s.connectMs(), 0.0);
    QCOMPARE(s.queueMs(), 10'000.0);

    // The same on a connection that answered nothing: it went out, so it was reused.
    tracker.created(2, "p", 0);
    tracker.requestSent(2, 1 * ms);
    QCOMPARE(finish(tracker, 2, 10'000 * ms, false, true).connection, ConnectionKind::Reused);
}

void tst_ConnectionTracker::plainHttpNewConnection()
{
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.socketStartedConnecting(1, 0);
    tracker.requestSent(1, 50 * ms);
    tracker.headersReceived(1, 100 * ms);
    const RequestSample s = finish(tracker, 1, 100 * ms, false, false, false);
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(s.connectMs(), 50.0);
}

void tst_ConnectionTracker::plainHttpWithOthersAboutIsUnknown()
{
    // Two plain-HTTP requests at once: Qt announces both sockets to the head of the queue, and without a
    // handshake signal nothing says which request took which socket, or whether one went out on an idle one.
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.created(2, "p", 0);
    tracker.socketStartedConnecting(1, 0);
    tracker.requestSent(2, 40 * ms);
    tracker.socketStartedConnecting(1, 40 * ms);
    tracker.requestSent(1, 50 * ms);
    tracker.headersReceived(2, 90 * ms);
    const RequestSample second = finish(tracker, 2, 90 * ms, false, false, false);
    tracker.headersReceived(1, 100 * ms);
    const RequestSample first = finish(tracker, 1, 100 * ms, false, false, false);
    QCOMPARE(first.connection, ConnectionKind::Unknown);
    QCOMPARE(second.connection, ConnectionKind::Unknown);
    QCOMPARE(first.connectionsOpened + second.connectionsOpened, 2);

    // Alone again on a warm connection: reused, and sure of it.
    tracker.created(3, "p", 200 * ms);
    tracker.requestSent(3, 200 * ms);
    QCOMPARE(finish(tracker, 3, 250 * ms, false, false, false).connection, ConnectionKind::Reused);
}

void tst_ConnectionTracker::staleAnnouncementsAreForgottenWhenPoolIdles()
{
    ConnectionTracker tracker;
    tracker.created(1, "p", 0);
    tracker.socketStartedConnecting(1, 0);
    tracker.socketStartedConnecting(1, 0); // a second socket that never served anyone
    tracker.encrypted(1, 100 * ms);
    tracker.requestSent(1, 100 * ms);
    QCOMPARE(finish(tracker, 1, 150 * ms).connectionsOpened, 2);

    // Minutes later a new connection, announced to nobody: its connect starts at its own creation.
    tracker.created(2, "p", 120'000 * ms);
    tracker.encrypted(2, 120'100 * ms);
    tracker.requestSent(2, 120'100 * ms);
    const RequestSample s = finish(tracker, 2, 120'150 * ms);
    QCOMPARE(s.connection, ConnectionKind::New);
    QCOMPARE(s.connectStartMs, 0.0);
    QCOMPARE(s.connectMs(), 100.0);
}

void tst_ConnectionTracker::poolsAreSeparate()
{
    ConnectionTracker tracker;
    tracker.created(1, "a", 0);
    tracker.created(2, "b", 0);
    tracker.socketStartedConnecting(1, 0);
    tracker.encrypted(1, 100 * ms);
    tracker.requestSent(1, 100 * ms);
    tracker.requestSent(2, 120 * ms); // on an idle connection of its own pool
    QCOMPARE(finish(tracker, 1, 150 * ms).connection, ConnectionKind::New);
    QCOMPARE(finish(tracker, 2, 150 * ms).connection, ConnectionKind::Reused);
}

QTEST_GUILESS_MAIN(tst_ConnectionTracker)
#include "tst_connectiontracker.moc"
