#include "jsonshape.h"
#include "sim/hyperliquidsim.h"
#include "sim/simmarket.h"

#include <QTest>

// The Hyperliquid simulator: /info answers shaped like the recorded samples, the exchange's formulas, its
// errors.
class tst_HyperliquidSim : public QObject
{
    Q_OBJECT

private slots:
    void metaAndAssetCtxsShape();
    void clearinghouseStateShape();
    void spotShapes();
    void allMidsAreDecimalStrings();
    void universeAndContextsAreIndexAligned();
    void liquidationFormulaReproducesTheRecording();
    void positionsFollowTheFormulas();
    void unknownUserIsEmpty();
    void badBodiesAre422_data();
    void badBodiesAre422();
    void wrongPathAndMethod();

private:
    SimResponse info(const QByteArray &body) const;
    QJsonValue infoJson(const QByteArray &body) const;
    QByteArray userBody(const char *type) const;

    SimMarket m_market {7};
    HyperliquidSim m_sim {&m_market, QStringLiteral("0x00000000000000000000000000000000000000A1")};
};

SimResponse tst_HyperliquidSim::info(const QByteArray &body) const
{
    SimRequest request;
    request.method = "POST";
    request.target = "/info";
    request.version = "HTTP/1.1";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body;
    return m_sim.handle(request, 1'795'000'000'000);
}

QJsonValue tst_HyperliquidSim::infoJson(const QByteArray &body) const
{
    const SimResponse response = info(body);
    if (response.status != 200)
        return QJsonValue::Undefined;
    const QJsonDocument document = QJsonDocument::fromJson(response.body);
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

QByteArray tst_HyperliquidSim::userBody(const char *type) const
{
    return QByteArray(R"({"type":")") + type + R"(","user":"0x00000000000000000000000000000000000000a1"})";
}

void tst_HyperliquidSim::metaAndAssetCtxsShape()
{
    const SimResponse response = info(R"({"type":"metaAndAssetCtxs"})");
    QCOMPARE(response.status, 200);
    const JsonShape shape = jsonShape(response.body);
    // The live capture has today's fields (marginTableId, isDelisted, dayBaseVlm, nulls on a delisted asset)
    // but an emptied marginTables; the docs example has marginTables and the deprecated onlyIsolated.
    QStringList differences = jsonShapeDifferences(
        jsonShape(testData("hyperliquid-metaAndAssetCtxs-mainnet-prefix-UNATTRIBUTED.json")), shape,
        {"$[][]", "$[].marginTables"});
    differences += jsonShapeDifferences(jsonShape(testData("hyperliquid-metaAndAssetCtxs.json")), shape,
                                        {"$[].universe[].onlyIsolated", "$[].universe[].marginTableId",
                                         "$[].universe[].isDelisted", "$[][].dayBaseVlm", "$[][].premium",
                                         "$[][].midPx", "$[][].impactPxs"});
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(QLatin1Char('\n'))));
    // The docs example has no nulls; the capture and exsim have them for a delisted asset.
    QCOMPARE(shape.value("$[][].midPx"), (QSet<QString> {"string", "null"}));
    QCOMPARE(shape.value("$[][].impactPxs"), (QSet<QString> {"array", "null"}));
}

void tst_HyperliquidSim::clearinghouseStateShape()
{
    JsonShape recorded = jsonShape(testData("hyperliquid-clearinghouseState.json"));
    const JsonShape docs = jsonShape(testData("hyperliquid-clearinghouseState-docs-example.json"));
    for (auto it = docs.begin(); it != docs.end(); ++it)
        recorded[it.key()].unite(it.value());
    // Cross positions have no rawUsd, and a position far from liquidation has liquidationPx null (2023
    // cassette).
    recorded["$.assetPositions[].position.liquidationPx"].insert(QStringLiteral("null"));
    const QStringList differences =
        jsonShapeDifferences(recorded, jsonShape(info(userBody("clearinghouseState")).body));
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(QLatin1Char('\n'))));
}

