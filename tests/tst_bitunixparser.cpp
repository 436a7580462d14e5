#include "exchanges/bitunix/bitunixparser.h"
#include "exchanges/bitunix/bitunixsigner.h"
#include "jsonshape.h"
#include "sim/bitunixsim.h"
#include "sim/simmarket.h"

#include <QRegularExpression>
#include <QTest>

enum class Endpoint { Tickers, Positions, Account, TradingPairs, FundingRates };
Q_DECLARE_METATYPE(Endpoint)
Q_DECLARE_METATYPE(BitunixParser::ErrorKind)

// Bitunix response parsing: the documented samples, variants of them, and exsim's live answers.
class tst_BitunixParser : public QObject
{
    Q_OBJECT

private slots:
    void tickersSample();
    void volumesByRatio_data();
    void volumesByRatio();
    void lastFallsBackToLast();
    void positionsSample();
    void positionVariants_data();
    void positionVariants();
    void noPositions_data();
    void noPositions();
    void accountSample();
    void accountShapes_data();
    void accountShapes();
    void tradingPairsSample();
    void fundingRatesSample();
    void fundingRateVariants_data();
    void fundingRateVariants();
    void fundingRatesOfMany();
    void apiErrors_data();
    void apiErrors();
    void classifyCodes_data();
    void classifyCodes();
    void wrongShapes_data();
    void wrongShapes();
    void numbersInsteadOfStrings_data();
    void numbersInsteadOfStrings();
    void stringsInsteadOfNumbers();
    void keyOrderAndUnknownFields();
    void truncatedSamples_data();
    void truncatedSamples();
    void malformedBodies_data();
    void malformedBodies();
    void limits_data();
    void limits();
    void simulatorOutput();

private:
    struct Outcome
    {
        QString error;
        int apiCode = 0;
        bool valueIsDefault = true;
    };
    static Outcome parse(Endpoint endpoint, const QByteArray &body);
    static QByteArray replaced(const QByteArray &body, const QByteArray &from, const QByteArray &to);
    static QByteArray tickerBody(const QByteArray &tickers);
    SimRequest signedGet(const QByteArray &target) const;

    SimMarket m_market {42};
    BitunixSim m_sim {&m_market, "k", "s"};
    static constexpr qint64 simNow = 1'795'000'000'000;
};

tst_BitunixParser::Outcome tst_BitunixParser::parse(Endpoint endpoint, const QByteArray &body)
{
    switch (endpoint) {
    case Endpoint::Tickers: {
        const auto parsed = BitunixParser::tickers(body);
        return {parsed.error, parsed.apiCode, parsed.value.isEmpty()};
    }
    case Endpoint::Positions: {
        const auto parsed = BitunixParser::pendingPositions(body);
        return {parsed.error, parsed.apiCode, parsed.value.isEmpty()};
    }
    case Endpoint::Account: {
        const auto parsed = BitunixParser::account(body);
        const AccountSummary &a = parsed.value;
        return {parsed.error, parsed.apiCode,
                !a.equity.isValid() && !a.available.isValid() && !a.unrealizedPnl.isValid()
                    && !a.marginUsed.isValid()};
    }
    case Endpoint::TradingPairs: {
        const auto parsed = BitunixParser::tradingPairs(body);
        return {parsed.error, parsed.apiCode, parsed.value.isEmpty()};
    }
    case Endpoint::FundingRates: {
        const auto parsed = BitunixParser::fundingRates(body);
        return {parsed.error, parsed.apiCode, parsed.value.isEmpty()};
    }
    }
    return {};
}

// The sample with one replacement, which must have happened: a variant that silently equals its sample
// would test nothing.
QByteArray tst_BitunixParser::replaced(const QByteArray &body, const QByteArray &from, const QByteArray &to)
{
    if (!body.contains(from))
        qFatal("variant: %s not in the sample", from.constData());
    return QByteArray(body).replace(from, to);
}

QByteArray tst_BitunixParser::tickerBody(const QByteArray &tickers)
{
    return R"({"code":0,"data":[)" + tickers + R"(],"msg":"Success"})";
}

SimRequest tst_BitunixParser::signedGet(const QByteArray &target) const
{
    SimRequest request;
    request.method = "GET";
    request.target = target;
    request.version = "HTTP/1.1";
    const QByteArray nonce = BitunixSigner::makeNonce();
    const QByteArray timestamp = QByteArray::number(simNow);
    const QByteArray canonical = BitunixSigner::canonicalQuery(QUrlQuery(QString::fromUtf8(request.query())));
    request.headers = {
        {"api-key", m_sim.apiKey()},
        {"nonce", nonce},
        {"timestamp", timestamp},
        {"sign", BitunixSigner::sign(nonce, timestamp, m_sim.apiKey(), canonical, {}, m_sim.secret())}};
    return request;
}

void tst_BitunixParser::tickersSample()
{
    const auto parsed = BitunixParser::tickers(testData("bitunix-tickers.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.apiCode, 0);
    QCOMPARE(parsed.value.size(), 2);
    const Ticker &btc = parsed.value.at(0);
    QCOMPARE(btc.exchange, Exchange::Bitunix);
    QCOMPARE(btc.symbol, QStringLiteral("BTCUSDT"));
    QCOMPARE(btc.mark.text, QStringLiteral("57892.1"));
    QCOMPARE(btc.mark.value, 57892.1);
    QCOMPARE(btc.last.text, QStringLiteral("57891.2")); // lastPrice, not the filler "last"
    QCOMPARE(btc.open24h.text, QStringLiteral("6.31"));
    QCOMPARE(btc.high24h.text, QStringLiteral("6.31"));
    QCOMPARE(btc.low24h.text, QStringLiteral("6.31"));
    // Both volumes are 0 in the docs example: valid zeros, named as the ticker page words them.
    QVERIFY(btc.volumeBase.isValid());
    QVERIFY(btc.volumeQuote.isValid());
    QCOMPARE(btc.volumeBase.text, QStringLiteral("0"));
    QCOMPARE(btc.volumeQuote.value, 0.0);
    QVERIFY(!btc.funding.isValid());
    QVERIFY(!btc.openInterest.isValid());
    QCOMPARE(btc.priceDecimals, -1);
    const Ticker &eth = parsed.value.at(1);
    QCOMPARE(eth.symbol, QStringLiteral("ETHUSDT"));
    QCOMPARE(eth.mark.text, QStringLiteral("2000"));
    QCOMPARE(eth.last.text, QStringLiteral("2020.1"));
}

void tst_BitunixParser::volumesByRatio_data()
{
    QTest::addColumn<QByteArray>("tickers");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("quote");
    const QByteArray btcAsDoc =
        R"({"symbol":"BTCUSDT","markPrice":"100","lastPrice":"100","quoteVol":"12","baseVol":"1190"})";
    const QByteArray btcAsCcxt =
        R"({"symbol":"BTCUSDT","markPrice":"100","lastPrice":"100","quoteVol":"1190","baseVol":"12"})";
    const QByteArray cheapAsCcxt =
        R"({"symbol":"PEPEUSDT","markPrice":"0.01","lastPrice":"0.01","quoteVol":"30","baseVol":"3100"})";
    // Price near 1: both readings fit, so this one ticker cannot tell.
    const QByteArray nearOne =
        R"({"symbol":"ADAUSDT","markPrice":"1.03","lastPrice":"1.03","quoteVol":"1000","baseVol":"1030"})";
    QTest::newRow("quoteVol in coins (ticker doc, exsim)") << btcAsDoc << 0 << "12"
                                                           << "1190";
    QTest::newRow("baseVol in coins (ccxt)") << btcAsCcxt << 0 << "12"
                                             << "1190";
    QTest::newRow("below 1, baseVol in coins") << cheapAsCcxt << 0 << "3100"
                                               << "30";
    QTest::newRow("near 1 alone: ticker doc wording") << nearOne << 0 << "1000"
                                                      << "1030";
    QTest::newRow("near 1 follows the others") << btcAsCcxt + ',' + nearOne << 1 << "1030"
                                               << "1000";
    QTest::newRow("near 1 follows the others (doc)") << nearOne + ',' + btcAsDoc << 0 << "1000"
                                                     << "1030";
    QTest::newRow("zero volumes") << QByteArray(R"({"symbol":"X","markPrice":"5","lastPrice":"5",)"
                                                R"("quoteVol":"0","baseVol":"0"})")
                                  << 0 << "0"
                                  << "0";
    QTest::newRow("one volume zero") << QByteArray(R"({"symbol":"X","markPrice":"5","lastPrice":"5",)"
                                                   R"("quoteVol":"7","baseVol":"0"})")
                                     << 0 << "7"
                                     << "0";
    QTest::newRow("volumes missing") << QByteArray(R"({"symbol":"X","markPrice":"5","lastPrice":"5"})") << 0
                                     << ""
                                     << "";
}

void tst_BitunixParser::volumesByRatio()
{
    QFETCH(QByteArray, tickers);
    QFETCH(int, index);
    QFETCH(QString, base);
    QFETCH(QString, quote);
    const auto parsed = BitunixParser::tickers(tickerBody(tickers));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.at(index).volumeBase.text, base);
    QCOMPARE(parsed.value.at(index).volumeQuote.text, quote);
}

void tst_BitunixParser::lastFallsBackToLast()
{
    const QByteArray sample = testData("bitunix-tickers.json");
    auto parsed = BitunixParser::tickers(replaced(sample, R"("lastPrice":"57891.2",)", ""));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.at(0).last.text, QStringLiteral("6.31"));
    QCOMPARE(parsed.value.at(1).last.text, QStringLiteral("2020.1"));
    parsed = BitunixParser::tickers(replaced(sample, R"("lastPrice":"57891.2")", R"("lastPrice":null)"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.at(0).last.text, QStringLiteral("6.31"));
    parsed = BitunixParser::tickers(
        replaced(replaced(sample, R"("lastPrice":"57891.2",)", ""), R"("last":"6.31",)", ""));
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error.contains(QStringLiteral("$.data[0].lastPrice: missing")), qPrintable(parsed.error));
    QVERIFY(parsed.value.isEmpty());
}

