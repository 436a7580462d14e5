#include "exchanges/bitunix/bitunixparser.h"
#include "exchanges/hyperliquid/hyperliquidparser.h"
#include "net/httpclient.h"
#include "sim/exsim.h"
#include "sim/simmarket.h"

#include <QEventLoop>
#include <QSet>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <memory>

// The simulated market: the demo's two dozen assets, and the full universe
// (docs/exchange-apis.md#hyperliquid-asset-contexts) with the real exchanges' sizes and delisted Hyperliquid
// assets, through exsim and the parsers.
class tst_SimMarket : public QObject
{
    Q_OBJECT

private slots:
    void demoIsUnchanged();
    void fullStartsWithTheDemo();
    void fullUniverseSize_data();
    void fullUniverseSize();
    void delistedAreSpreadAndFrozen();
    void namesAreUniqueAndLookLikeTickers();
    void pricesArePositiveAndSpread();
    void deterministicPerSeed();
    void exsimServesTheFullMarket();
    void aHeldPriceStaysUntilReleased();

private:
    struct Counts
    {
        int hyperliquid = 0;
        int delisted = 0;
        int bitunix = 0;
    };
    static Counts countsOf(const SimMarket &market);
    static HttpResponse call(HttpClient *client, const HttpRequest &request);
};

tst_SimMarket::Counts tst_SimMarket::countsOf(const SimMarket &market)
{
    Counts counts;
    for (const SimInstrument &in : market.instruments()) {
        counts.hyperliquid += in.hyperliquidName.isEmpty() ? 0 : 1;
        counts.delisted += !in.hyperliquidName.isEmpty() && in.delisted ? 1 : 0;
        counts.bitunix += in.bitunixSymbol.isEmpty() ? 0 : 1;
    }
    return counts;
}

HttpResponse tst_SimMarket::call(HttpClient *client, const HttpRequest &request)
{
    // A real event loop, not QTest::qWaitFor: that one sleeps between polls and holds up the in-process
    // exsim.
    HttpResponse result;
    QEventLoop loop;
    client->send(request, &loop, [&](const HttpResponse &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(20'000, &loop, [&loop, &request] {
        qWarning("no answer from %s", qPrintable(request.url.toString()));
        loop.quit();
    });
    loop.exec();
    return result;
}

void tst_SimMarket::demoIsUnchanged()
{
    const SimMarket demo(7);
    QCOMPARE(demo.instruments().size(), 25);
    const Counts counts = countsOf(demo);
    QCOMPARE(counts.hyperliquid, 25);
    QCOMPARE(counts.delisted, 1);
    QCOMPARE(counts.bitunix, 23);
    QVERIFY(demo.byName(QStringLiteral("MATIC")) && demo.byName(QStringLiteral("MATIC"))->delisted);
    QVERIFY(demo.bySymbol(QStringLiteral("1000PEPEUSDT")));
    QCOMPARE(demo.bySymbol(QStringLiteral("1000PEPEUSDT")), demo.byName(QStringLiteral("kPEPE")));

    const SimMarket explicitDemo(7, SimMarket::Size::Demo);
    QCOMPARE(explicitDemo.instruments().size(), demo.instruments().size());
    for (qsizetype i = 0; i < demo.instruments().size(); ++i)
        QCOMPARE(explicitDemo.instruments().at(i).open24h, demo.instruments().at(i).open24h);
}

void tst_SimMarket::fullStartsWithTheDemo()
{
    // The demo account's positions look their assets up by name: the demo's listings come first, as they
    // were, with the same seed's draws.
    const SimMarket demo(11, SimMarket::Size::Demo);
    const SimMarket full(11, SimMarket::Size::Full);
    QVERIFY(full.instruments().size() > demo.instruments().size());
    for (qsizetype i = 0; i < demo.instruments().size(); ++i) {
        const SimInstrument &d = demo.instruments().at(i);
        const SimInstrument &f = full.instruments().at(i);
        QCOMPARE(f.base, d.base);
        QCOMPARE(f.bitunixSymbol, d.bitunixSymbol);
        QCOMPARE(f.hyperliquidName, d.hyperliquidName);
        QCOMPARE(f.delisted, d.delisted);
        QCOMPARE(f.szDecimals, d.szDecimals);
        QCOMPARE(f.quotePrecision, d.quotePrecision);
        QCOMPARE(f.price, d.price);
        QCOMPARE(f.open24h, d.open24h);
        QCOMPARE(f.funding, d.funding);
        QCOMPARE(f.volatility, d.volatility);
    }
}

void tst_SimMarket::fullUniverseSize_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::newRow("1") << 1u;
    QTest::newRow("7") << 7u;
    QTest::newRow("4294967295") << 4294967295u;
}