void tst_HyperliquidSim::spotShapes()
{
    const QStringList differences =
        jsonShapeDifferences(jsonShape(testData("hyperliquid-spotClearinghouseState.json")),
                             jsonShape(info(userBody("spotClearinghouseState")).body));
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(QLatin1Char('\n'))));

    // No recording of spotMeta is at hand; its documented shape: tokens by index, pairs naming two tokens.
    const QJsonObject meta = infoJson(R"({"type":"spotMeta"})").toObject();
    const QJsonArray tokens = meta.value(QStringLiteral("tokens")).toArray();
    QVERIFY(!tokens.isEmpty());
    QSet<int> indexes;
    for (const QJsonValue &token : tokens) {
        const QJsonObject t = token.toObject();
        QVERIFY(t.value(QStringLiteral("name")).isString());
        QVERIFY(t.value(QStringLiteral("index")).isDouble());
        QVERIFY(t.value(QStringLiteral("szDecimals")).isDouble());
        QVERIFY(t.value(QStringLiteral("weiDecimals")).isDouble());
        QVERIFY(t.value(QStringLiteral("tokenId")).toString().startsWith(QLatin1String("0x")));
        indexes.insert(t.value(QStringLiteral("index")).toInt());
    }
    // Every balance's token is named by spotMeta.
    const QJsonArray balances =
        infoJson(userBody("spotClearinghouseState")).toObject().value(QStringLiteral("balances")).toArray();
    QVERIFY(!balances.isEmpty());
    for (const QJsonValue &balance : balances)
        QVERIFY(indexes.contains(balance.toObject().value(QStringLiteral("token")).toInt()));
    for (const QJsonValue &pair : meta.value(QStringLiteral("universe")).toArray()) {
        const QJsonArray pairTokens = pair.toObject().value(QStringLiteral("tokens")).toArray();
        QCOMPARE(pairTokens.size(), 2);
        QVERIFY(indexes.contains(pairTokens.at(0).toInt()) && indexes.contains(pairTokens.at(1).toInt()));
    }
}

void tst_HyperliquidSim::allMidsAreDecimalStrings()
{
    const QJsonObject mids = infoJson(R"({"type":"allMids"})").toObject();
    QVERIFY(mids.size() >= 20);
    for (auto it = mids.begin(); it != mids.end(); ++it) {
        bool ok = false;
        QVERIFY2(it.value().isString() && it.value().toString().toDouble(&ok) > 0 && ok,
                 qPrintable(it.key()));
    }
    QVERIFY(mids.contains(QStringLiteral("BTC")));
    QVERIFY(mids.contains(QStringLiteral("kPEPE")));
    QVERIFY(!mids.contains(QStringLiteral("MATIC"))); // delisted: no book, no mid
}

void tst_HyperliquidSim::universeAndContextsAreIndexAligned()
{
    const QJsonArray both = infoJson(R"({"type":"metaAndAssetCtxs"})").toArray();
    QCOMPARE(both.size(), 2);
    const QJsonArray universe = both.at(0).toObject().value(QStringLiteral("universe")).toArray();
    const QJsonArray contexts = both.at(1).toArray();
    QCOMPARE(universe.size(), contexts.size());
    QVERIFY(universe.size() >= 20);
    QCOMPARE(infoJson(R"({"type":"meta"})").toObject(), both.at(0).toObject());
    for (int i = 0; i < universe.size(); ++i) {
        const QString name = universe.at(i).toObject().value(QStringLiteral("name")).toString();
        const SimInstrument *in = m_market.byName(name);
        QVERIFY2(in, qPrintable(name));
        const QJsonObject ctx = contexts.at(i).toObject();
        const double mark = ctx.value(QStringLiteral("markPx")).toString().toDouble();
        QVERIFY2(qAbs(mark / in->hyperliquidMark() - 1) < 1e-4, qPrintable(name));
        if (universe.at(i).toObject().value(QStringLiteral("isDelisted")).toBool())
            QVERIFY(ctx.value(QStringLiteral("midPx")).isNull());
    }
}

void tst_HyperliquidSim::liquidationFormulaReproducesTheRecording()
{
    // hyperliquid-clearinghouseState.json: isolated HYPE long, 2.0 at a mark of 37.826 (positionValue / szi),
    // marginUsed 7.525754, maxLeverage 10, recorded liquidationPx 35.8559189474.
    const double mark = 75.652 / 2.0;
    const double maintenance = 75.652 / (2.0 * 10);
    QVERIFY(qAbs(HyperliquidSim::liquidationPrice(mark, 2.0, 7.525754 - maintenance, 10) - 35.8559189474)
            < 1e-6);
    // The docs example: isolated ETH long 0.0335, positionValue 100.02765, marginUsed 4.967826,
    // maxLeverage 50.
    const double ethMark = 100.02765 / 0.0335;
    QVERIFY(qAbs(HyperliquidSim::liquidationPrice(ethMark, 0.0335, 4.967826 - 100.02765 / 100, 50)
                 - 2866.26936529)
            < 1e-4);
}

