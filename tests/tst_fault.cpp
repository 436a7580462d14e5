#include "sim/fault.h"

#include <QJsonDocument>

#include <QTest>

class tst_Fault : public QObject
{
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void rateLimitIsExchangeShaped();
    void transportFaultsKeepTheBody();
    void unprocessableIsPlainTextAndSkewIsAClock();
};

void tst_Fault::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("arg");
    QTest::newRow("429") << "429" << int(Fault::Kind::TooManyRequests) << 2;
    QTest::newRow("429:7") << "429:7" << int(Fault::Kind::TooManyRequests) << 7;
    QTest::newRow("rate-limit") << "rate-limit" << int(Fault::Kind::RateLimitCode) << 10006;
    QTest::newRow("rate-limit:10005") << "rate-limit:10005" << int(Fault::Kind::RateLimitCode) << 10005;
    QTest::newRow("500") << "500" << int(Fault::Kind::ServerError) << 0;
    QTest::newRow("reset") << "reset" << int(Fault::Kind::ResetMidBody) << 0;
    QTest::newRow("truncate") << "truncate" << int(Fault::Kind::TruncatedBody) << 0;
    QTest::newRow("malformed") << "malformed" << int(Fault::Kind::MalformedJson) << 0;
    QTest::newRow("stall") << "stall" << int(Fault::Kind::Stall) << 0;
    QTest::newRow("close-idle:250") << "close-idle:250" << int(Fault::Kind::CloseIdleEarly) << 250;
    QTest::newRow("trickle") << "trickle" << int(Fault::Kind::SlowTrickle) << 100;
    QTest::newRow("huge:60") << "huge:60" << int(Fault::Kind::HugeBody) << 60;
    QTest::newRow("stale") << "stale" << int(Fault::Kind::StaleKeepAlive) << 0;
    QTest::newRow("422") << "422" << int(Fault::Kind::Unprocessable) << 0;
    QTest::newRow("skew") << "skew" << int(Fault::Kind::ClockSkew) << 120;
    QTest::newRow("skew-behind:30") << "skew-behind:30" << int(Fault::Kind::ClockSkewBehind) << 30;
    QTest::newRow("none") << "none" << int(Fault::Kind::None) << 0;
}

void tst_Fault::parses()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(int, arg);
    const std::optional<Fault> fault = Fault::parse(text);
    QVERIFY(fault);
    QCOMPARE(int(fault->kind), kind);
    QCOMPARE(fault->argOrDefault(), arg);
    QCOMPARE(fault->toString(), text);
    QVERIFY(Fault::names().contains(text.section(QLatin1Char(':'), 0, 0)));
}

void tst_Fault::rejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("unknown") << "explode";
    QTest::newRow("empty") << "";
    QTest::newRow("bad arg") << "429:soon";
    QTest::newRow("negative arg") << "trickle:-5";
    QTest::newRow("zero arg") << "huge:0";
    QTest::newRow("other code") << "rate-limit:10007";
    QTest::newRow("arg on none") << "none:1";
}

void tst_Fault::rejects()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!Fault::parse(text, &error));
    QVERIFY(!error.isEmpty());
}

void tst_Fault::rateLimitIsExchangeShaped()
{
    const Fault fault = *Fault::parse(QStringLiteral("rate-limit:10005"));
    const SimResponse bitunix = applyFault(fault, SimExchange::Bitunix, SimResponse::json("{}"));
    QCOMPARE(bitunix.status, 200);
    QVERIFY(bitunix.body.contains("\"code\":10005"));
    const SimResponse hyperliquid = applyFault(fault, SimExchange::Hyperliquid, SimResponse::json("{}"));
    QCOMPARE(hyperliquid.status, 429);
    const SimResponse limited = applyFault(*Fault::parse(QStringLiteral("429:9")), SimExchange::Bitunix, {});
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.headers.contains(std::pair<QByteArray, QByteArray>("Retry-After", "9")));
    const SimResponse error = applyFault(*Fault::parse(QStringLiteral("500")), SimExchange::Hyperliquid, {});
    QCOMPARE(error.status, 500);
    QCOMPARE(error.body, QByteArray("null"));
    QCOMPARE(error.contentType, QByteArray("application/json"));
}

void tst_Fault::transportFaultsKeepTheBody()
{
    const SimResponse original = SimResponse::json(R"({"a":"b","c":[1,2,3]})");
    QCOMPARE(applyFault(*Fault::parse(QStringLiteral("reset")), SimExchange::Bitunix, original).delivery,
             SimResponse::Delivery::Reset);
    QCOMPARE(applyFault(*Fault::parse(QStringLiteral("truncate")), SimExchange::Bitunix, original).delivery,
             SimResponse::Delivery::Truncated);
    QCOMPARE(applyFault(*Fault::parse(QStringLiteral("stall")), SimExchange::Bitunix, original).action,
             SimResponse::Action::Stall);
    const SimResponse trickle =
        applyFault(*Fault::parse(QStringLiteral("trickle:30")), SimExchange::Bitunix, original);
    QCOMPARE(trickle.delivery, SimResponse::Delivery::Trickle);
    QCOMPARE(trickle.trickleIntervalMs, 30);
    QCOMPARE(trickle.body, original.body);
    const SimResponse malformed =
        applyFault(*Fault::parse(QStringLiteral("malformed")), SimExchange::Bitunix, original);
    QCOMPARE(malformed.status, 200);
    QJsonParseError error;
    QJsonDocument::fromJson(malformed.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
    const SimResponse huge =
        applyFault(*Fault::parse(QStringLiteral("huge:2")), SimExchange::Bitunix, original);
    QCOMPARE(huge.body.size(), 2 * 1024 * 1024);
    QJsonDocument::fromJson(huge.body, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
}

void tst_Fault::unprocessableIsPlainTextAndSkewIsAClock()
{
    const SimResponse unprocessable =
        applyFault(*Fault::parse(QStringLiteral("422")), SimExchange::Hyperliquid, SimResponse::json("{}"));
    QCOMPARE(unprocessable.status, 422);
    QVERIFY(unprocessable.contentType.startsWith("text/plain"));
    QVERIFY(unprocessable.body.startsWith("Failed to deserialize the JSON body"));

    QCOMPARE(Fault::parse(QStringLiteral("skew:30"))->clockOffsetMs(), 30'000);
    QCOMPARE(Fault::parse(QStringLiteral("skew-behind"))->clockOffsetMs(), -120'000);
    QCOMPARE(Fault::parse(QStringLiteral("500"))->clockOffsetMs(), 0);
    // A skewed clock answers normally: only its time differs.
    const SimResponse original = SimResponse::json("{\"code\":0}");
    QCOMPARE(applyFault(*Fault::parse(QStringLiteral("skew")), SimExchange::Bitunix, original).body,
             original.body);
    QCOMPARE(applyFault(*Fault::parse(QStringLiteral("stale")), SimExchange::Bitunix, original).action,
             SimResponse::Action::DropIfReused);
}

QTEST_GUILESS_MAIN(tst_Fault)
#include "tst_fault.moc"