void tst_SimMarket::fullUniverseSize()
{
    QFETCH(quint32, seed);
    const SimMarket full(seed, SimMarket::Size::Full);
    const Counts counts = countsOf(full);
    QVERIFY2(counts.hyperliquid >= 220, qPrintable(QString::number(counts.hyperliquid)));
    QVERIFY2(counts.delisted >= 30, qPrintable(QString::number(counts.delisted)));
    QVERIFY2(counts.bitunix >= 400, qPrintable(QString::number(counts.bitunix)));

    int both = 0;
    int hyperliquidOnly = 0;
    int bitunixOnly = 0;
    int thousand = 0;
    for (const SimInstrument &in : full.instruments()) {
        const bool onBitunix = !in.bitunixSymbol.isEmpty();
        const bool onHyperliquid = !in.hyperliquidName.isEmpty();
        QVERIFY2(onBitunix || onHyperliquid, qPrintable(in.base));
        both += onBitunix && onHyperliquid ? 1 : 0;
        hyperliquidOnly += !onBitunix && onHyperliquid && !in.delisted ? 1 : 0;
        bitunixOnly += onBitunix && !onHyperliquid ? 1 : 0;
        if (in.contractUnit != 1) {
            ++thousand;
            QCOMPARE(in.contractUnit, 1000.0);
            if (onBitunix)
                QCOMPARE(in.bitunixSymbol, QStringLiteral("1000%1USDT").arg(in.base));
            if (onHyperliquid)
                QCOMPARE(in.hyperliquidName, QStringLiteral("k%1").arg(in.base));
        } else {
            if (onBitunix)
                QCOMPARE(in.bitunixSymbol, in.base + QStringLiteral("USDT"));
            if (onHyperliquid)
                QCOMPARE(in.hyperliquidName, in.base);
        }
    }
    QVERIFY(both >= 150);
    QVERIFY(hyperliquidOnly >= 2);
    QVERIFY(bitunixOnly >= 100);
    QVERIFY2(thousand >= 5, qPrintable(QString::number(thousand)));
}

void tst_SimMarket::delistedAreSpreadAndFrozen()
{
    SimMarket full(3, SimMarket::Size::Full);
    QList<int> delistedAt; // Hyperliquid universe indices
    int index = 0;
    for (const SimInstrument &in : full.instruments()) {
        if (in.hyperliquidName.isEmpty())
            continue;
        if (in.delisted) {
            delistedAt.append(index);
            QVERIFY2(in.bitunixSymbol.isEmpty(), qPrintable(in.base));
            QCOMPARE(in.openInterest, 0.0);
            QCOMPARE(in.funding, 0.0);
        }
        ++index;
    }
    const int universe = index;
    // Every quarter of the universe holds some, none holds most.
    int quarters[4] = {};
    for (int at : std::as_const(delistedAt))
        ++quarters[at * 4 / universe];
    for (int quarter = 0; quarter < 4; ++quarter) {
        QVERIFY2(quarters[quarter] >= delistedAt.size() / 8,
                 qPrintable(QStringLiteral("quarter %1: %2 of %3")
                                .arg(quarter)
                                .arg(quarters[quarter])
                                .arg(delistedAt.size())));
        QVERIFY(quarters[quarter] <= delistedAt.size() / 2);
    }

    QList<double> before;
    for (const SimInstrument &in : full.instruments())
        before.append(in.price);
    full.tick(60);
    int moved = 0;
    for (qsizetype i = 0; i < full.instruments().size(); ++i) {
        const SimInstrument &in = full.instruments().at(i);
        if (in.delisted)
            QCOMPARE(in.price, before.at(i));
        else
            moved += in.price != before.at(i) ? 1 : 0;
    }
    QVERIFY(moved > 400);
}

void tst_SimMarket::namesAreUniqueAndLookLikeTickers()
{
    const SimMarket full(5, SimMarket::Size::Full);
    QSet<QString> bases;
    QSet<QString> symbols;
    QSet<QString> names;
    for (const SimInstrument &in : full.instruments()) {
        QVERIFY2(!bases.contains(in.base), qPrintable(in.base));
        bases.insert(in.base);
        QVERIFY2(in.base.size() >= 2 && in.base.size() <= 8, qPrintable(in.base));
        for (QChar c : in.base)
            QVERIFY2(c.isUpper() || c.isDigit(), qPrintable(in.base));
        if (!in.bitunixSymbol.isEmpty()) {
            QVERIFY2(!symbols.contains(in.bitunixSymbol), qPrintable(in.bitunixSymbol));
            symbols.insert(in.bitunixSymbol);
            QVERIFY(full.bySymbol(in.bitunixSymbol) == &in);
        }
        if (!in.hyperliquidName.isEmpty()) {
            QVERIFY2(!names.contains(in.hyperliquidName), qPrintable(in.hyperliquidName));
            names.insert(in.hyperliquidName);
            QVERIFY(full.byName(in.hyperliquidName) == &in);
        }
    }
}

