#include "exchanges/bitunix/bitunixparser.h"
#include "exchanges/bitunix/bitunixsigner.h"
#include "jsonshape.h"
#include "sim/bitunixsim.h"
#include "sim/simmarket.h"

#include <QTest>

using Headers = QList<std::pair<QByteArray, QByteArray>>;

// The Bitunix simulator: answers shaped like the recorded samples, signatures verified like the exchange.
class tst_BitunixSim : public QObject
{
    Q_OBJECT

private slots:
    void shapesMatchSamples_data();
    void shapesMatchSamples();
    void tickersCoverTheMarket();
    void fundingRatesCoverTheMarket();
    void fundingOfOneSymbol();
    void signatureVectorsAreAccepted_data();
    void signatureVectorsAreAccepted();
    void rejections_data();
    void rejections();
    void positionsFollowTheMark();
    void unknownPathAndMethod();

private:
    static SimRequest get(const QByteArray &target,
                          const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    SimRequest signedGet(const QByteArray &target, qint64 timestamp) const;
    static QJsonObject body(const SimResponse &response);

    SimMarket m_market {42};
    BitunixSim m_sim {&m_market, "11111111111111111", "22222222222222222"};
    static constexpr qint64 vectorTime = 1747104711262;
};

SimRequest tst_BitunixSim::get(const QByteArray &target,
                               const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    SimRequest request;
    request.method = "GET";
    request.target = target;
    request.version = "HTTP/1.1";
    request.headers = headers;
    return request;
}

SimRequest tst_BitunixSim::signedGet(const QByteArray &target, qint64 timestamp) const
{
    const QByteArray nonce = BitunixSigner::makeNonce();
    const QByteArray ts = QByteArray::number(timestamp);
    SimRequest request = get(target);
    const QByteArray canonical = BitunixSigner::canonicalQuery(QUrlQuery(QString::fromUtf8(request.query())));
    request.headers = {
        {"api-key", m_sim.apiKey()},
        {"nonce", nonce},
        {"timestamp", ts},
        {"sign", BitunixSigner::sign(nonce, ts, m_sim.apiKey(), canonical, {}, m_sim.secret())}};
    return request;
}

QJsonObject tst_BitunixSim::body(const SimResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

void tst_BitunixSim::shapesMatchSamples_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("sample");
    QTest::newRow("tickers") << QByteArray("/api/v1/futures/market/tickers") << "bitunix-tickers.json";
    QTest::newRow("trading pairs") << QByteArray("/api/v1/futures/market/trading_pairs")
                                   << "bitunix-trading-pairs.json";
    QTest::newRow("positions") << QByteArray("/api/v1/futures/position/get_pending_positions")
                               << "bitunix-pending-positions.json";
    QTest::newRow("account") << QByteArray("/api/v1/futures/account?marginCoin=USDT")
                             << "bitunix-account.json";
    QTest::newRow("funding rate batch")
        << QByteArray("/api/v1/futures/market/funding_rate/batch") << "bitunix-funding-rate-batch.json";
    QTest::newRow("funding rate of one symbol")
        << QByteArray("/api/v1/futures/market/funding_rate?symbol=ETHUSDT")
        << "bitunix-funding-rate-batch.json";
}

void tst_BitunixSim::shapesMatchSamples()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, sample);
    const SimResponse response = m_sim.handle(signedGet(target, vectorTime), vectorTime);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.contentType, QByteArray("application/json"));
    const QStringList differences =
        jsonShapeDifferences(jsonShape(testData(sample)), jsonShape(response.body));
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(QLatin1Char('\n'))));
}

void tst_BitunixSim::tickersCoverTheMarket()
{
    const QJsonArray all = body(m_sim.handle(get("/api/v1/futures/market/tickers"), vectorTime))
                               .value(QStringLiteral("data"))
                               .toArray();
    QVERIFY(all.size() >= 20);
    for (const QJsonValue &ticker : all) {
        const QJsonObject t = ticker.toObject();
        bool ok = false;
        QVERIFY(t.value(QStringLiteral("markPrice")).toString().toDouble(&ok) > 0 && ok);
        const double last = t.value(QStringLiteral("lastPrice")).toString().toDouble();
        QVERIFY(t.value(QStringLiteral("low")).toString().toDouble() <= last);
        QVERIFY(t.value(QStringLiteral("high")).toString().toDouble() >= last);
        // quoteVol is in coins, baseVol in USDT: their ratio is about the price.
        const double ratio = t.value(QStringLiteral("baseVol")).toString().toDouble()
            / t.value(QStringLiteral("quoteVol")).toString().toDouble();
        QVERIFY2(qAbs(ratio / last - 1) < 0.01, qPrintable(t.value(QStringLiteral("symbol")).toString()));
    }
    const QJsonArray some =
        body(m_sim.handle(get("/api/v1/futures/market/tickers?symbols=BTCUSDT,ETHUSDT"), vectorTime))
            .value(QStringLiteral("data"))
            .toArray();
    QCOMPARE(some.size(), 2);
}

