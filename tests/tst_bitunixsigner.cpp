#include "exchanges/bitunix/bitunixsigner.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

// Every vector of samples/bitunix-sign-example.md.
class tst_BitunixSigner : public QObject
{
    Q_OBJECT

private slots:
    void vectors_data();
    void vectors();
    void canonicalQuery_data();
    void canonicalQuery();
    void nonceIsFresh32LowercaseHex();
};

void tst_BitunixSigner::vectors_data()
{
    QTest::addColumn<QByteArray>("nonce");
    QTest::addColumn<QByteArray>("timestamp");
    QTest::addColumn<QByteArray>("apiKey");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("digest");
    QTest::addColumn<QByteArray>("sign");

    const QByteArray n = "33333333333333333", ts = "1747104711262", key = "11111111111111111",
                     secret = "22222222222222222";
    QTest::newRow("A official Go test")
        << n << ts << key << secret << QByteArray("marginCoinUSDT") << QByteArray()
        << QByteArray("ea0f6d6bc37d102c41ccbd820f4cfbb10663f3675a75aea80a353e0e317fcdcc")
        << QByteArray("40e87256554e263e39201a3979469b7fbb640d1c7c41759abf5c6a18f937f922");
    QTest::newRow("B docs example")
        << QByteArray("123456") << QByteArray("20241120123045") << QByteArray("yourApiKey")
        << QByteArray("yourSecretKey") << QByteArray("id1uid200")
        << QByteArray(R"({"uid":"2899","arr":[{"id":1,"name":"maple"},{"id":2,"name":"lily"}]})")
        << QByteArray("75099831ac6803e9c5b79dd3cde2c3c529b4750bd3508186afdde0dd13599b38")
        << QByteArray("00397cd1e52c7dce3258067324363b6361fabc9178a0912b330c138db8745655");
    QTest::newRow("C1 positions of a symbol")
        << n << ts << key << secret << QByteArray("symbolBTCUSDT") << QByteArray()
        << QByteArray("5c8567a4bfd692646db776390c5a5fcb0cab61d3fd40c2701c8e2ab9bfdbb723")
        << QByteArray("6f8329604cbd2411e5aa4d9a5744d85628eee57220aa4f744057f5bdcef51651");
    QTest::newRow("C2 all positions")
        << n << ts << key << secret << QByteArray() << QByteArray()
        << QByteArray("05edaee9e01089123deacf50cf649c1c26331bc3505b0a313595f8fa0bede0b9")
        << QByteArray("9fff1056eaf83fdbbd3e0f4a23e49c5155a48e4f2940223f5aef8ed1da217a8e");
    QTest::newRow("C3 two parameters")
        << n << ts << key << secret << QByteArray("marginCoinUSDTsymbolBTCUSDT") << QByteArray()
        << QByteArray("8bd71cff800bac4f99f248204cf6e2ecaf70fc9c79e2738d36575eb5213b8ce6")
        << QByteArray("d41b492735cd7bc962582bfdc38e76695c5272cafabd5ef9572f5ecff87896fa");
    QTest::newRow("C4 POST body")
        << n << ts << key << secret << QByteArray()
        << QByteArray(R"({"symbol":"BTCUSDT","leverage":10,"marginCoin":"USDT"})")
        << QByteArray("8256f1aa753f02f78807108a553708af93ecda158a91915b62f74dbf0d25415a")
        << QByteArray("24a207198740254a44d622142c0dc849129d9a38975efdf16551638a81615585");
}

void tst_BitunixSigner::vectors()
{
    QFETCH(QByteArray, nonce);
    QFETCH(QByteArray, timestamp);
    QFETCH(QByteArray, apiKey);
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, digest);
    QFETCH(QByteArray, sign);
    QCOMPARE(BitunixSigner::digest(nonce, timestamp, apiKey, query, body), digest);
    QCOMPARE(BitunixSigner::sign(nonce, timestamp, apiKey, query, body, secret), sign);
}

void tst_BitunixSigner::canonicalQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("empty") << "" << QByteArray();
    QTest::newRow("one") << "marginCoin=USDT" << QByteArray("marginCoinUSDT");
    QTest::newRow("sorted by key") << "uid=200&id=1" << QByteArray("id1uid200");
    QTest::newRow("C3 order") << "symbol=BTCUSDT&marginCoin=USDT"
                              << QByteArray("marginCoinUSDTsymbolBTCUSDT");
    QTest::newRow("empty value dropped") << "symbol=&marginCoin=USDT" << QByteArray("marginCoinUSDT");
    QTest::newRow("byte order, not case-folded") << "b=2&B=1&a=3" << QByteArray("B1a3b2");
    QTest::newRow("values decoded") << "symbols=BTCUSDT%2CETHUSDT" << QByteArray("symbolsBTCUSDT,ETHUSDT");
}

void tst_BitunixSigner::canonicalQuery()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, canonical);
    QCOMPARE(BitunixSigner::canonicalQuery(QUrlQuery(query)), canonical);
}

void tst_BitunixSigner::nonceIsFresh32LowercaseHex()
{
    QSet<QByteArray> seen;
    const QRegularExpression hex32(QStringLiteral("^[0-9a-f]{32}$"));
    for (int i = 0; i < 1000; ++i) {
        const QByteArray nonce = BitunixSigner::makeNonce();
        QVERIFY2(hex32.match(QString::fromLatin1(nonce)).hasMatch(), nonce.constData());
        seen.insert(nonce);
    }
    QCOMPARE(seen.size(), 1000);
}

QTEST_GUILESS_MAIN(tst_BitunixSigner)
#include "tst_bitunixsigner.moc"