void tst_BitunixParser::positionsSample()
{
    const auto parsed = BitunixParser::pendingPositions(testData("bitunix-pending-positions.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.size(), 1);
    const Position &p = parsed.value.first();
    QCOMPARE(p.exchange, Exchange::Bitunix);
    QCOMPARE(p.positionId, QStringLiteral("12345678"));
    QCOMPARE(p.symbol, QStringLiteral("BTCUSDT"));
    QCOMPARE(p.side, Position::Side::Long);
    QCOMPARE(p.size.text, QStringLiteral("0.5"));
    QCOMPARE(p.entryPrice.text, QStringLiteral("1.0")); // after the published stray space
    QCOMPARE(p.unrealizedPnl.text, QStringLiteral("1.5"));
    QCOMPARE(p.margin.text, QStringLiteral("300"));
    QCOMPARE(p.liquidationPrice.text, QStringLiteral("22209"));
    QCOMPARE(p.leverage, 100);
    QVERIFY(p.isolated);
    QCOMPARE(p.returnOnEquity.value, 0.005); // 1.5 / 300
    QVERIFY(!p.markPrice.isValid()); // the client joins the ticker
    QVERIFY(!p.positionValue.isValid());
}

void tst_BitunixParser::positionVariants_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("short, lower case")
        << QByteArray(R"("side":"LONG")") << QByteArray(R"("side":"short")") << "side"
        << "short";
    QTest::newRow("cross, lower case")
        << QByteArray(R"("marginMode":"ISOLATION")") << QByteArray(R"("marginMode":"cross")") << "isolated"
        << "false";
    QTest::newRow("liqPrice 0: none")
        << QByteArray(R"("liqPrice":"22209")") << QByteArray(R"("liqPrice":"0")") << "liquidation"
        << "";
    QTest::newRow("liqPrice negative: none")
        << QByteArray(R"("liqPrice":"22209")") << QByteArray(R"("liqPrice":"-12.5")") << "liquidation"
        << "";
    QTest::newRow("liqPrice missing: none")
        << QByteArray(R"("liqPrice":"22209",)") << QByteArray() << "liquidation"
        << "";
    QTest::newRow("liqPrice null: none")
        << QByteArray(R"("liqPrice":"22209")") << QByteArray(R"("liqPrice":null)") << "liquidation"
        << "";
    QTest::newRow("liqPrice as a number")
        << QByteArray(R"("liqPrice":"22209")") << QByteArray(R"("liqPrice":22209.5)") << "liquidation"
        << "22209.5";
    QTest::newRow("margin 0: no ROE")
        << QByteArray(R"("margin":"300")") << QByteArray(R"("margin":"0")") << "roe"
        << "";
    QTest::newRow("leverage as a string")
        << QByteArray(R"("leverage":100)") << QByteArray(R"("leverage":"20")") << "leverage"
        << "20";
    QTest::newRow("ctime as a string")
        << QByteArray(R"("ctime":1691382137448)") << QByteArray(R"("ctime":"1691382137448")") << "leverage"
        << "100";
    QTest::newRow("positionId as a number")
        << QByteArray(R"("positionId":"12345678")") << QByteArray(R"("positionId":12345678)") << "id"
        << "12345678";
    QTest::newRow("qty as a number") << QByteArray(R"("qty":"0.5")") << QByteArray(R"("qty":0.5)") << "size"
                                     << "0.5";
    QTest::newRow("tiny qty as a number")
        << QByteArray(R"("qty":"0.5")") << QByteArray(R"("qty":2e-7)") << "size"
        << "0.0000002";
    QTest::newRow("qty with exponent")
        << QByteArray(R"("qty":"0.5")") << QByteArray(R"("qty":"5E-1")") << "size"
        << "5E-1";
}

void tst_BitunixParser::positionVariants()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    const auto parsed =
        BitunixParser::pendingPositions(replaced(testData("bitunix-pending-positions.json"), from, to));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.size(), 1);
    const Position &p = parsed.value.first();
    QString actual;
    if (field == QLatin1String("side"))
        actual = p.side == Position::Side::Short ? QStringLiteral("short") : QStringLiteral("long");
    else if (field == QLatin1String("isolated"))
        actual = p.isolated ? QStringLiteral("true") : QStringLiteral("false");
    else if (field == QLatin1String("liquidation"))
        actual = p.liquidationPrice.isValid() ? p.liquidationPrice.text : QString();
    else if (field == QLatin1String("roe"))
        actual = p.returnOnEquity.isValid() ? p.returnOnEquity.text : QString();
    else if (field == QLatin1String("leverage"))
        actual = QString::number(p.leverage);
    else if (field == QLatin1String("id"))
        actual = p.positionId;
    else if (field == QLatin1String("size"))
        actual = p.size.text;
    QCOMPARE(actual, expected);
}

void tst_BitunixParser::noPositions_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("data null") << QByteArray(R"({"code":0,"data":null,"msg":"Success"})");
    QTest::newRow("data empty") << QByteArray(R"({"code":0,"data":[],"msg":"Success"})");
}