void tst_SimMarket::pricesArePositiveAndSpread()
{
    SimMarket full(9, SimMarket::Size::Full);
    for (int round = 0; round < 2; ++round) {
        double lowest = INFINITY;
        double highest = 0;
        QSet<int> szDecimals;
        QSet<int> quotePrecisions;
        QSet<int> leverages;
        for (const SimInstrument &in : full.instruments()) {
            for (double price : {in.price, in.open24h, in.high24h, in.low24h, in.bitunixMark(),
                                 in.hyperliquidMark(), in.hyperliquidOracle()})
                QVERIFY2(std::isfinite(price) && price > 0, qPrintable(in.base));
            QVERIFY2(in.low24h <= in.price && in.price <= in.high24h, qPrintable(in.base));
            QVERIFY(std::isfinite(in.baseVolume24h) && in.baseVolume24h >= 0);
            QVERIFY(std::isfinite(in.openInterest) && in.openInterest >= 0);
            QVERIFY(std::isfinite(in.funding) && std::abs(in.funding) < 0.001);
            QVERIFY(in.szDecimals >= 0 && in.szDecimals <= 5);
            QVERIFY(in.quotePrecision >= 1 && in.quotePrecision <= 8);
            QVERIFY(in.basePrecision >= 0 && in.basePrecision <= 4);
            if (!in.delisted)
                QVERIFY2(in.baseVolume24h > 0 && in.openInterest > 0, qPrintable(in.base));
            lowest = std::min(lowest, in.price);
            highest = std::max(highest, in.price);
            szDecimals.insert(in.szDecimals);
            quotePrecisions.insert(in.quotePrecision);
            leverages.insert(in.maxLeverage);
        }
        QVERIFY2(lowest < 1e-4, qPrintable(QString::number(lowest)));
        QVERIFY2(highest > 1e4, qPrintable(QString::number(highest)));
        QCOMPARE(szDecimals.size(), 6); // 0 to 5
        QVERIFY(quotePrecisions.size() >= 6);
        QVERIFY(leverages.size() >= 4);
        full.tick(3600);
    }
}

void tst_SimMarket::deterministicPerSeed()
{
    SimMarket a(42, SimMarket::Size::Full);
    SimMarket b(42, SimMarket::Size::Full);
    const SimMarket other(43, SimMarket::Size::Full);
    a.tick(5);
    b.tick(5);
    QCOMPARE(a.instruments().size(), b.instruments().size());
    QCOMPARE(a.instruments().size(), other.instruments().size());
    int differ = 0;
    for (qsizetype i = 0; i < a.instruments().size(); ++i) {
        const SimInstrument &x = a.instruments().at(i);
        const SimInstrument &y = b.instruments().at(i);
        QCOMPARE(x.base, y.base);
        QCOMPARE(x.bitunixSymbol, y.bitunixSymbol);
        QCOMPARE(x.hyperliquidName, y.hyperliquidName);
        QCOMPARE(x.delisted, y.delisted);
        QCOMPARE(x.szDecimals, y.szDecimals);
        QCOMPARE(x.quotePrecision, y.quotePrecision);
        QCOMPARE(x.basePrecision, y.basePrecision);
        QCOMPARE(x.maxLeverage, y.maxLeverage);
        QCOMPARE(x.price, y.price);
        QCOMPARE(x.open24h, y.open24h);
        QCOMPARE(x.baseVolume24h, y.baseVolume24h);
        QCOMPARE(x.openInterest, y.openInterest);
        QCOMPARE(x.funding, y.funding);
        // Another seed: the same universe (as a real exchange's on a given day), other draws.
        const SimInstrument &z = other.instruments().at(i);
        QCOMPARE(z.base, x.base);
        QCOMPARE(z.hyperliquidName, x.hyperliquidName);
        QCOMPARE(z.delisted, x.delisted);
        differ += z.open24h != x.open24h ? 1 : 0;
    }
    QVERIFY(differ > a.instruments().size() / 2);
}

