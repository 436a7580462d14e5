#include "net/ratebudget.h"

#include <QTest>

class tst_RateBudget : public QObject
{
    Q_OBJECT

private slots:
    void slidingWindow();
    void nextFitIsWhenEnoughExpires();
    void hyperliquidArithmetic();
    void backoffGrowsAndHonoursRetryAfter();
};

void tst_RateBudget::slidingWindow()
{
    RateBudget budget(10, 1000);
    for (int i = 0; i < 10; ++i) {
        QVERIFY(budget.fits(1, 100 + i));
        budget.take(1, 100 + i);
    }
    QVERIFY(!budget.fits(1, 500));
    QCOMPARE(budget.used(500), 10);
    QVERIFY(!budget.fits(1, 1099)); // the first spend expires at 1100
    QVERIFY(budget.fits(1, 1100));
    QCOMPARE(budget.used(1105), 4); // spends at 106..109 remain
    QCOMPARE(budget.used(5000), 0);
}

void tst_RateBudget::nextFitIsWhenEnoughExpires()
{
    RateBudget budget(1200, 60'000);
    budget.take(600, 0);
    budget.take(500, 10'000);
    budget.take(80, 20'000);
    QCOMPARE(budget.nextFit(20, 30'000), 30'000); // 1180 + 20 fits
    QCOMPARE(budget.nextFit(21, 30'000), 60'000); // needs the first spend gone
    QCOMPARE(budget.nextFit(700, 30'000), 70'000); // needs the first two gone
    QCOMPARE(budget.nextFit(1200, 30'000), 80'000);
    QVERIFY(budget.fits(1200, 80'000));
}

void tst_RateBudget::hyperliquidArithmetic()
{
    // docs/exchange-apis.md#hyperliquid-rate-limits: metaAndAssetCtxs (20) + two weight-2 calls every 2 s
    // fits; every second does not.
    RateBudget everyTwoSeconds(1200, 60'000), everySecond(1200, 60'000);
    int delayed = 0;
    for (qint64 t = 0; t < 120'000; t += 1000) {
        for (int weight : {20, 2, 2}) {
            if (t % 2000 == 0) {
                QVERIFY(everyTwoSeconds.fits(weight, t));
                everyTwoSeconds.take(weight, t);
            }
            if (everySecond.fits(weight, t))
                everySecond.take(weight, t);
            else
                ++delayed;
        }
    }
    QVERIFY(delayed > 0);
}

void tst_RateBudget::backoffGrowsAndHonoursRetryAfter()
{
    Backoff backoff;
    QCOMPARE(backoff.fail(-1, 0.5), Backoff::baseMs); // jitter factor 1.0
    QCOMPARE(backoff.fail(-1, 0.5), 2 * Backoff::baseMs);
    QCOMPARE(backoff.fail(-1, 0.0), 2 * Backoff::baseMs); // 4 s, halved by jitter
    QCOMPARE(backoff.fail(30'000, 0.0), 30'000); // never shorter than Retry-After
    for (int i = 0; i < 20; ++i)
        QVERIFY(backoff.fail(-1, 0.999) <= qint64(Backoff::maxMs * 1.5));
    QCOMPARE(backoff.failures(), 24);
    backoff.succeed();
    QCOMPARE(backoff.fail(-1, 0.5), Backoff::baseMs);
}

QTEST_GUILESS_MAIN(tst_RateBudget)
#include "tst_ratebudget.moc"