void tst_HyperliquidSim::positionsFollowTheFormulas()
{
    const QJsonObject state = infoJson(userBody("clearinghouseState")).toObject();
    const QJsonArray positions = state.value(QStringLiteral("assetPositions")).toArray();
    QVERIFY(positions.size() >= 3);
    double isolatedMargin = 0;
    QSet<QString> kinds;
    bool sawLong = false, sawShort = false;
    for (const QJsonValue &value : positions) {
        const QJsonObject p = value.toObject().value(QStringLiteral("position")).toObject();
        auto number = [&p](const char *key) {
            return p.value(QLatin1String(key)).toString().toDouble();
        };
        const double mark = m_market.byName(p.value(QStringLiteral("coin")).toString())->hyperliquidMark();
        const double szi = number("szi"), entry = number("entryPx");
        const QJsonObject leverage = p.value(QStringLiteral("leverage")).toObject();
        const int lev = leverage.value(QStringLiteral("value")).toInt();
        (szi > 0 ? sawLong : sawShort) = true;
        QVERIFY(qAbs(number("positionValue") - qAbs(szi) * mark) < 1e-4);
        QVERIFY(qAbs(number("unrealizedPnl") - szi * (mark - entry)) < 1e-4);
        QVERIFY(qAbs(number("returnOnEquity") - number("unrealizedPnl") / (qAbs(szi) * entry / lev)) < 1e-6);
        const QString type = leverage.value(QStringLiteral("type")).toString();
        kinds.insert(type);
        if (type == QLatin1String("isolated")) {
            // The recording's identity: marginUsed = rawUsd + szi * mark.
            QVERIFY(qAbs(number("marginUsed")
                         - (leverage.value(QStringLiteral("rawUsd")).toString().toDouble() + szi * mark))
                    < 1e-4);
            isolatedMargin += number("marginUsed");
            QVERIFY(!p.value(QStringLiteral("liquidationPx")).isNull());
        } else {
            QVERIFY(!leverage.contains(QStringLiteral("rawUsd")));
            QVERIFY(qAbs(number("marginUsed") - number("positionValue") / lev) < 1e-4);
        }
    }
    QCOMPARE(kinds, (QSet<QString> {"cross", "isolated"}));
    QVERIFY(sawLong && sawShort);
    auto summary = [&state](const char *which, const char *key) {
        return state.value(QLatin1String(which)).toObject().value(QLatin1String(key)).toString().toDouble();
    };
    // As in the docs example: the whole account is the cross account plus the isolated margins.
    QVERIFY(qAbs(summary("marginSummary", "accountValue")
                 - (summary("crossMarginSummary", "accountValue") + isolatedMargin))
            < 1e-4);
    QVERIFY(state.value(QStringLiteral("time")).isDouble());
}

void tst_HyperliquidSim::unknownUserIsEmpty()
{
    const QJsonObject state =
        infoJson(R"({"type":"clearinghouseState","user":"0x1111111111111111111111111111111111111111"})")
            .toObject();
    QVERIFY(state.value(QStringLiteral("assetPositions")).toArray().isEmpty());
    QCOMPARE(state.value(QStringLiteral("marginSummary"))
                 .toObject()
                 .value(QStringLiteral("accountValue"))
                 .toString(),
             QStringLiteral("0.0"));
}

void tst_HyperliquidSim::badBodiesAre422_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("unknown type") << QByteArray(R"({"type":"batchClearinghouseStates"})");
    QTest::newRow("no type") << QByteArray(R"({"user":"0x00000000000000000000000000000000000000a1"})");
    QTest::newRow("type not a string") << QByteArray(R"({"type":7})");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("type=allMids");
    QTest::newRow("truncated JSON") << QByteArray(R"({"type":"allMi)");
    QTest::newRow("array") << QByteArray(R"(["allMids"])");
    QTest::newRow("no user") << QByteArray(R"({"type":"clearinghouseState"})");
    QTest::newRow("short address") << QByteArray(R"({"type":"clearinghouseState","user":"0x1234"})");
    QTest::newRow("address not hex") << QByteArray(
        R"({"type":"spotClearinghouseState","user":"0xZZ00000000000000000000000000000000000000"})");
}

void tst_HyperliquidSim::badBodiesAre422()
{
    QFETCH(QByteArray, body);
    const SimResponse response = info(body);
    QCOMPARE(response.status, 422);
    QVERIFY(response.contentType.startsWith("text/plain"));
    QCOMPARE(response.body, QByteArray("Failed to deserialize the JSON body into the target type"));
}

void tst_HyperliquidSim::wrongPathAndMethod()
{
    SimRequest request;
    request.method = "GET";
    request.target = "/info";
    QCOMPARE(m_sim.handle(request, 0).status, 405);
    request.method = "POST";
    request.target = "/exchange";
    QCOMPARE(m_sim.handle(request, 0).status, 404);
}

QTEST_GUILESS_MAIN(tst_HyperliquidSim)
#include "tst_hyperliquidsim.moc"