void tst_BitunixParser::noPositions()
{
    QFETCH(QByteArray, body);
    const auto parsed = BitunixParser::pendingPositions(body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QVERIFY(parsed.value.isEmpty());
}

void tst_BitunixParser::accountSample()
{
    const auto parsed = BitunixParser::account(testData("bitunix-account.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.exchange, Exchange::Bitunix);
    QCOMPARE(parsed.value.equity.text, QStringLiteral("1012")); // 1000 + 0 + 10 + 2 + 0
    QCOMPARE(parsed.value.equity.value, 1012.0);
    QCOMPARE(parsed.value.available.text, QStringLiteral("1000"));
    QCOMPARE(parsed.value.marginUsed.text, QStringLiteral("10"));
    QCOMPARE(parsed.value.unrealizedPnl.text, QStringLiteral("2"));
}

void tst_BitunixParser::accountShapes_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("equity"); // empty: must fail
    QTest::addColumn<QString>("error");
    const QByteArray usdt = R"({"marginCoin":"USDT","available":"0.1","frozen":"0.2","margin":"1.25",)"
                            R"("crossUnrealizedPNL":"-0.05","isolationUnrealizedPNL":"0"})";
    const QByteArray btc = R"({"marginCoin":"BTC","available":"7","frozen":"0","margin":"0",)"
                           R"("crossUnrealizedPNL":"0","isolationUnrealizedPNL":"0"})";
    QTest::newRow("object (Java demo)") << usdt << "1.5"
                                        << "";
    QTest::newRow("array of one (docs)") << '[' + usdt + ']' << "1.5"
                                         << "";
    QTest::newRow("array, match second") << '[' + btc + ',' + usdt + ']' << "1.5"
                                         << "";
    QTest::newRow("array, lower-case coin") << '[' + replaced(usdt, "USDT", "usdt") + ']' << "1.5"
                                            << "";
    QTest::newRow("object without marginCoin") << replaced(usdt, R"("marginCoin":"USDT",)", "") << "1.5"
                                               << "";
    QTest::newRow("numbers for decimals")
        << QByteArray(R"({"marginCoin":"USDT","available":1000,"frozen":0.5,"margin":10,)"
                      R"("crossUnrealizedPNL":-2.25,"isolationUnrealizedPNL":"0"})")
        << "1008.25"
        << "";
    QTest::newRow("decimal sum, not binary")
        << QByteArray(R"({"marginCoin":"USDT","available":"0.1","frozen":"0.2","margin":"0",)"
                      R"("crossUnrealizedPNL":"0","isolationUnrealizedPNL":"0"})")
        << "0.3"
        << "";
    QTest::newRow("array without a match") << '[' + btc + ']' << ""
                                           << "$.data: no account with marginCoin USDT";
    QTest::newRow("empty array") << QByteArray("[]") << ""
                                 << "$.data: no account with marginCoin USDT";
    QTest::newRow("object of another coin") << btc << ""
                                            << "$.data.marginCoin: expected USDT, got BTC";
    QTest::newRow("null") << QByteArray("null") << ""
                          << "$.data: expected an object or an array, got null";
    QTest::newRow("string") << QByteArray(R"("USDT")") << ""
                            << "$.data: expected an object or an array, got the string";
    QTest::newRow("array of strings") << QByteArray(R"(["USDT"])") << ""
                                      << "$.data[0]: expected an object, got the string";
    QTest::newRow("missing margin") << replaced(usdt, R"("margin":"1.25",)", "") << ""
                                    << "$.data.margin: missing (expected a decimal)";
    QTest::newRow("frozen NaN") << '[' + replaced(usdt, R"("frozen":"0.2")", R"("frozen":"NaN")") + ']' << ""
                                << R"($.data[0].frozen: expected a decimal, got the string "NaN")";
}

void tst_BitunixParser::accountShapes()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, equity);
    QFETCH(QString, error);
    const auto parsed = BitunixParser::account(R"({"code":0,"msg":"Success","data":)" + data + '}');
    if (equity.isEmpty()) {
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));
        QVERIFY(!parsed.value.equity.isValid());
        QVERIFY(!parsed.value.available.isValid());
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.equity.text, equity);
    QCOMPARE(parsed.value.equity.value, equity.toDouble());
}

void tst_BitunixParser::tradingPairsSample()
{
    const auto parsed = BitunixParser::tradingPairs(testData("bitunix-trading-pairs.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.size(), 1);
    QVERIFY(parsed.value.contains(QStringLiteral("BTCUSDT")));
    QCOMPARE(parsed.value.value(QStringLiteral("BTCUSDT")).priceDecimals, 1);
    QCOMPARE(parsed.value.value(QStringLiteral("BTCUSDT")).sizeDecimals, 4);
}

void tst_BitunixParser::fundingRatesSample()
{
    const auto parsed = BitunixParser::fundingRates(testData("bitunix-funding-rate-batch.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.apiCode, 0);
    QCOMPARE(parsed.value.size(), 1);
    const BitunixParser::FundingRate &btc = parsed.value.first();
    QCOMPARE(btc.symbol, QStringLiteral("BTCUSDT"));
    QCOMPARE(btc.rate.text, QStringLiteral("0.0005"));
    QCOMPARE(btc.rate.value, 0.0005);
    QCOMPARE(btc.intervalHours, 8);
    QCOMPARE(btc.nextFundingMs, Q_INT64_C(1770710400000));
    QCOMPARE(btc.markPrice.text, QStringLiteral("60000"));
}

void tst_BitunixParser::fundingRateVariants_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("rate");
    QTest::addColumn<int>("interval");
    QTest::addColumn<qint64>("next");
    QTest::addColumn<QString>("mark"); // empty: absent
    const QByteArray sample = testData("bitunix-funding-rate-batch.json");
    const QByteArray row = sample.mid(sample.indexOf("[{") + 1, sample.indexOf("}]") - sample.indexOf("[{"));
    const qint64 next = 1770710400000;
    auto variant = [&sample](const QByteArray &from, const QByteArray &to) {
        return replaced(sample, from, to);
    };

    QTest::newRow("single object (live single-symbol)")
        << QByteArray(R"({"code":0,"data":)" + row + R"(,"msg":"Success"})") << "0.0005" << 8 << next
        << "60000";
    QTest::newRow("numbers instead of strings")
        << variant(R"("markPrice":"60000","lastPrice":"60001","indexPrice":"60001","fundingRate":"0.0005")",
                   R"("markPrice":60000,"lastPrice":60001,"indexPrice":60001,"fundingRate":0.0005)")
        << "0.0005" << 8 << next << "60000";
    QTest::newRow("nextFundingTime as a number")
        << variant(R"("nextFundingTime":"1770710400000")", R"("nextFundingTime":1770710400000)") << "0.0005"
        << 8 << next << "60000";
    QTest::newRow("fundingInterval as a string")
        << variant(R"("fundingInterval":8)", R"("fundingInterval":"8")") << "0.0005" << 8 << next << "60000";
    QTest::newRow("fundingInterval \"4.0\"")
        << variant(R"("fundingInterval":8)", R"("fundingInterval":"4.0")") << "0.0005" << 4 << next
        << "60000";
    QTest::newRow("fundingInterval 1")
        << variant(R"("fundingInterval":8)", R"("fundingInterval":1)") << "0.0005" << 1 << next << "60000";
    QTest::newRow("fundingRate negative, exponent")
        << variant(R"("fundingRate":"0.0005")", R"("fundingRate":"-1.25E-4")") << "-1.25E-4" << 8 << next
        << "60000";
    QTest::newRow("fundingRate 0") << variant(R"("fundingRate":"0.0005")", R"("fundingRate":"0")") << "0" << 8
                                   << next << "60000";
    // A bad interval means "unknown", not a failed batch: the rate per interval is still right.
    for (const char *bad : {"0", "null", "-8", "1.5", "\"eight\"", "\"\"", "true", "{}", "28800", "\"8h\""}) {
        QTest::addRow("fundingInterval %s: unknown", bad)
            << variant(R"("fundingInterval":8)", R"("fundingInterval":)" + QByteArray(bad)) << "0.0005" << 0
            << next << "60000";
    }
    QTest::newRow("fundingInterval missing: unknown")
        << variant(R"("fundingInterval":8,)", "") << "0.0005" << 0 << next << "60000";
    QTest::newRow("nextFundingTime missing: unknown")
        << variant(R"("nextFundingTime":"1770710400000",)", "") << "0.0005" << 8 << Q_INT64_C(0) << "60000";
    QTest::newRow("nextFundingTime null: unknown")
        << variant(R"("nextFundingTime":"1770710400000")", R"("nextFundingTime":null)") << "0.0005" << 8
        << Q_INT64_C(0) << "60000";
    QTest::newRow("markPrice missing")
        << variant(R"("markPrice":"60000",)", "") << "0.0005" << 8 << next << "";
    QTest::newRow("only the required fields")
        << QByteArray(R"({"code":0,"data":[{"fundingRate":"0.0005","symbol":"BTCUSDT"}],"msg":"Success"})")
        << "0.0005" << 0 << Q_INT64_C(0) << "";
    QTest::newRow("unknown fields, other key order") << QByteArray(
        R"({"msg":"Success","data":[{"nextFundingTime":"1770710400000","fundingInterval":8,)"
        R"("premium":{"x":[1]},"fundingRate":"0.0005","symbol":"BTCUSDT","markPrice":"60000"}],)"
        R"("code":0,"extra":null})") << "0.0005" << 8 << next
                                                     << "60000";
    QTest::newRow("code as a string")
        << variant(R"("code":0)", R"("code":"0")") << "0.0005" << 8 << next << "60000";
}

void tst_BitunixParser::fundingRateVariants()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, rate);
    QFETCH(int, interval);
    QFETCH(qint64, next);
    QFETCH(QString, mark);
    const auto parsed = BitunixParser::fundingRates(body);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.size(), 1);
    const BitunixParser::FundingRate &f = parsed.value.first();
    QCOMPARE(f.symbol, QStringLiteral("BTCUSDT"));
    QCOMPARE(f.rate.text, rate);
    QCOMPARE(f.rate.value, rate.toDouble());
    QCOMPARE(f.intervalHours, interval);
    QCOMPARE(f.nextFundingMs, next);
    QCOMPARE(f.markPrice.isValid() ? f.markPrice.text : QString(), mark);
}