void tst_BitunixSim::fundingRatesCoverTheMarket()
{
    constexpr qint64 interval = 8 * 3'600'000;
    for (qint64 now :
         {vectorTime, (vectorTime / interval) * interval, (vectorTime / interval + 1) * interval - 1}) {
        const SimResponse response = m_sim.handle(get("/api/v1/futures/market/funding_rate/batch"), now);
        QCOMPARE(response.status, 200);
        const auto parsed = BitunixParser::fundingRates(response.body);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        const QJsonArray raw = body(response).value(QStringLiteral("data")).toArray();
        QCOMPARE(raw.size(), parsed.value.size());

        QSet<QString> listed;
        for (const SimInstrument &in : m_market.instruments()) {
            if (!in.bitunixSymbol.isEmpty())
                listed.insert(in.bitunixSymbol);
        }
        QSet<QString> served;
        int differing = 0;
        for (qsizetype i = 0; i < parsed.value.size(); ++i) {
            const BitunixParser::FundingRate &f = parsed.value.at(i);
            served.insert(f.symbol);
            const SimInstrument *in = m_market.bySymbol(f.symbol);
            QVERIFY(in);
            // Settlements at 00:00, 08:00, 16:00 UTC: the next one strictly after now.
            QCOMPARE(f.nextFundingMs % interval, 0);
            QVERIFY(f.nextFundingMs > now && f.nextFundingMs <= now + interval);
            QCOMPARE(f.intervalHours, 8);
            // Hyperliquid's hourly rate over 8 h, a little apart.
            const double hyperliquid8h = in->funding * 8;
            QVERIFY2(qAbs(f.rate.value - hyperliquid8h) < 0.0006, qPrintable(f.symbol));
            differing += qAbs(f.rate.value - hyperliquid8h) > 1e-7 ? 1 : 0;
            QVERIFY(qAbs(f.markPrice.value / in->bitunixMark() - 1) < 1e-3);
            const QJsonObject o = raw.at(i).toObject();
            QCOMPARE(o.value(QStringLiteral("maxFundingRate")).toString(), QStringLiteral("0.3"));
            QCOMPARE(o.value(QStringLiteral("minFundingRate")).toString(), QStringLiteral("-0.3"));
            QVERIFY(o.value(QStringLiteral("nextFundingTime")).isString());
            QVERIFY(o.value(QStringLiteral("fundingInterval")).isDouble());
        }
        QCOMPARE(served, listed);
        QVERIFY(differing > parsed.value.size() / 2);
    }
}

void tst_BitunixSim::fundingOfOneSymbol()
{
    const QJsonArray all = body(m_sim.handle(get("/api/v1/futures/market/funding_rate/batch"), vectorTime))
                               .value(QStringLiteral("data"))
                               .toArray();
    QJsonObject eth;
    for (const QJsonValue &value : all) {
        if (value.toObject().value(QStringLiteral("symbol")).toString() == QLatin1String("ETHUSDT"))
            eth = value.toObject();
    }
    QVERIFY(!eth.isEmpty());
    // The docs show a one-element array, with the same fields as the batch.
    const QJsonObject one =
        body(m_sim.handle(get("/api/v1/futures/market/funding_rate?symbol=ETHUSDT"), vectorTime));
    QCOMPARE(one.value(QStringLiteral("code")).toInt(-1), 0);
    QCOMPARE(one.value(QStringLiteral("data")).toArray(), QJsonArray {eth});

    const SimResponse unknown =
        m_sim.handle(get("/api/v1/futures/market/funding_rate?symbol=NOPEUSDT"), vectorTime);
    QCOMPARE(unknown.status, 200);
    const auto rejected = BitunixParser::fundingRates(unknown.body);
    QCOMPARE(rejected.apiCode, 20001);
    QCOMPARE(rejected.error, QStringLiteral("bitunix 20001: Market not exists"));
    QCOMPARE(BitunixParser::classify(rejected.apiCode), BitunixParser::ErrorKind::BadSymbol);

    const QJsonObject missing = body(m_sim.handle(get("/api/v1/futures/market/funding_rate"), vectorTime));
    QCOMPARE(missing.value(QStringLiteral("code")).toInt(), 10002);

    SimRequest post = get("/api/v1/futures/market/funding_rate/batch");
    post.method = "POST";
    QCOMPARE(m_sim.handle(post, vectorTime).status, 405);
}

