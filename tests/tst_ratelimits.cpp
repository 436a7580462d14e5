#include "liveexsim.h"

#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "net/httpclient.h"
#include "net/ratebudget.h"
#include "refresh/pollplan.h"
#include "refresh/session.h"
#include "sim/simratelimits.h"

#include <QEventLoop>
#include <QTimer>
#include <QtTest>

#include <atomic>
#include <memory>

// What exdash takes of the exchanges' rate limits, which belong to the trader: the share's arithmetic, exsim
// enforcing the real limits, and a trading bot on the same IP that never sees a 429 because exdash is open.
class tst_RateLimits : public QObject
{
    Q_OBJECT

private slots:
    void hyperliquidRefusesPastTheWeightPerMinute();
    void bitunixRefusesPastTenPerSecondPerEndpoint();
    void refusalsReachTheClientsAsRateLimits();
    void defaultShareCadences();
    void planStaysWithinTheShare_data();
    void planStaysWithinTheShare();
    void botBesideExdash_data();
    void botBesideExdash();
};

namespace {

SimRequest info(const char *type)
{
    SimRequest r;
    r.method = "POST";
    r.target = "/info";
    r.body = QByteArray(R"({"type":")") + type + "\"}";
    return r;
}

SimRequest get(const QByteArray &target)
{
    SimRequest r;
    r.target = target;
    return r;
}

// docs/exchange-apis.md#hyperliquid-rate-limits, as exdash's Hyperliquid client counts it, one data kind at a
// time.
int weightPerMinute(const ExchangeClient &client, int sharePercent)
{
    double perMinute = 0;
    for (DataKind kind : allDataKinds)
        perMinute += 60'000.0 / PollPlan::cadenceMs(kind, sharePercent) * client.weight(kind);
    return int(std::ceil(perMinute));
}

} // namespace

void tst_RateLimits::hyperliquidRefusesPastTheWeightPerMinute()
{
    qint64 now = 0;
    SimRateLimits limits([&] { return now; });
    QCOMPARE(SimRateLimits::hyperliquidWeight(info("allMids")), 2);
    QCOMPARE(SimRateLimits::hyperliquidWeight(info("clearinghouseState")), 2);
    QCOMPARE(SimRateLimits::hyperliquidWeight(info("spotClearinghouseState")), 2);
    QCOMPARE(SimRateLimits::hyperliquidWeight(info("metaAndAssetCtxs")), 20);
    QCOMPARE(SimRateLimits::hyperliquidWeight(info("userRole")), 60);
    QCOMPARE(SimRateLimits::hyperliquidWeight(get("/info")), 20); // no body: the default weight

    for (int i = 0; i < 59; ++i)
        QVERIFY(!limits.admit(SimExchange::Hyperliquid, info("metaAndAssetCtxs")));
    QCOMPARE(limits.used(SimExchange::Hyperliquid), 1180);
    for (int i = 0; i < 10; ++i)
        QVERIFY(!limits.admit(SimExchange::Hyperliquid, info("allMids")));
    const std::optional<SimResponse> refused = limits.admit(SimExchange::Hyperliquid, info("allMids"));
    QVERIFY(refused);
    QCOMPARE(refused->status, 429);
    QCOMPARE(limits.refused(SimExchange::Hyperliquid), 1);
    QCOMPARE(limits.used(SimExchange::Hyperliquid), 1200); // a refusal costs nothing
    now = 59'999;
    QVERIFY(limits.admit(SimExchange::Hyperliquid, info("allMids"))); // still the same minute
    now = 60'000; // a minute after the first calls: all their weight is free again
    QVERIFY(!limits.admit(SimExchange::Hyperliquid, info("metaAndAssetCtxs")));
    QCOMPARE(limits.used(SimExchange::Hyperliquid), 20);
    QCOMPARE(limits.refused(SimExchange::Hyperliquid), 2);
    QCOMPARE(limits.refused(SimExchange::Bitunix), 0);
}