void tst_BitunixParser::fundingRatesOfMany()
{
    const auto parsed = BitunixParser::fundingRates(
        R"({"code":0,"msg":"Success","data":[)"
        R"({"symbol":"BTCUSDT","fundingRate":"0.0001","fundingInterval":8,"nextFundingTime":"1770710400000"},)"
        R"({"symbol":"1000PEPEUSDT","fundingRate":"-0.00025","fundingInterval":4,"nextFundingTime":1770696000000},)"
        R"({"symbol":"xyz:TSLA","fundingRate":0,"fundingInterval":"1"}]})");
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.value.size(), 3);
    QCOMPARE(parsed.value.at(0).symbol, QStringLiteral("BTCUSDT"));
    QCOMPARE(parsed.value.at(1).symbol, QStringLiteral("1000PEPEUSDT"));
    QCOMPARE(parsed.value.at(1).rate.text, QStringLiteral("-0.00025"));
    QCOMPARE(parsed.value.at(1).intervalHours, 4);
    QCOMPARE(parsed.value.at(1).nextFundingMs, Q_INT64_C(1770696000000));
    QCOMPARE(parsed.value.at(2).symbol, QStringLiteral("xyz:TSLA"));
    QCOMPARE(parsed.value.at(2).rate.text, QStringLiteral("0"));
    QCOMPARE(parsed.value.at(2).intervalHours, 1);
    QCOMPARE(parsed.value.at(2).nextFundingMs, Q_INT64_C(0));

    const auto none = BitunixParser::fundingRates(R"({"code":0,"data":[],"msg":"Success"})");
    QVERIFY2(none.ok(), qPrintable(none.error));
    QVERIFY(none.value.isEmpty());
}

void tst_BitunixParser::apiErrors_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("apiCode");
    QTest::addColumn<QString>("error");
    QTest::newRow("signature") << Endpoint::Account
                               << QByteArray(R"({"code":10007,"msg":"Signature Error","data":null})") << 10007
                               << "bitunix 10007: Signature Error";
    QTest::newRow("code as a string")
        << Endpoint::Positions << QByteArray(R"({"msg":"Request too frequently","code":"10006"})") << 10006
        << "bitunix 10006: Request too frequently";
    QTest::newRow("market not exists")
        << Endpoint::Tickers << QByteArray(R"({"code":20001,"data":[],"msg":"Market not exists"})") << 20001
        << "bitunix 20001: Market not exists";
    QTest::newRow("no msg") << Endpoint::TradingPairs << QByteArray(R"({"code":10002})") << 10002
                            << "bitunix 10002: (no message)";
    QTest::newRow("negative code") << Endpoint::Tickers << QByteArray(R"({"code":-1,"msg":"x"})") << -1
                                   << "bitunix -1: x";
    QTest::newRow("code 403") << Endpoint::Account << QByteArray(R"({"code":403,"msg":"Forbidden"})") << 403
                              << "bitunix 403: Forbidden";
    QTest::newRow("code missing") << Endpoint::Tickers << QByteArray(R"({"data":[],"msg":"Success"})") << 0
                                  << "$.code: missing (expected an integer)";
    QTest::newRow("code fractional") << Endpoint::Tickers << QByteArray(R"({"code":0.5,"data":[]})") << 0
                                     << "$.code: expected an integer, got a number";
    QTest::newRow("code text") << Endpoint::Tickers << QByteArray(R"({"code":"ok","data":[]})") << 0
                               << R"($.code: expected an integer, got the string "ok")";
    QTest::newRow("code null") << Endpoint::Tickers << QByteArray(R"({"code":null,"data":[]})") << 0
                               << "$.code: expected an integer, got null";
    QTest::newRow("code too big") << Endpoint::Tickers << QByteArray(R"({"code":99999999999,"data":[]})") << 0
                                  << "$.code: 99999999999 is out of range";
    QTest::newRow("code 0, data missing") << Endpoint::Tickers << QByteArray(R"({"code":0,"msg":"Success"})")
                                          << 0 << "$.data: missing (expected an array)";
    QTest::newRow("funding: too many requests")
        << Endpoint::FundingRates
        << QByteArray(R"({"code":10005,"data":null,"msg":"Too many requests, please try again later"})")
        << 10005 << "bitunix 10005: Too many requests, please try again later";
    QTest::newRow("funding: too frequent")
        << Endpoint::FundingRates << QByteArray(R"({"code":10006,"msg":"Request too frequently"})") << 10006
        << "bitunix 10006: Request too frequently";
    QTest::newRow("funding: market not exists")
        << Endpoint::FundingRates << QByteArray(R"({"code":20001,"data":null,"msg":"Market not exists"})")
        << 20001 << "bitunix 20001: Market not exists";
    QTest::newRow("funding: code 0, data missing")
        << Endpoint::FundingRates << QByteArray(R"({"code":0,"msg":"Success"})") << 0
        << "$.data: missing (expected an array or an object)";
}

void tst_BitunixParser::apiErrors()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QByteArray, body);
    QFETCH(int, apiCode);
    QFETCH(QString, error);
    const Outcome outcome = parse(endpoint, body);
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.apiCode, apiCode);
    QVERIFY(outcome.valueIsDefault);
}

void tst_BitunixParser::classifyCodes_data()
{
    using Kind = BitunixParser::ErrorKind;
    QTest::addColumn<int>("code");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("advice");
    QTest::newRow("0") << 0 << Kind::None << "";
    QTest::newRow("10001 network") << 10001 << Kind::Other << "exchange error";
    QTest::newRow("10002 parameter") << 10002 << Kind::BadRequest << "bug";
    QTest::newRow("10003 api-key") << 10003 << Kind::Auth << "check API key/secret/IP whitelist";
    QTest::newRow("10004 ip whitelist") << 10004 << Kind::Auth << "check API key/secret/IP whitelist";
    QTest::newRow("10005 too many") << 10005 << Kind::RateLimit << "rate limited";
    QTest::newRow("10006 too frequent") << 10006 << Kind::RateLimit << "rate limited";
    QTest::newRow("10007 signature") << 10007 << Kind::Auth << "check API key/secret/IP whitelist";
    QTest::newRow("10008 enum") << 10008 << Kind::BadRequest << "bug";
    QTest::newRow("20001 market") << 20001 << Kind::BadSymbol << "symbol";
    QTest::newRow("20003 balance") << 20003 << Kind::Other << "exchange error";
    QTest::newRow("30004 position") << 30004 << Kind::Other << "exchange error";
}