void tst_BitunixSim::signatureVectorsAreAccepted_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("sign");
    QTest::newRow("A account") << QByteArray("/api/v1/futures/account?marginCoin=USDT")
                               << QByteArray(
                                      "40e87256554e263e39201a3979469b7fbb640d1c7c41759abf5c6a18f937f922");
    QTest::newRow("C1 positions of a symbol")
        << QByteArray("/api/v1/futures/position/get_pending_positions?symbol=BTCUSDT")
        << QByteArray("6f8329604cbd2411e5aa4d9a5744d85628eee57220aa4f744057f5bdcef51651");
    QTest::newRow("C2 all positions")
        << QByteArray("/api/v1/futures/position/get_pending_positions")
        << QByteArray("9fff1056eaf83fdbbd3e0f4a23e49c5155a48e4f2940223f5aef8ed1da217a8e");
}

void tst_BitunixSim::signatureVectorsAreAccepted()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, sign);
    const SimRequest request = get(target,
                                   {{"api-key", "11111111111111111"},
                                    {"nonce", "33333333333333333"},
                                    {"timestamp", "1747104711262"},
                                    {"sign", sign}});
    const QJsonObject answer = body(m_sim.handle(request, vectorTime));
    QCOMPARE(answer.value(QStringLiteral("code")).toInt(-1), 0);
    QCOMPARE(answer.value(QStringLiteral("msg")).toString(), QStringLiteral("Success"));
    QVERIFY(answer.value(QStringLiteral("data")).isArray());
}

void tst_BitunixSim::rejections_data()
{
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("code");
    const QByteArray signA = "40e87256554e263e39201a3979469b7fbb640d1c7c41759abf5c6a18f937f922";
    const Headers good {{"api-key", "11111111111111111"},
                        {"nonce", "33333333333333333"},
                        {"timestamp", "1747104711262"},
                        {"sign", signA}};
    auto without = [&good](const char *name) {
        Headers h;
        for (const auto &pair : good) {
            if (pair.first != name)
                h.append(pair);
        }
        return h;
    };
    auto with = [&good](const char *name, const QByteArray &value) {
        Headers h = good;
        for (auto &pair : h) {
            if (pair.first == name)
                pair.second = value;
        }
        return h;
    };
    QTest::newRow("accepted") << good << vectorTime << 0;
    QTest::newRow("accepted 59 s late") << good << vectorTime + 59'000 << 0;
    QTest::newRow("no api-key") << without("api-key") << vectorTime << 10003;
    QTest::newRow("unknown api-key") << with("api-key", "99999999999999999") << vectorTime << 10003;
    QTest::newRow("wrong sign") << with("sign", QByteArray(64, 'a')) << vectorTime << 10007;
    QTest::newRow("no sign") << without("sign") << vectorTime << 10007;
    QTest::newRow("other nonce") << with("nonce", "33333333333333334") << vectorTime << 10007;
    QTest::newRow("no nonce") << without("nonce") << vectorTime << 10002;
    QTest::newRow("timestamp not a number") << with("timestamp", "soon") << vectorTime << 10002;
    QTest::newRow("clock 61 s behind") << good << vectorTime + 61'000 << 10002;
    QTest::newRow("clock 61 s ahead") << good << vectorTime - 61'000 << 10002;
}

void tst_BitunixSim::rejections()
{
    QFETCH(Headers, headers);
    QFETCH(qint64, now);
    QFETCH(int, code);
    const SimResponse response = m_sim.handle(get("/api/v1/futures/account?marginCoin=USDT", headers), now);
    QCOMPARE(response.status, 200); // Bitunix reports business errors in HTTP 200
    const QJsonObject answer = body(response);
    QCOMPARE(answer.value(QStringLiteral("code")).toInt(-1), code);
    if (code != 0) {
        QVERIFY(!answer.value(QStringLiteral("msg")).toString().isEmpty());
        QVERIFY(answer.value(QStringLiteral("data")).isNull());
    }
}

