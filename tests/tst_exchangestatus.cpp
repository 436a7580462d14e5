#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "net/httpclient.h"
#include "refresh/exchangestatus.h"

#include <QTest>

// What the status bar and the positions' empty state say, from the feeds' status alone.
class tst_ExchangeStatus : public QObject
{
    Q_OBJECT

private slots:
    void health_data();
    void health();
    void positionsNote_data();
    void positionsNote();
    void budgetLoopsOverTheExchanges();
};

namespace {

constexpr qint64 now = 1'000'000;
constexpr int cadenceMs = 2000; // stale after three: 6 s

struct Feeds
{
    FeedStatus feeds[dataKindCount];
    int cadences[dataKindCount] = {cadenceMs, cadenceMs, cadenceMs, cadenceMs};

    Feeds &succeeded(qint64 agoMs)
    {
        for (FeedStatus &f : feeds)
            f.lastSuccessMs = now - agoMs;
        return *this;
    }
    Feeds &set(DataKind kind, qint64 successAgoMs, FetchErrorKind error = FetchErrorKind::None,
               const QString &message = {})
    {
        FeedStatus &f = feeds[int(kind)];
        f.lastSuccessMs = successAgoMs < 0 ? 0 : now - successAgoMs;
        f.lastError = {error, message};
        return *this;
    }
    ExchangeStatus status(Exchange exchange = Exchange::Hyperliquid) const
    {
        return ExchangeStatus::from(exchange, feeds, cadences, now);
    }
};

} // namespace

Q_DECLARE_METATYPE(Feeds)