void tst_BitunixParser::classifyCodes()
{
    QFETCH(int, code);
    QFETCH(BitunixParser::ErrorKind, kind);
    QFETCH(QString, advice);
    QCOMPARE(BitunixParser::classify(code), kind);
    const QString described = BitunixParser::describe(kind);
    if (advice.isEmpty())
        QVERIFY(described.isEmpty());
    else
        QVERIFY2(described.contains(advice), qPrintable(described));
}

void tst_BitunixParser::wrongShapes_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    const QByteArray tickers = testData("bitunix-tickers.json");
    const QByteArray positions = testData("bitunix-pending-positions.json");
    const QByteArray account = testData("bitunix-account.json");
    const QByteArray pairs = testData("bitunix-trading-pairs.json");
    const QByteArray funding = testData("bitunix-funding-rate-batch.json");

    QTest::newRow("markPrice object")
        << Endpoint::Tickers << replaced(tickers, R"("markPrice":"2000")", R"("markPrice":{"v":1})")
        << "$.data[1].markPrice: expected a decimal, got an object";
    QTest::newRow("markPrice array") << Endpoint::Tickers
                                     << replaced(tickers, R"("markPrice":"2000")", R"("markPrice":["2000"])")
                                     << "$.data[1].markPrice: expected a decimal, got an array";
    QTest::newRow("markPrice bool") << Endpoint::Tickers
                                    << replaced(tickers, R"("markPrice":"2000")", R"("markPrice":true)")
                                    << "$.data[1].markPrice: expected a decimal, got a boolean";
    for (const char *bad : {"NaN", "inf", "-Infinity", "", "1e999", "12abc", " 12", "12 ", "1,5", "0x10", ".",
                            "-", "1e", "++1", "1.2.3"}) {
        QTest::addRow("markPrice \"%s\"", bad)
            << Endpoint::Tickers
            << replaced(tickers, R"("markPrice":"57892.1")", R"("markPrice":")" + QByteArray(bad) + '"')
            << QStringLiteral("$.data[0].markPrice: expected a decimal, got the string \"%1\"")
                   .arg(QLatin1String(bad));
    }
    QTest::newRow("open NaN") << Endpoint::Tickers << replaced(tickers, R"("open":"6.31")", R"("open":"NaN")")
                              << R"($.data[0].open: expected a decimal, got the string "NaN")";
    QTest::newRow("quoteVol object") << Endpoint::Tickers
                                     << replaced(
                                            tickers,
                                            R"("quoteVol":"0","baseVol":"0","high":"6.31","low":"6.31"}])",
                                            R"("quoteVol":{},"baseVol":"0","high":"6.31","low":"6.31"}])")
                                     << "$.data[1].quoteVol: expected a decimal, got an object";
    QTest::newRow("symbol number") << Endpoint::Tickers
                                   << replaced(tickers, R"("symbol":"ETHUSDT")", R"("symbol":7)")
                                   << "$.data[1].symbol: expected a string, got a number";
    QTest::newRow("symbol empty") << Endpoint::Tickers
                                  << replaced(tickers, R"("symbol":"ETHUSDT")", R"("symbol":"")")
                                  << "$.data[1].symbol: expected a non-empty string";
    QTest::newRow("symbol missing") << Endpoint::Tickers << replaced(tickers, R"("symbol":"ETHUSDT",)", "")
                                    << "$.data[1].symbol: missing (expected a string)";
    QTest::newRow("markPrice missing") << Endpoint::Tickers << replaced(tickers, R"("markPrice":"2000",)", "")
                                       << "$.data[1].markPrice: missing (expected a decimal)";
    QTest::newRow("ticker is a string")
        << Endpoint::Tickers << tickerBody(R"("BTCUSDT")") << "$.data[0]: expected an object, got the string";
    QTest::newRow("tickers data {}") << Endpoint::Tickers
                                     << QByteArray(R"({"code":0,"data":{},"msg":"Success"})")
                                     << "$.data: expected an array, got an object";
    QTest::newRow("tickers data null")
        << Endpoint::Tickers << QByteArray(R"({"code":0,"data":null,"msg":"Success"})")
        << "$.data: expected an array, got null";

    QTest::newRow("side unknown") << Endpoint::Positions
                                  << replaced(positions, R"("side":"LONG")", R"("side":"UP")")
                                  << R"($.data[0].side: expected "LONG" or "SHORT", got the string "UP")";
    QTest::newRow("side missing") << Endpoint::Positions << replaced(positions, R"("side":"LONG",)", "")
                                  << "$.data[0].side: missing (expected a string)";
    QTest::newRow("marginMode unknown")
        << Endpoint::Positions
        << replaced(positions, R"("marginMode":"ISOLATION")", R"("marginMode":"HEDGE")")
        << R"($.data[0].marginMode: expected "CROSS" or "ISOLATION", got the string "HEDGE")";
    QTest::newRow("leverage text") << Endpoint::Positions
                                   << replaced(positions, R"("leverage":100)", R"("leverage":"x100")")
                                   << R"($.data[0].leverage: expected an integer, got the string "x100")";
    QTest::newRow("leverage fraction")
        << Endpoint::Positions << replaced(positions, R"("leverage":100)", R"("leverage":2.5)")
        << "$.data[0].leverage: expected an integer, got a number";
    QTest::newRow("qty negative") << Endpoint::Positions
                                  << replaced(positions, R"("qty":"0.5")", R"("qty":"-0.5")")
                                  << "$.data[0].qty: expected an unsigned size, got -0.5";
    QTest::newRow("qty missing") << Endpoint::Positions << replaced(positions, R"("qty":"0.5",)", "")
                                 << "$.data[0].qty: missing (expected a decimal)";
    QTest::newRow("avgOpenPrice null")
        << Endpoint::Positions << replaced(positions, R"("avgOpenPrice": "1.0")", R"("avgOpenPrice": null)")
        << "$.data[0].avgOpenPrice: expected a decimal, got null";
    QTest::newRow("liqPrice garbage")
        << Endpoint::Positions << replaced(positions, R"("liqPrice":"22209")", R"("liqPrice":"--")")
        << R"($.data[0].liqPrice: expected a decimal, got the string "--")";
    QTest::newRow("positions data {}")
        << Endpoint::Positions << QByteArray(R"({"code":0,"data":{},"msg":"Success"})")
        << "$.data: expected an array, got an object";

    QTest::newRow("available array") << Endpoint::Account
                                     << replaced(account, R"("available":"1000")", R"("available":[])")
                                     << "$.data[0].available: expected a decimal, got an array";
    QTest::newRow("crossUnrealizedPNL missing")
        << Endpoint::Account << replaced(account, R"("crossUnrealizedPNL":"2",)", "")
        << "$.data[0].crossUnrealizedPNL: missing (expected a decimal)";

    QTest::newRow("quotePrecision fraction")
        << Endpoint::TradingPairs << replaced(pairs, R"("quotePrecision":1)", R"("quotePrecision":1.5)")
        << "$.data[0].quotePrecision: expected an integer, got a number";
    QTest::newRow("basePrecision missing")
        << Endpoint::TradingPairs << replaced(pairs, R"("basePrecision":4,)", "")
        << "$.data[0].basePrecision: missing (expected an integer)";
    // The ticker model pads prices to quotePrecision places: a count from the wire must stay small.
    QTest::newRow("quotePrecision huge")
        << Endpoint::TradingPairs
        << replaced(pairs, R"("quotePrecision":1)", R"("quotePrecision":2147483647)")
        << "$.data[0].quotePrecision: expected 0 to 18 decimal places, got 2147483647";
    QTest::newRow("basePrecision negative")
        << Endpoint::TradingPairs << replaced(pairs, R"("basePrecision":4)", R"("basePrecision":-1)")
        << "$.data[0].basePrecision: expected 0 to 18 decimal places, got -1";

    QTest::newRow("funding: symbol missing")
        << Endpoint::FundingRates << replaced(funding, R"("symbol":"BTCUSDT",)", "")
        << "$.data[0].symbol: missing (expected a string)";
    QTest::newRow("funding: symbol number")
        << Endpoint::FundingRates << replaced(funding, R"("symbol":"BTCUSDT")", R"("symbol":1)")
        << "$.data[0].symbol: expected a string, got a number";
    QTest::newRow("funding: fundingRate missing")
        << Endpoint::FundingRates << replaced(funding, R"("fundingRate":"0.0005",)", "")
        << "$.data[0].fundingRate: missing (expected a decimal)";
    QTest::newRow("funding: fundingRate null")
        << Endpoint::FundingRates << replaced(funding, R"("fundingRate":"0.0005")", R"("fundingRate":null)")
        << "$.data[0].fundingRate: expected a decimal, got null";
    QTest::newRow("funding: fundingRate NaN")
        << Endpoint::FundingRates << replaced(funding, R"("fundingRate":"0.0005")", R"("fundingRate":"NaN")")
        << R"($.data[0].fundingRate: expected a decimal, got the string "NaN")";
    QTest::newRow("funding: fundingRate percent")
        << Endpoint::FundingRates
        << replaced(funding, R"("fundingRate":"0.0005")", R"("fundingRate":"0.05%")")
        << R"($.data[0].fundingRate: expected a decimal, got the string "0.05%")";
    QTest::newRow("funding: nextFundingTime text")
        << Endpoint::FundingRates
        << replaced(funding, R"("nextFundingTime":"1770710400000")", R"("nextFundingTime":"soon")")
        << R"($.data[0].nextFundingTime: expected an integer, got the string "soon")";
    QTest::newRow("funding: nextFundingTime fraction")
        << Endpoint::FundingRates
        << replaced(funding, R"("nextFundingTime":"1770710400000")", R"("nextFundingTime":1.5)")
        << "$.data[0].nextFundingTime: expected an integer, got a number";
    QTest::newRow("funding: nextFundingTime negative")
        << Endpoint::FundingRates
        << replaced(funding, R"("nextFundingTime":"1770710400000")", R"("nextFundingTime":"-1")")
        << "$.data[0].nextFundingTime: expected ms since the epoch, got -1";
    QTest::newRow("funding: markPrice garbage")
        << Endpoint::FundingRates << replaced(funding, R"("markPrice":"60000")", R"("markPrice":"6e")")
        << R"($.data[0].markPrice: expected a decimal, got the string "6e")";
    QTest::newRow("funding: a bad second row fails the batch")
        << Endpoint::FundingRates
        << replaced(funding, R"("minFundingRate":"-0.3"})",
                    R"("minFundingRate":"-0.3"},{"symbol":"ETHUSDT"})")
        << "$.data[1].fundingRate: missing (expected a decimal)";
    QTest::newRow("funding: row is a string")
        << Endpoint::FundingRates << QByteArray(R"({"code":0,"data":["BTCUSDT"],"msg":"Success"})")
        << R"($.data[0]: expected an object, got the string "BTCUSDT")";
    QTest::newRow("funding: rows nested")
        << Endpoint::FundingRates << QByteArray(R"({"code":0,"data":[[{"symbol":"X","fundingRate":"0"}]]})")
        << "$.data[0]: expected an object, got an array";
    QTest::newRow("funding: data null")
        << Endpoint::FundingRates << QByteArray(R"({"code":0,"data":null,"msg":"Success"})")
        << "$.data: expected an array or an object, got null";
    QTest::newRow("funding: data string")
        << Endpoint::FundingRates << QByteArray(R"({"code":0,"data":"BTCUSDT","msg":"Success"})")
        << R"($.data: expected an array or an object, got the string "BTCUSDT")";
    QTest::newRow("funding: data {}")
        << Endpoint::FundingRates << QByteArray(R"({"code":0,"data":{},"msg":"Success"})")
        << "$.data.symbol: missing (expected a string)";
    QTest::newRow("funding: tickers body")
        << Endpoint::FundingRates << tickers << "$.data[0].fundingRate: missing (expected a decimal)";

    for (Endpoint endpoint : {Endpoint::Tickers, Endpoint::Positions, Endpoint::Account,
                              Endpoint::TradingPairs, Endpoint::FundingRates}) {
        const int e = int(endpoint);
        QTest::addRow("%d: top-level null", e)
            << endpoint << QByteArray("null") << "$: expected an object, got null";
        QTest::addRow("%d: top-level []", e)
            << endpoint << QByteArray("[]") << "$: expected an object, got an array";
        QTest::addRow("%d: top-level number", e)
            << endpoint << QByteArray(" 42 ") << "$: expected an object, got a number";
        QTest::addRow("%d: top-level string", e)
            << endpoint << QByteArray(R"("Success")") << "$: expected an object, got the string";
        QTest::addRow("%d: data wrapped in array", e)
            << endpoint << QByteArray(R"([{"code":0,"data":[],"msg":"Success"}])")
            << "$: expected an object, got an array";
    }
}

