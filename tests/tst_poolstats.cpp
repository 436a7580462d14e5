#include "net/poolstats.h"

#include <QTest>

class tst_PoolStats : public QObject
{
    Q_OBJECT

private slots:
    void countsPerHostAndArm();
    void warmUpsOpenConnectionsButAreNotCalls();
    void emptyIsZero();

private:
    static RequestSample sample(const QString &host, ReuseMode arm, ConnectionKind kind, int opened);
};

RequestSample tst_PoolStats::sample(const QString &host, ReuseMode arm, ConnectionKind kind, int opened)
{
    RequestSample s;
    s.host = host;
    s.reuse = arm;
    s.connection = kind;
    s.connectionsOpened = opened;
    return s;
}

void tst_PoolStats::countsPerHostAndArm()
{
    PoolStats stats;
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::New, 3)); // announced three sockets
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::Queued, 0));
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::New, 0));
    for (int i = 0; i < 7; ++i)
        stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::Reused, 0));
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::Unknown, 0)); // a call, but not a reused one
    RequestSample failed = sample("a:443", ReuseMode::NoReuse, ConnectionKind::New, 1);
    failed.error = NetError::Timeout;
    stats.add(failed);
    stats.add(sample("b:443", ReuseMode::NoReuse, ConnectionKind::New, 1));

    const PoolCounts a = stats.counts("a:443", ReuseMode::Pooled);
    QCOMPARE(a.requests, 11);
    QCOMPARE(a.connectionsOpened, 3);
    QCOMPARE(a.reused, 7);
    QCOMPARE(a.reuseRate(), 7.0 / 11);
    QCOMPARE(a.handshakesAvoided(), 8);
    QCOMPARE(a.failed, 0);
    QCOMPARE(stats.counts("a:443", ReuseMode::NoReuse).failed, 1);

    const PoolCounts noReuse = stats.total(ReuseMode::NoReuse);
    QCOMPARE(noReuse.requests, 2);
    QCOMPARE(noReuse.connectionsOpened, 2);
    QCOMPARE(noReuse.handshakesAvoided(), 0);
    QCOMPARE(stats.hosts(), (QStringList {"a:443", "b:443"}));
}

void tst_PoolStats::warmUpsOpenConnectionsButAreNotCalls()
{
    PoolStats stats;
    RequestSample warm = sample("a:443", ReuseMode::Pooled, ConnectionKind::New, 1);
    warm.warmUp = true;
    stats.add(warm);
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::Reused, 0));
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::Reused, 0));
    const PoolCounts a = stats.total(ReuseMode::Pooled);
    QCOMPARE(a.requests, 2);
    QCOMPARE(a.connectionsOpened, 1);
    QCOMPARE(a.reuseRate(), 1.0);
    QCOMPARE(a.handshakesAvoided(), 1);
}

void tst_PoolStats::emptyIsZero()
{
    PoolStats stats;
    QCOMPARE(stats.total(ReuseMode::Pooled).reuseRate(), 0.0);
    QCOMPARE(stats.counts("x", ReuseMode::NoReuse).requests, 0);
    QVERIFY(stats.hosts().isEmpty());
    stats.add(sample("a:443", ReuseMode::Pooled, ConnectionKind::New, 1));
    stats.clear();
    QVERIFY(stats.hosts().isEmpty());
}

QTEST_GUILESS_MAIN(tst_PoolStats)
#include "tst_poolstats.moc"