void tst_ExchangeStatus::health_data()
{
    QTest::addColumn<Feeds>("feeds");
    QTest::addColumn<int>("health");
    QTest::addColumn<QString>("figures");
    QTest::addColumn<QString>("detail");

    QTest::newRow("nothing yet") << Feeds() << int(ExchangeStatus::Health::Connecting)
                                 << QStringLiteral("HL connecting…") << QString();
    QTest::newRow("all fresh, newest counts")
        << Feeds().succeeded(4000).set(DataKind::Tickers, 1500) << int(ExchangeStatus::Health::Ok)
        << QStringLiteral("HL ok 1.5 s") << QString();
    QTest::newRow("one kind too old")
        << Feeds().succeeded(1000).set(DataKind::Account, 12'400) << int(ExchangeStatus::Health::Stale)
        << QStringLiteral("HL stale 12 s") << QString();
    QTest::newRow("failing with data kept")
        << Feeds().succeeded(1000).set(DataKind::Tickers, 9000, FetchErrorKind::Timeout,
                                       "timed out after 10 s")
        << int(ExchangeStatus::Health::Stale) << QStringLiteral("HL stale 9 s:")
        << QStringLiteral(" timed out after 10 s");
    QTest::newRow("failing from the start")
        << Feeds().set(DataKind::Tickers, -1, FetchErrorKind::Tls, "certificate not trusted")
        << int(ExchangeStatus::Health::Failing) << QStringLiteral("HL error:")
        << QStringLiteral(" certificate not trusted");
    QTest::newRow("first error wins")
        << Feeds()
               .succeeded(500)
               .set(DataKind::Tickers, -1, FetchErrorKind::Http, "HTTP 502")
               .set(DataKind::Account, -1, FetchErrorKind::Parse, "not JSON")
        << int(ExchangeStatus::Health::Failing) << QStringLiteral("HL error:") << QStringLiteral(" HTTP 502");
    QTest::newRow("no credentials: public only")
        << Feeds()
               .succeeded(800)
               .set(DataKind::Positions, -1, FetchErrorKind::NoCredentials, "no key")
               .set(DataKind::Account, -1, FetchErrorKind::NoCredentials, "no key")
        << int(ExchangeStatus::Health::Ok) << QStringLiteral("HL ok 0.8 s")
        << QStringLiteral(" · public data only (no credentials)");
    QTest::newRow("no credentials and an error")
        << Feeds()
               .succeeded(800)
               .set(DataKind::Positions, -1, FetchErrorKind::NoCredentials, "no key")
               .set(DataKind::Tickers, -1, FetchErrorKind::Network, "connection refused")
        << int(ExchangeStatus::Health::Failing) << QStringLiteral("HL error:")
        << QStringLiteral(" connection refused · public data only (no credentials)");
}

void tst_ExchangeStatus::health()
{
    QFETCH(Feeds, feeds);
    QFETCH(int, health);
    QFETCH(QString, figures);
    QFETCH(QString, detail);
    const ExchangeStatus status = feeds.status();
    QCOMPARE(int(status.health()), health);
    QCOMPARE(status.figures(), figures);
    QCOMPARE(status.detail(), detail);
    QCOMPARE(feeds.status(Exchange::Bitunix).figures().left(3), QStringLiteral("BX "));
}

void tst_ExchangeStatus::positionsNote_data()
{
    QTest::addColumn<Feeds>("feeds");
    QTest::addColumn<bool>("hasPositions");
    QTest::addColumn<QString>("note");

    QTest::newRow("loading") << Feeds() << false << QStringLiteral("Hyperliquid: loading…");
    QTest::newRow("none open") << Feeds().succeeded(100) << false
                               << QStringLiteral("Hyperliquid: no open positions");
    QTest::newRow("shown: nothing to say") << Feeds().succeeded(100) << true << QString();
    QTest::newRow("no credentials") << Feeds().set(DataKind::Positions, -1, FetchErrorKind::NoCredentials,
                                                   "no address")
                                    << false
                                    << QStringLiteral("Hyperliquid: no credentials: open Settings (Ctrl+,)");
    QTest::newRow("failing, never loaded")
        << Feeds().set(DataKind::Positions, -1, FetchErrorKind::Auth, "signature rejected") << false
        << QStringLiteral("Hyperliquid: signature rejected");
    QTest::newRow("failing, rows kept")
        << Feeds().set(DataKind::Positions, 31'000, FetchErrorKind::Timeout, "timed out") << true
        << QStringLiteral("Hyperliquid: timed out (stale 31 s)");
    QTest::newRow("a long message is cut at 80")
        << Feeds().set(DataKind::Positions, -1, FetchErrorKind::Http, QString(200, QLatin1Char('x'))) << false
        << QStringLiteral("Hyperliquid: ") + QString(79, QLatin1Char('x')) + QChar(0x2026);
}

void tst_ExchangeStatus::positionsNote()
{
    QFETCH(Feeds, feeds);
    QFETCH(bool, hasPositions);
    QFETCH(QString, note);
    QCOMPARE(feeds.status().positionsNote(hasPositions), note);
}

void tst_ExchangeStatus::budgetLoopsOverTheExchanges()
{
    HttpClient http;
    BitunixClient bitunix(&http);
    HyperliquidClient hyperliquid(&http);
    Refresher refresher(&http);
    refresher.addClient(&bitunix);
    refresher.addClient(&hyperliquid);
    refresher.setSharePercent(15);
    QCOMPARE(budgetText(refresher), QStringLiteral("Rate share 15 %: BX 0/1 calls/s · HL 0/180 weight/min"));
    const QString toolTip = budgetToolTip(refresher);
    QVERIFY2(toolTip.contains(QLatin1String("at most 15 %")), qPrintable(toolTip));
    QVERIFY2(toolTip.contains(QLatin1String("1 of Bitunix's 10 calls per second per endpoint")),
             qPrintable(toolTip));
    QVERIFY2(toolTip.contains(QLatin1String("180 of Hyperliquid's 1200 weight per minute per IP")),
             qPrintable(toolTip));
}

QTEST_GUILESS_MAIN(tst_ExchangeStatus)
#include "tst_exchangestatus.moc"