void tst_BitunixParser::wrongShapes()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const Outcome outcome = parse(endpoint, body);
    QVERIFY2(outcome.error.startsWith(error), qPrintable(outcome.error));
    QCOMPARE(outcome.apiCode, 0);
    QVERIFY(outcome.valueIsDefault);
}

// Decimal strings written as JSON numbers: same values, texts in shortest form.
void tst_BitunixParser::numbersInsteadOfStrings_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QString>("sample");
    QTest::newRow("tickers") << Endpoint::Tickers << "bitunix-tickers.json";
    QTest::newRow("positions") << Endpoint::Positions << "bitunix-pending-positions.json";
    QTest::newRow("account") << Endpoint::Account << "bitunix-account.json";
    QTest::newRow("trading pairs") << Endpoint::TradingPairs << "bitunix-trading-pairs.json";
    QTest::newRow("funding rates") << Endpoint::FundingRates << "bitunix-funding-rate-batch.json";
}

void tst_BitunixParser::numbersInsteadOfStrings()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QString, sample);
    const QByteArray original = testData(sample);
    static const QRegularExpression decimalString(QStringLiteral(R"re(("\w+":\s*)"(-?\d+(?:\.\d+)?)")re"));
    const QByteArray numbers =
        QString::fromUtf8(original).replace(decimalString, QStringLiteral("\\1\\2")).toUtf8();
    static const QRegularExpression anyDecimalString(QStringLiteral(R"re(":\s*"-?\d)re"));
    QVERIFY(numbers != original);
    QVERIFY(!QString::fromUtf8(numbers).contains(anyDecimalString));
    const Outcome outcome = parse(endpoint, numbers);
    QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
    QVERIFY(!outcome.valueIsDefault);

    switch (endpoint) {
    case Endpoint::Tickers: {
        const auto a = BitunixParser::tickers(original).value;
        const auto b = BitunixParser::tickers(numbers).value;
        QCOMPARE(b.size(), a.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].mark.value, a[i].mark.value);
            QCOMPARE(b[i].mark.text, a[i].mark.text); // "57892.1" and "2000" are already shortest
            QCOMPARE(b[i].last.value, a[i].last.value);
            QCOMPARE(b[i].open24h.value, a[i].open24h.value);
            QCOMPARE(b[i].volumeBase.text, QStringLiteral("0"));
        }
        break;
    }
    case Endpoint::Positions: {
        const Position b = BitunixParser::pendingPositions(numbers).value.first();
        QCOMPARE(b.positionId, QStringLiteral("12345678"));
        QCOMPARE(b.entryPrice.text, QStringLiteral("1")); // "1.0" as the number 1.0
        QCOMPARE(b.entryPrice.value, 1.0);
        QCOMPARE(b.size.text, QStringLiteral("0.5"));
        QCOMPARE(b.liquidationPrice.text, QStringLiteral("22209"));
        QCOMPARE(b.returnOnEquity.value, 0.005);
        break;
    }
    case Endpoint::Account:
        QCOMPARE(BitunixParser::account(numbers).value.equity.text, QStringLiteral("1012"));
        break;
    case Endpoint::TradingPairs:
        QCOMPARE(BitunixParser::tradingPairs(numbers).value.value(QStringLiteral("BTCUSDT")).sizeDecimals, 4);
        break;
    case Endpoint::FundingRates: {
        QVERIFY(numbers.contains(R"("nextFundingTime":1770710400000)"));
        const BitunixParser::FundingRate f = BitunixParser::fundingRates(numbers).value.first();
        QCOMPARE(f.rate.text, QStringLiteral("0.0005"));
        QCOMPARE(f.markPrice.text, QStringLiteral("60000"));
        QCOMPARE(f.intervalHours, 8);
        QCOMPARE(f.nextFundingMs, Q_INT64_C(1770710400000));
        break;
    }
    }
}