void tst_BitunixSim::positionsFollowTheMark()
{
    const auto data = [this](const QByteArray &target) {
        return body(m_sim.handle(signedGet(target, vectorTime), vectorTime))
            .value(QStringLiteral("data"))
            .toArray();
    };
    const QJsonArray positions = data("/api/v1/futures/position/get_pending_positions");
    QVERIFY(positions.size() >= 3);
    QSet<QString> modes, sides;
    double margin = 0, crossPnl = 0, isolatedPnl = 0;
    for (const QJsonValue &value : positions) {
        const QJsonObject p = value.toObject();
        auto number = [&p](const char *key) {
            return p.value(QLatin1String(key)).toString().toDouble();
        };
        const QString symbol = p.value(QStringLiteral("symbol")).toString();
        const double mark = m_market.bySymbol(symbol)->bitunixMark();
        const bool isLong = p.value(QStringLiteral("side")).toString() == QLatin1String("LONG");
        const double qty = number("qty"), entry = number("avgOpenPrice"),
                     lev = p.value(QStringLiteral("leverage")).toInt();
        QVERIFY(qAbs(number("unrealizedPNL") - (isLong ? 1 : -1) * (mark - entry) * qty) < 1e-4);
        QVERIFY(qAbs(number("margin") - qty * entry / lev) < 1e-4);
        const double liq = number("liqPrice");
        if (p.value(QStringLiteral("marginMode")).toString() == QLatin1String("ISOLATION")) {
            isolatedPnl += number("unrealizedPNL");
            // At the liquidation price, margin plus PnL equals the maintenance margin.
            const double equityAtLiq = number("margin") + (isLong ? 1 : -1) * (liq - entry) * qty;
            QVERIFY(qAbs(equityAtLiq - BitunixSim::maintenanceMarginRate * qty * liq) < qty * entry * 1e-4);
            QVERIFY(isLong ? liq < entry : liq > entry);
        } else {
            crossPnl += number("unrealizedPNL");
        }
        margin += number("margin");
        modes.insert(p.value(QStringLiteral("marginMode")).toString());
        sides.insert(p.value(QStringLiteral("side")).toString());
    }
    QCOMPARE(modes, (QSet<QString> {"CROSS", "ISOLATION"}));
    QCOMPARE(sides, (QSet<QString> {"LONG", "SHORT"}));

    const QJsonObject account = data("/api/v1/futures/account?marginCoin=USDT").first().toObject();
    QVERIFY(qAbs(account.value(QStringLiteral("margin")).toString().toDouble() - margin) < 1e-3);
    QVERIFY(qAbs(account.value(QStringLiteral("crossUnrealizedPNL")).toString().toDouble() - crossPnl)
            < 1e-3);
    QVERIFY(qAbs(account.value(QStringLiteral("isolationUnrealizedPNL")).toString().toDouble() - isolatedPnl)
            < 1e-3);

    // A new price moves the PnL.
    const double before =
        positions.first().toObject().value(QStringLiteral("unrealizedPNL")).toString().toDouble();
    m_market.tick(3600);
    const double after = data("/api/v1/futures/position/get_pending_positions")
                             .first()
                             .toObject()
                             .value(QStringLiteral("unrealizedPNL"))
                             .toString()
                             .toDouble();
    QVERIFY(before != after);
}

void tst_BitunixSim::unknownPathAndMethod()
{
    QCOMPARE(m_sim.handle(get("/api/v1/futures/nothing"), vectorTime).status, 404);
    SimRequest post = get("/api/v1/futures/market/tickers");
    post.method = "POST";
    QCOMPARE(m_sim.handle(post, vectorTime).status, 405);
    // Missing marginCoin on a correctly signed call.
    const QJsonObject answer =
        body(m_sim.handle(signedGet("/api/v1/futures/account", vectorTime), vectorTime));
    QCOMPARE(answer.value(QStringLiteral("code")).toInt(), 10002);
}

QTEST_GUILESS_MAIN(tst_BitunixSim)
#include "tst_bitunixsim.moc"