void tst_SimMarket::exsimServesTheFullMarket()
{
    ExsimOptions options;
    options.rttMs = 0;
    options.seed = 17;
    options.fullMarket = true;
    Exsim exsim(options);
    QString error;
    QVERIFY2(exsim.start(&error), qPrintable(error));
    HttpClient client;
    for (SimExchange exchange : {SimExchange::Bitunix, SimExchange::Hyperliquid})
        client.setCaCertificates(exsim.url(exchange), {exsim.ca()});
    const SimMarket &market = exsim.market();
    QList<const SimInstrument *> onHyperliquid;
    QSet<QString> onBitunix;
    for (const SimInstrument &in : market.instruments()) {
        if (!in.hyperliquidName.isEmpty())
            onHyperliquid.append(&in);
        if (!in.bitunixSymbol.isEmpty())
            onBitunix.insert(in.bitunixSymbol);
    }

    HttpRequest info;
    info.exchange = QStringLiteral("hyperliquid");
    info.endpoint = QStringLiteral("metaAndAssetCtxs");
    info.method = "POST";
    info.url = exsim.url(SimExchange::Hyperliquid).resolved(QUrl(QStringLiteral("/info")));
    info.headers = {{"Content-Type", "application/json"}};
    info.body = R"({"type":"metaAndAssetCtxs"})";
    const HttpResponse meta = call(&client, info);
    QVERIFY2(meta.ok(), qPrintable(meta.sample.errorText));
    const Parsed<QList<Ticker>> assets = HyperliquidParser::metaAndAssetCtxs(meta.body);
    QVERIFY2(assets.ok(), qPrintable(assets.error));
    QCOMPARE(assets.value.size(), onHyperliquid.size());
    QVERIFY(assets.value.size() >= 220);
    int delisted = 0;
    for (qsizetype i = 0; i < assets.value.size(); ++i) {
        const Ticker &t = assets.value.at(i);
        QCOMPARE(t.symbol, onHyperliquid.at(i)->hyperliquidName);
        QCOMPARE(t.delisted, onHyperliquid.at(i)->delisted);
        QCOMPARE(t.sizeDecimals, onHyperliquid.at(i)->szDecimals);
        QVERIFY2(t.mark.isValid() && t.mark.value > 0, qPrintable(t.symbol + QLatin1Char(' ') + t.mark.text));
        QVERIFY2(t.last.isValid() && t.last.value > 0, qPrintable(t.symbol));
        QVERIFY2(t.open24h.isValid() && t.open24h.value > 0, qPrintable(t.symbol));
        delisted += t.delisted ? 1 : 0;
    }
    QVERIFY(delisted >= 30);

    HttpRequest tickers;
    tickers.exchange = QStringLiteral("bitunix");
    tickers.endpoint = QStringLiteral("tickers");
    tickers.url =
        exsim.url(SimExchange::Bitunix).resolved(QUrl(QStringLiteral("/api/v1/futures/market/tickers")));
    const HttpResponse answer = call(&client, tickers);
    QVERIFY2(answer.ok(), qPrintable(answer.sample.errorText));
    const Parsed<QList<Ticker>> parsed = BitunixParser::tickers(answer.body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.size(), onBitunix.size());
    QVERIFY(parsed.value.size() >= 400);
    QSet<QString> seen;
    for (const Ticker &t : parsed.value) {
        QVERIFY2(onBitunix.contains(t.symbol), qPrintable(t.symbol));
        seen.insert(t.symbol);
        QVERIFY2(t.mark.isValid() && t.mark.value > 0, qPrintable(t.symbol + QLatin1Char(' ') + t.mark.text));
        QVERIFY2(t.last.isValid() && t.last.value > 0, qPrintable(t.symbol));
    }
    QCOMPARE(seen.size(), parsed.value.size());
}

void tst_SimMarket::aHeldPriceStaysUntilReleased()
{
    SimMarket market(7);
    QVERIFY(market.holdPrice(QStringLiteral("BTC"), 12345));
    const double otherBefore = market.byName(QStringLiteral("ETH"))->price;
    for (int i = 0; i < 100; ++i)
        market.tick(1);
    QCOMPARE(market.byName(QStringLiteral("BTC"))->price, 12345.0);
    QVERIFY(market.byName(QStringLiteral("ETH"))->price != otherBefore); // the rest moves on
    QVERIFY(market.releasePrice(QStringLiteral("BTC")));
    market.tick(1);
    QVERIFY(market.byName(QStringLiteral("BTC"))->price != 12345.0);
    QVERIFY(!market.holdPrice(QStringLiteral("NOPE"), 1));
    QVERIFY(!market.holdPrice(QStringLiteral("BTC"), 0));
    QVERIFY(!market.holdPrice(QStringLiteral("BTC"), -1));
    QVERIFY(!market.holdPrice(QStringLiteral("BTC"), std::nan("")));
    QVERIFY(!market.releasePrice(QStringLiteral("NOPE")));
}

QTEST_GUILESS_MAIN(tst_SimMarket)
#include "tst_simmarket.moc"