void tst_BitunixParser::stringsInsteadOfNumbers()
{
    static const QRegularExpression integer(QStringLiteral(R"re(("\w+":\s*)(-?\d+)([,}]))re"));
    auto quoted = [](const QString &name) {
        const QByteArray original = testData(name);
        const QByteArray result =
            QString::fromUtf8(original).replace(integer, QStringLiteral("\\1\"\\2\"\\3")).toUtf8();
        if (result == original)
            qFatal("no integer in %s", qPrintable(name));
        return result;
    };
    const QByteArray positions = quoted(QStringLiteral("bitunix-pending-positions.json"));
    QVERIFY(positions.contains(R"("code":"0")"));
    QVERIFY(positions.contains(R"("leverage":"100")"));
    const auto parsedPositions = BitunixParser::pendingPositions(positions);
    QVERIFY2(parsedPositions.ok(), qPrintable(parsedPositions.error));
    QCOMPARE(parsedPositions.value.first().leverage, 100);

    const QByteArray pairs = quoted(QStringLiteral("bitunix-trading-pairs.json"));
    QVERIFY(pairs.contains(R"("quotePrecision":"1")"));
    const auto parsedPairs = BitunixParser::tradingPairs(pairs);
    QVERIFY2(parsedPairs.ok(), qPrintable(parsedPairs.error));
    QCOMPARE(parsedPairs.value.value(QStringLiteral("BTCUSDT")).priceDecimals, 1);

    const auto parsedTickers = BitunixParser::tickers(quoted(QStringLiteral("bitunix-tickers.json")));
    QVERIFY2(parsedTickers.ok(), qPrintable(parsedTickers.error));
    QCOMPARE(parsedTickers.value.size(), 2);

    const QByteArray funding = quoted(QStringLiteral("bitunix-funding-rate-batch.json"));
    QVERIFY(funding.contains(R"("fundingInterval":"8")"));
    const auto parsedFunding = BitunixParser::fundingRates(funding);
    QVERIFY2(parsedFunding.ok(), qPrintable(parsedFunding.error));
    QCOMPARE(parsedFunding.value.first().intervalHours, 8);
}

void tst_BitunixParser::keyOrderAndUnknownFields()
{
    // The sample's keys reversed at every level, with fields no source documents.
    const QByteArray shuffled =
        R"({"msg":"Success","extra":{"nested":[1,{"x":null}]},"data":[{"time":1700000000000,)"
        R"("mtime":1691382137448,"ctime":1691382137448,"avgOpenPrice":"1.0","marginRate":"0.01",)"
        R"("liqPrice":"22209","unrealizedPNL":"1.5","margin":"300","realizedPNL":"102.9",)"
        R"("funding":"-0.2","fee":"0.1","leverage":100,"marginMode":"ISOLATION",)"
        R"("positionMode":"HEDGE","side":"LONG","entryValue":"30000","qty":"0.5",)"
        R"("symbol":"BTCUSDT","positionId":"12345678","marginCoin":"USDT"}],"code":0})";
    const auto a = BitunixParser::pendingPositions(testData("bitunix-pending-positions.json"));
    const auto b = BitunixParser::pendingPositions(shuffled);
    QVERIFY2(b.ok(), qPrintable(b.error));
    QCOMPARE(b.value.size(), 1);
    const Position &x = a.value.first();
    const Position &y = b.value.first();
    QCOMPARE(y.positionId, x.positionId);
    QCOMPARE(y.symbol, x.symbol);
    QCOMPARE(y.size.text, x.size.text);
    QCOMPARE(y.entryPrice.text, x.entryPrice.text);
    QCOMPARE(y.liquidationPrice.text, x.liquidationPrice.text);
    QCOMPARE(y.returnOnEquity.text, x.returnOnEquity.text);
    QCOMPARE(y.leverage, x.leverage);
    QCOMPARE(y.isolated, x.isolated);

    const auto tickers = BitunixParser::tickers(
        R"({"data":[{"low":"1","high":"3","baseVol":"20","quoteVol":"10","last":"2","open":"1.5",)"
        R"("lastPrice":"2","markPrice":"2.01","symbol":"ABCUSDT","time":1700000000000,"fundingRate":"0.0001"}],)"
        R"("code":0})");
    QVERIFY2(tickers.ok(), qPrintable(tickers.error));
    QCOMPARE(tickers.value.first().symbol, QStringLiteral("ABCUSDT"));
    QCOMPARE(tickers.value.first().volumeQuote.text, QStringLiteral("20"));
}

void tst_BitunixParser::truncatedSamples_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QString>("sample");
    QTest::newRow("tickers") << Endpoint::Tickers << "bitunix-tickers.json";
    QTest::newRow("positions") << Endpoint::Positions << "bitunix-pending-positions.json";
    QTest::newRow("account") << Endpoint::Account << "bitunix-account.json";
    QTest::newRow("trading pairs") << Endpoint::TradingPairs << "bitunix-trading-pairs.json";
    QTest::newRow("funding rates") << Endpoint::FundingRates << "bitunix-funding-rate-batch.json";
}

void tst_BitunixParser::truncatedSamples()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QString, sample);
    const QByteArray body = testData(sample);
    QVERIFY(body.size() > 100);
    QVERIFY(parse(endpoint, body).error.isEmpty());
    int prefixes = 0;
    for (qsizetype length = 0; length < body.size(); length += 7) {
        const QByteArray prefix = body.left(length);
        if (prefix.trimmed() == body.trimmed())
            continue; // only trailing whitespace cut: still the whole document
        const Outcome outcome = parse(endpoint, prefix);
        QVERIFY2(!outcome.error.isEmpty(), prefix.constData());
        QVERIFY2(outcome.valueIsDefault, prefix.constData());
        ++prefixes;
    }
    QVERIFY(prefixes > 10);
}

void tst_BitunixParser::malformedBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << QByteArray() << "empty body";
    QTest::newRow("blank") << QByteArray(" \r\n\t ") << "empty body";
    QTest::newRow("unclosed") << QByteArray(R"({"code":0,"data":[)") << "invalid JSON at byte";
    QTest::newRow("bracket mismatch") << QByteArray(R"({"code":0,"data":[}])") << "invalid JSON at byte";
    QTest::newRow("missing comma") << QByteArray(R"({"code":0 "data":[]})") << "invalid JSON at byte";
    QTest::newRow("single quotes") << QByteArray(R"({'code':0,'data':[]})") << "invalid JSON at byte";
    QTest::newRow("trailing garbage") << QByteArray(R"({"code":0,"data":[]} x)") << "invalid JSON at byte";
    QTest::newRow("two documents") << QByteArray(R"({"code":0,"data":[]}{"code":0,"data":[]})")
                                   << "invalid JSON at byte";
    QTest::newRow("bare NaN number") << QByteArray(R"({"code":0,"data":[{"symbol":"X","markPrice":NaN}]})")
                                     << "invalid JSON at byte";
    QTest::newRow("number overflow") << QByteArray(R"({"code":0,"data":[{"symbol":"X","markPrice":1e999}]})")
                                     << "invalid JSON at byte";
    QTest::newRow("html error page") << QByteArray("<html><body>502 Bad Gateway</body></html>")
                                     << "invalid JSON at byte";
    QTest::newRow("NUL bytes") << QByteArray(16, '\0') << "invalid JSON at byte";
    QTest::newRow("binary") << QByteArray::fromHex("ffd8ffe000104a464946") << "invalid JSON at byte";
    QTest::newRow("deep nesting") << QByteArray(100'000, '[') << "invalid JSON at byte";
}

void tst_BitunixParser::malformedBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    for (Endpoint endpoint : {Endpoint::Tickers, Endpoint::Positions, Endpoint::Account,
                              Endpoint::TradingPairs, Endpoint::FundingRates}) {
        const Outcome outcome = parse(endpoint, body);
        QVERIFY2(outcome.error.startsWith(error), qPrintable(outcome.error));
        QVERIFY(outcome.valueIsDefault);
    }
}