void tst_RateLimits::bitunixRefusesPastTenPerSecondPerEndpoint()
{
    qint64 now = 0;
    SimRateLimits limits([&] { return now; });
    const QByteArray tickers = "/api/v1/futures/market/tickers?symbols=BTCUSDT";
    const QByteArray funding = "/api/v1/futures/market/funding_rate/batch";
    for (int i = 0; i < 10; ++i)
        QVERIFY(!limits.admit(SimExchange::Bitunix, get(tickers)));
    const std::optional<SimResponse> refused = limits.admit(SimExchange::Bitunix, get(tickers));
    QVERIFY(refused);
    QCOMPARE(refused->status, 200); // Bitunix says it inside the envelope
    QCOMPARE(QJsonDocument::fromJson(refused->body).object().value(QStringLiteral("code")).toInt(), 10006);
    // Per endpoint: the query does not make another one, another path does.
    QVERIFY(limits.admit(SimExchange::Bitunix, get("/api/v1/futures/market/tickers")));
    QVERIFY(!limits.admit(SimExchange::Bitunix, get(funding)));
    now = 1'000;
    QVERIFY(!limits.admit(SimExchange::Bitunix, get(tickers)));
    QCOMPARE(limits.refused(SimExchange::Bitunix), 2);
}

// Through exsim and the real clients: a refusal is a rate limit to back off from, not an error to show as
// broken data.
void tst_RateLimits::refusalsReachTheClientsAsRateLimits()
{
    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    qint64 now = 0;
    live.exsim().setRateLimitClock([&] { return now; });
    Session session;
    QVERIFY2(session.start(live.config(), &error), qPrintable(error));

    // Spend Hyperliquid's whole minute and Bitunix's whole second on the funding endpoint first.
    for (int i = 0; i < 60; ++i)
        QVERIFY(!live.exsim().rateLimits().admit(SimExchange::Hyperliquid, info("metaAndAssetCtxs")));
    for (int i = 0; i < 10; ++i)
        QVERIFY(!live.exsim().rateLimits().admit(SimExchange::Bitunix,
                                                 get("/api/v1/futures/market/funding_rate/batch")));

    for (ExchangeClient *client : session.clients()) {
        QSignalSpy fetched(client, &ExchangeClient::fetched);
        client->fetch(DataKind::MarketStats);
        QVERIFY(fetched.wait());
        const FetchError result = fetched.first().at(2).value<FetchError>();
        QCOMPARE(result.kind, FetchErrorKind::RateLimit);
        QVERIFY(result.backOff());
    }
    QCOMPARE(live.exsim().rateLimits().refused(SimExchange::Hyperliquid), 1);
    QCOMPARE(live.exsim().rateLimits().refused(SimExchange::Bitunix), 1);
}