void tst_BitunixParser::limits_data()
{
    QTest::addColumn<Endpoint>("endpoint");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error"); // empty: accepted
    auto many = [](const QByteArray &item, qsizetype count) {
        QByteArray items;
        items.reserve(count * (item.size() + 1));
        for (qsizetype i = 0; i < count; ++i)
            items += (i ? "," : "") + item;
        return tickerBody(items);
    };
    const QByteArray ticker = R"({"symbol":"X","markPrice":"1","lastPrice":"1"})";
    const QByteArray funding = R"({"symbol":"X","fundingRate":"0.0001","fundingInterval":8})";
    const QString tooMany = QStringLiteral("$.data: %1 items, more than the limit of %2")
                                .arg(maxParsedItems + 1)
                                .arg(maxParsedItems);
    QTest::newRow("maxParsedItems tickers") << Endpoint::Tickers << many(ticker, maxParsedItems) << "";
    QTest::newRow("one ticker too many") << Endpoint::Tickers << many(ticker, maxParsedItems + 1) << tooMany;
    QTest::newRow("maxParsedItems funding rates")
        << Endpoint::FundingRates << many(funding, maxParsedItems) << "";
    QTest::newRow("one funding rate too many")
        << Endpoint::FundingRates << many(funding, maxParsedItems + 1) << tooMany;
    for (Endpoint endpoint : {Endpoint::Tickers, Endpoint::FundingRates}) {
        QByteArray huge = tickerBody(endpoint == Endpoint::Tickers ? ticker : funding);
        huge.insert(huge.size() - 1, ",\"padding\":\"" + QByteArray(maxParsedBodyBytes, 'x') + '"');
        QTest::addRow("%d: body over the limit", int(endpoint))
            << endpoint << huge
            << QStringLiteral("body of %1 bytes is over the limit of %2 bytes")
                   .arg(huge.size())
                   .arg(maxParsedBodyBytes);
    }
}

void tst_BitunixParser::limits()
{
    QFETCH(Endpoint, endpoint);
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    const Outcome outcome = parse(endpoint, body);
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.valueIsDefault, !error.isEmpty());
    if (error.isEmpty()) {
        const qsizetype count = endpoint == Endpoint::Tickers
            ? BitunixParser::tickers(body).value.size()
            : BitunixParser::fundingRates(body).value.size();
        QCOMPARE(count, maxParsedItems);
    }
}

void tst_BitunixParser::simulatorOutput()
{
    for (int round = 0; round < 3; ++round) {
        const auto tickers =
            BitunixParser::tickers(m_sim.handle(signedGet("/api/v1/futures/market/tickers"), simNow).body);
        QVERIFY2(tickers.ok(), qPrintable(tickers.error));
        int listed = 0;
        for (const SimInstrument &in : m_market.instruments())
            listed += in.bitunixSymbol.isEmpty() ? 0 : 1;
        QCOMPARE(tickers.value.size(), listed);
        for (const Ticker &t : tickers.value) {
            const SimInstrument *in = m_market.bySymbol(t.symbol);
            QVERIFY(in);
            QVERIFY(t.mark.isValid() && t.last.isValid() && t.open24h.isValid());
            QVERIFY(t.low24h.value <= t.last.value && t.last.value <= t.high24h.value);
            QVERIFY(qAbs(t.mark.value / in->bitunixMark() - 1) < 1e-3);
            // exsim names its volumes as the ticker page does; the ratio test must find that.
            QVERIFY2(qAbs(t.volumeQuote.value / t.volumeBase.value / t.last.value - 1) < 0.01,
                     qPrintable(t.symbol));
        }

        const auto pairs = BitunixParser::tradingPairs(
            m_sim.handle(signedGet("/api/v1/futures/market/trading_pairs"), simNow).body);
        QVERIFY2(pairs.ok(), qPrintable(pairs.error));
        QCOMPARE(pairs.value.size(), listed);
        QCOMPARE(pairs.value.value(QStringLiteral("BTCUSDT")).priceDecimals,
                 m_market.bySymbol("BTCUSDT")->quotePrecision);
        QCOMPARE(pairs.value.value(QStringLiteral("1000PEPEUSDT")).priceDecimals, 7);

        const auto funding = BitunixParser::fundingRates(
            m_sim.handle(signedGet("/api/v1/futures/market/funding_rate/batch"), simNow).body);
        QVERIFY2(funding.ok(), qPrintable(funding.error));
        QCOMPARE(funding.value.size(), listed);
        for (const BitunixParser::FundingRate &f : funding.value) {
            QVERIFY(m_market.bySymbol(f.symbol));
            QVERIFY(f.rate.isValid() && f.markPrice.isValid());
            QCOMPARE(f.intervalHours, 8);
            QVERIFY(f.nextFundingMs > simNow && f.nextFundingMs <= simNow + 8 * 3'600'000);
        }

        const auto positions = BitunixParser::pendingPositions(
            m_sim.handle(signedGet("/api/v1/futures/position/get_pending_positions"), simNow).body);
        QVERIFY2(positions.ok(), qPrintable(positions.error));
        QVERIFY(positions.value.size() >= 3);
        QSet<QString> sides;
        double pnl = 0, margin = 0;
        for (const Position &p : positions.value) {
            QVERIFY(m_market.bySymbol(p.symbol));
            QVERIFY(!p.positionId.isEmpty());
            QVERIFY(p.size.isValid() && p.size.value > 0);
            QVERIFY(p.entryPrice.isValid() && p.unrealizedPnl.isValid() && p.margin.isValid());
            QVERIFY(!p.liquidationPrice.isValid() || p.liquidationPrice.value > 0);
            QVERIFY(qAbs(p.returnOnEquity.value - p.unrealizedPnl.value / p.margin.value) < 1e-12);
            QVERIFY(p.leverage > 0);
            sides.insert(p.side == Position::Side::Long ? QStringLiteral("long") : QStringLiteral("short"));
            pnl += p.unrealizedPnl.value;
            margin += p.margin.value;
        }
        QCOMPARE(sides.size(), 2);

        const auto account = BitunixParser::account(
            m_sim.handle(signedGet("/api/v1/futures/account?marginCoin=USDT"), simNow).body);
        QVERIFY2(account.ok(), qPrintable(account.error));
        QVERIFY(qAbs(account.value.unrealizedPnl.value - pnl) < 1e-3);
        QVERIFY(qAbs(account.value.marginUsed.value - margin) < 1e-3);
        QVERIFY(qAbs(account.value.equity.value - (account.value.available.value + margin + pnl)) < 1e-3);

        m_market.tick(600);
    }

    SimRequest unsigned_ = signedGet("/api/v1/futures/account?marginCoin=USDT");
    unsigned_.headers.clear();
    const auto rejected = BitunixParser::account(m_sim.handle(unsigned_, simNow).body);
    QVERIFY(!rejected.ok());
    QCOMPARE(rejected.apiCode, 10003);
    QCOMPARE(BitunixParser::classify(rejected.apiCode), BitunixParser::ErrorKind::Auth);
    QVERIFY(rejected.error.startsWith(QStringLiteral("bitunix 10003: ")));

    SimRequest badSign = signedGet("/api/v1/futures/position/get_pending_positions");
    badSign.headers.last().second = QByteArray(64, 'a');
    const auto badSignResult = BitunixParser::pendingPositions(m_sim.handle(badSign, simNow).body);
    QCOMPARE(badSignResult.apiCode, 10007);
    QCOMPARE(badSignResult.error, QStringLiteral("bitunix 10007: Signature Error"));
}

QTEST_GUILESS_MAIN(tst_BitunixParser)
#include "tst_bitunixparser.moc"