void tst_RateLimits::defaultShareCadences()
{
    QCOMPARE(PollPlan::defaultSharePercent, 15);
    QCOMPARE(PollPlan::cadenceMs(DataKind::Tickers, 15), 2'000);
    QCOMPARE(PollPlan::cadenceMs(DataKind::MarketStats, 15), 15'000);
    QCOMPARE(PollPlan::cadenceMs(DataKind::Positions, 15), 10'000);
    QCOMPARE(PollPlan::cadenceMs(DataKind::Account, 15), 10'000);

    const PollPlan::Limit hyperliquid = PollPlan::share({HyperliquidClient::weightPerMinute, 60'000}, 15);
    QCOMPARE(hyperliquid.capacity, 180);
    QCOMPARE(hyperliquid.windowMs, 60'000);
    const PollPlan::Limit bitunix = PollPlan::share({BitunixClient::requestsPerSecondPerEndpoint, 1'000}, 15);
    QCOMPARE(bitunix.capacity, 1); // 10 % of 10 per second
    QCOMPARE(bitunix.windowMs, 1'000);
    const PollPlan::Limit bitunixAt5 =
        PollPlan::share({BitunixClient::requestsPerSecondPerEndpoint, 1'000}, 5);
    QCOMPARE(bitunixAt5.capacity, 1); // half a call per second is one call per two seconds
    QCOMPARE(bitunixAt5.windowMs, 2'000);
    QCOMPARE(PollPlan::clampShare(0), 5);
    QCOMPARE(PollPlan::clampShare(400), 100);
}

void tst_RateLimits::planStaysWithinTheShare_data()
{
    QTest::addColumn<int>("share");
    for (int share = PollPlan::minSharePercent; share <= PollPlan::maxSharePercent; share += 5)
        QTest::addRow("%d %%", share) << share;
    QTest::addRow("7 %%") << 7;
    QTest::addRow("33 %%") << 33;
}

// The cadences a share gives spend less than the share's budget (with room for a retry), so the budget only
// ever catches what the cadences did not plan for: retries and the user's Refresh.
void tst_RateLimits::planStaysWithinTheShare()
{
    QFETCH(int, share);
    HttpClient http;
    const HyperliquidClient hyperliquid(&http);
    const BitunixClient bitunix(&http);

    const PollPlan::Limit hl = PollPlan::share({HyperliquidClient::weightPerMinute, 60'000}, share);
    QCOMPARE(hl.windowMs, 60'000);
    QVERIFY(hl.capacity <= HyperliquidClient::weightPerMinute * share / 100);
    const int spent = weightPerMinute(hyperliquid, share);
    QVERIFY2(spent <= hl.capacity * 92 / 100,
             qPrintable(QStringLiteral("%1 of %2 weight/min").arg(spent).arg(hl.capacity)));

    const PollPlan::Limit bx = PollPlan::share({BitunixClient::requestsPerSecondPerEndpoint, 1'000}, share);
    QVERIFY(double(bx.capacity) / bx.windowMs
            <= BitunixClient::requestsPerSecondPerEndpoint / 1000.0 * share / 100);
    for (DataKind kind : allDataKinds) {
        // Each kind is its own Bitunix endpoint, one call per cadence.
        QCOMPARE(bitunix.weight(kind), 1);
        QVERIFY(double(bitunix.weight(kind)) / PollPlan::cadenceMs(kind, share)
                <= double(bx.capacity) / bx.windowMs);
    }
    // Prices never slower than every 2 s from the default share up.
    if (share >= PollPlan::defaultSharePercent)
        QVERIFY(PollPlan::cadenceMs(DataKind::Tickers, share) <= 2'000);
}

void tst_RateLimits::botBesideExdash_data()
{
    QTest::addColumn<int>("share");
    QTest::addColumn<bool>("botIsRefused");
    QTest::newRow("default share: the bot is never refused") << PollPlan::defaultSharePercent << false;
    // The control: taking as much as exdash used to (over 600 weight/min) starves the bot. Without this row
    // the first could pass merely because the bot alone fits.
    QTest::newRow("100 %: the bot is refused") << 100 << true;
}

// A trading bot on the same machine spends 1000 of Hyperliquid's 1200 weight per minute, in a steady mix of
// weight-2 and weight-20 calls, while exdash runs beside it at a given share. Three minutes pass on one
// clock that exdash's Refresher, the bot and exsim's limits all read, moved by hand: every request is
// answered before time moves on, so exsim counts each at the moment it was sent, and the outcome cannot
// depend on how busy this machine is.
void tst_RateLimits::botBesideExdash()
{
    QFETCH(int, share);
    QFETCH(bool, botIsRefused);

    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    std::atomic<qint64> now {0};
    live.exsim().setRateLimitClock([&] { return now.load(); });

    SessionConfig config = live.configWithCredentials(live.exsim().bitunixApiSecret());
    config.sharePercent = share;
    Session session;
    QVERIFY2(session.start(config, &error), qPrintable(error));
    Refresher *refresher = session.refresher();
    refresher->setClock([&] { return now.load(); });
    refresher->setWallClock([&] { return 1'800'000'000'000 + now.load(); });
    int exdashRefused = 0;
    QMap<QString, int> exdashCalls;
    connect(session.http(), &HttpClient::sampleReady, this, [&](const RequestSample &s) {
        exdashCalls[s.exchange + QLatin1Char(' ') + s.endpoint] += 1;
        exdashRefused += s.httpStatus == 429 ? 1 : 0;
    });

    // The bot: a client of its own (its own connections), well-behaved by itself: never over 1000 weight in
    // any minute by its own count, which is exsim's.
    HttpClient bot;
    bot.setCaCertificates(config.hyperliquidUrl, {live.exsim().ca()});
    RateBudget botBudget(1000, 60'000);
    int botInFlight = 0;
    int botSent = 0;
    int botRefused = 0;
    int botFailed = 0;
    auto botSend = [&](const char *type) {
        HttpRequest r;
        r.exchange = QStringLiteral("bot");
        r.endpoint = QString::fromLatin1(type);
        r.method = "POST";
        r.url = config.hyperliquidUrl.resolved(QUrl(QStringLiteral("/info")));
        r.headers = {{"Content-Type", "application/json"}};
        r.body = QByteArray(R"({"type":")") + type + "\"}";
        r.allowHttp2 = false;
        ++botInFlight;
        ++botSent;
        bot.send(r, this, [&](const HttpResponse &response) {
            --botInFlight;
            if (response.sample.httpStatus == 429)
                ++botRefused;
            else if (!response.ok())
                ++botFailed;
        });
    };
    // 250 weight-2 calls and 25 weight-20 calls a minute: one every 240 ms, one every 2.4 s.
    qint64 nextLight = 0;
    qint64 nextHeavy = 0;

    refresher->start();
    constexpr qint64 stepMs = 100;
    constexpr qint64 runMs = 180'000;
    bool hung = false;
    for (qint64 t = 0; t <= runMs && !hung; t += stepMs) {
        now = t;
        refresher->sendDueCalls();
        if (t >= nextHeavy && botBudget.fits(20, t)) {
            botBudget.take(20, t);
            botSend("metaAndAssetCtxs");
            nextHeavy += 2'400;
        }
        if (t >= nextLight && botBudget.fits(2, t)) {
            botBudget.take(2, t);
            botSend("allMids");
            nextLight += 240;
        }
        // Everything sent at t is answered at t.
        QTimer deadline;
        deadline.setSingleShot(true);
        deadline.start(20'000);
        while (refresher->inFlight() > 0 || botInFlight > 0) {
            if (!deadline.isActive()) {
                hung = true;
                break;
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
    }
    refresher->stop();
    QVERIFY2(!hung, "a request was not answered within 20 s");
    QCOMPARE(botFailed, 0);
    // The bot kept its pace: 1000 weight a minute, three minutes.
    QVERIFY2(botSent >= 3 * 275, qPrintable(QString::number(botSent)));

    const int hyperliquidRefused = live.exsim().rateLimits().refused(SimExchange::Hyperliquid);
    QCOMPARE(hyperliquidRefused, botRefused + exdashRefused);
    QCOMPARE(live.exsim().rateLimits().refused(SimExchange::Bitunix), 0);
    if (botIsRefused) {
        QVERIFY2(botRefused > 0,
                 qPrintable(QStringLiteral("exdash sent %1 allMids, %2 metaAndAssetCtxs")
                                .arg(exdashCalls.value(QStringLiteral("hyperliquid allMids")))
                                .arg(exdashCalls.value(QStringLiteral("hyperliquid metaAndAssetCtxs")))));
        return;
    }
    QCOMPARE(botRefused, 0);
    QCOMPARE(exdashRefused, 0);
    // And exdash still refreshed on its cadences for all three minutes: prices every 2 s, marks and funding
    // every 15 s, positions and account every 10 s.
    const auto calls = [&](const char *name) {
        return exdashCalls.value(QString::fromLatin1(name));
    };
    QVERIFY2(calls("hyperliquid allMids") >= runMs / 2'000,
             qPrintable(QString::number(calls("hyperliquid allMids"))));
    QVERIFY(calls("hyperliquid metaAndAssetCtxs") >= runMs / 15'000);
    QVERIFY(calls("hyperliquid clearinghouseState") >= runMs / 10'000);
    QVERIFY(calls("hyperliquid spotClearinghouseState") >= runMs / 10'000);
    QVERIFY(calls("bitunix tickers") >= runMs / 2'000);
    QVERIFY(calls("bitunix funding_rate") >= runMs / 15'000);
    for (Exchange e : {Exchange::Bitunix, Exchange::Hyperliquid}) {
        for (DataKind kind : allDataKinds)
            QVERIFY2(refresher->status(e, kind).lastError.ok(),
                     qPrintable(nameOf(e) + QLatin1Char(' ') + nameOf(kind) + QLatin1String(": ")
                                + refresher->status(e, kind).lastError.message));
    }
}

QTEST_GUILESS_MAIN(tst_RateLimits)
#include "tst_ratelimits.moc"
