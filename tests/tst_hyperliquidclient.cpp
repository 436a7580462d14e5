#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "jsonshape.h"
#include "net/httpclient.h"
#include "printers.h"
#include "sim/exsim.h"
#include "sim/httpsserver.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <memory>

inline char *toString(FetchErrorKind value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}

// HyperliquidClient against an in-process exsim (RTT 0), and against small HTTPS servers for the answers
// exsim does not give (a unified account, odd content types).
class tst_HyperliquidClient : public QObject
{
    Q_OBJECT

private slots:
    void tickersCoverTheUniverse();
    void positionsAndAccountFromClearinghouseState();
    void spotMerge();
    void infoIsPostOverHttp1();
    void setAddressRejectsInvalid_data();
    void setAddressRejectsInvalid();
    void noAddressSendsNothing();
    void exsimFaults_data();
    void exsimFaults();
    void serverErrors_data();
    void serverErrors();
    void retryAfter_data();
    void retryAfter();
    void unifiedAccountEquityFromSpot_data();
    void unifiedAccountEquityFromSpot();

private:
    // One client with its spies, against exsim or against a custom handler.
    struct Fixture
    {
        std::unique_ptr<Exsim> exsim;
        DemoCertificates certificates;
        std::unique_ptr<HttpsServer> server; // the custom origin, when there is no exsim
        std::unique_ptr<HttpClient> http;
        std::unique_ptr<HyperliquidClient> client;
        std::unique_ptr<QSignalSpy> tickers, positions, account, fetched, samples, received;
        int fetches = 0;

        FetchError fetch(DataKind kind);
        HttpsServer *origin() const { return exsim ? exsim->server(SimExchange::Hyperliquid) : server.get(); }
        QStringList receivedTypes() const; // the "type" of every /info body the server got
        AccountSummary lastAccount() const { return account->last().first().value<AccountSummary>(); }
    };
    static std::unique_ptr<Fixture> startExsim(ExsimOptions options = {});
    static std::unique_ptr<Fixture> startCustom(HttpsServer::Handler handler);
    static void attach(Fixture *f, const QUrl &url, const QSslCertificate &ca, HttpsServer *server);
};

static const QString someAddress = QStringLiteral("0x00000000000000000000000000000000000000b2");

std::unique_ptr<tst_HyperliquidClient::Fixture> tst_HyperliquidClient::startExsim(ExsimOptions options)
{
    auto f = std::make_unique<Fixture>();
    options.rttMs = 0;
    f->exsim = std::make_unique<Exsim>(options);
    QString error;
    if (!f->exsim->start(&error))
        qFatal("exsim did not start: %s", qPrintable(error));
    attach(f.get(), f->exsim->url(SimExchange::Hyperliquid), f->exsim->ca(),
           f->exsim->server(SimExchange::Hyperliquid));
    f->client->setAddress(f->exsim->hyperliquidAddress());
    return f;
}

std::unique_ptr<tst_HyperliquidClient::Fixture>
tst_HyperliquidClient::startCustom(HttpsServer::Handler handler)
{
    auto f = std::make_unique<Fixture>();
    QString error;
    f->certificates = DemoCertificates::generate(QStringLiteral("tst_hyperliquidclient CA"), 1, &error);
    if (f->certificates.isNull())
        qFatal("no certificates: %s", qPrintable(error));
    f->server = std::make_unique<HttpsServer>(f->certificates, std::move(handler));
    if (!f->server->listen())
        qFatal("cannot listen: %s", qPrintable(f->server->errorString()));
    attach(f.get(), f->server->origin(), f->certificates.ca, f->server.get());
    f->client->setAddress(someAddress);
    return f;
}

void tst_HyperliquidClient::attach(Fixture *f, const QUrl &url, const QSslCertificate &ca,
                                   HttpsServer *server)
{
    f->http = std::make_unique<HttpClient>();
    f->http->setCaCertificates(url, {ca});
    f->client = std::make_unique<HyperliquidClient>(f->http.get());
    f->client->setBaseUrl(url);
    f->tickers = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::tickersUpdated);
    f->positions = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::positionsUpdated);
    f->account = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::accountUpdated);
    f->fetched = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::fetched);
    f->samples = std::make_unique<QSignalSpy>(f->http.get(), &HttpClient::sampleReady);
    f->received = std::make_unique<QSignalSpy>(server, &HttpsServer::requestReceived);
}

FetchError tst_HyperliquidClient::Fixture::fetch(DataKind kind)
{
    ++fetches;
    const qsizetype before = fetched->size();
    client->fetch(kind);
    while (fetched->size() == before) {
        if (!fetched->wait(20'000))
            return {FetchErrorKind::Other, QStringLiteral("test: no fetched() within 20 s"), -1};
    }
    const QList<QVariant> args = fetched->last();
    if (fetched->size() != before + 1 || args.at(1).value<DataKind>() != kind)
        return {FetchErrorKind::Other, QStringLiteral("test: fetched() more than once, or for another kind"),
                -1};
    // The account fetch also asks for spotMeta, once; let it land so that counts are settled.
    while (http->inFlight() > 0) {
        if (!samples->wait(20'000))
            break;
    }
    return args.at(2).value<FetchError>();
}

QStringList tst_HyperliquidClient::Fixture::receivedTypes() const
{
    QStringList types;
    for (const QList<QVariant> &args : *received)
        types << QJsonDocument::fromJson(args.first().value<SimRequest>().body)
                     .object()
                     .value(QStringLiteral("type"))
                     .toString();
    return types;
}

#define QVERIFY_FETCH_OK(f, k)                                                                               \
    do {                                                                                                     \
        const FetchError e_ = (f)->fetch(k);                                                                 \
        QVERIFY2(                                                                                            \
            e_.ok(),                                                                                         \
            qPrintable(nameOf(k) + QLatin1Char(' ') + nameOf(e_.kind) + QLatin1String(": ") + e_.message));  \
    } while (false)

void tst_HyperliquidClient::tickersCoverTheUniverse()
{
    auto f = startExsim();
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), 1);
    const auto tickers = f->tickers->last().at(1).value<QList<Ticker>>();
    int listed = 0;
    for (const SimInstrument &in : f->exsim->market().instruments())
        listed += in.hyperliquidName.isEmpty() ? 0 : 1;
    QCOMPARE(tickers.size(), listed);
    QCOMPARE(tickers.size(), 25);
    QSet<QString> names;
    for (const Ticker &t : tickers) {
        const SimInstrument *in = f->exsim->market().byName(t.symbol);
        QVERIFY2(in, qPrintable(t.symbol));
        QCOMPARE(t.exchange, Exchange::Hyperliquid);
        QCOMPARE(t.delisted, t.symbol == QLatin1String("MATIC"));
        QCOMPARE(t.priceDecimals, 6 - in->szDecimals);
        QVERIFY2(t.mark.isValid(), qPrintable(t.symbol));
        QVERIFY2(t.oracle.isValid(), qPrintable(t.symbol));
        if (!t.delisted) {
            QVERIFY2(t.last.isValid() && t.last.value > 0, qPrintable(t.symbol));
            QVERIFY2(t.funding.isValid() && t.openInterest.isValid(), qPrintable(t.symbol));
            QVERIFY2(t.open24h.isValid() && t.volumeQuote.isValid(), qPrintable(t.symbol));
        }
        names.insert(t.symbol);
    }
    QCOMPARE(names.size(), tickers.size());
    for (const char *name : {"BTC", "HYPE", "kPEPE", "MATIC"})
        QVERIFY2(names.contains(QLatin1String(name)), name);
    QCOMPARE(f->receivedTypes(), QStringList {QStringLiteral("metaAndAssetCtxs")});

    // The watchlist filters by base, kPEPE counting as PEPE.
    f->client->setWatchlist({QStringLiteral("pepe"), QStringLiteral("BTC")});
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QStringList watched;
    for (const Ticker &t : f->tickers->last().at(1).value<QList<Ticker>>())
        watched << t.symbol;
    watched.sort();
    QCOMPARE(watched, (QStringList {QStringLiteral("BTC"), QStringLiteral("kPEPE")}));
}

void tst_HyperliquidClient::positionsAndAccountFromClearinghouseState()
{
    auto f = startExsim();
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QCOMPARE(f->positions->size(), 1);
    const auto positions = f->positions->last().at(1).value<QList<Position>>();
    QCOMPARE(positions.size(), 4);
    QSet<QString> coins;
    bool longs = false, shorts = false, isolated = false, cross = false;
    for (const Position &p : positions) {
        QCOMPARE(p.exchange, Exchange::Hyperliquid);
        coins.insert(p.symbol);
        QVERIFY2(p.size.isValid() && p.size.value > 0, qPrintable(p.symbol));
        QVERIFY2(p.entryPrice.isValid() && p.positionValue.isValid(), qPrintable(p.symbol));
        QVERIFY2(p.unrealizedPnl.isValid() && p.returnOnEquity.isValid(), qPrintable(p.symbol));
        QVERIFY2(p.margin.isValid() && p.leverage > 0, qPrintable(p.symbol));
        (p.side == Position::Side::Long ? longs : shorts) = true;
        (p.isolated ? isolated : cross) = true;
    }
    QCOMPARE(coins, (QSet<QString> {"ETH", "BTC", "HYPE", "SOL"}));
    QVERIFY(longs && shorts && isolated && cross);
    // The perp account comes with the positions: no second call.
    QCOMPARE(f->account->size(), 1);
    const AccountSummary account = f->lastAccount();
    QCOMPARE(account.exchange, Exchange::Hyperliquid);
    QVERIFY2(account.equity.isValid() && account.equity.value > 0, qPrintable(account.equity.text));
    QVERIFY(account.available.isValid());
    QCOMPARE(f->receivedTypes(), QStringList {QStringLiteral("clearinghouseState")});
    QCOMPARE(f->received->first().first().value<SimRequest>().body,
             QByteArray(R"({"type":"clearinghouseState","user":")")
                 + f->exsim->hyperliquidAddress().toLatin1() + "\"}");
}

void tst_HyperliquidClient::spotMerge()
{
    auto f = startExsim();
    QCOMPARE(f->client->weight(DataKind::Account), 22); // spotClearinghouseState + spotMeta, the first time
    // Without the perp state yet, the spot USDC balance is the equity (1250.42 in exsim's demo account).
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 1);
    QCOMPARE(f->lastAccount().equity.text, QStringLiteral("1250.42"));
    QCOMPARE(f->lastAccount().available.value, 1250.42);
    // The perp state, once known and not zero, is the equity; spot does not replace it.
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QCOMPARE(f->account->size(), 2);
    const Decimal perp = f->lastAccount().equity;
    QVERIFY(perp.isValid() && perp.text != QLatin1String("1250.42"));
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 3);
    QCOMPARE(f->lastAccount().equity.text, perp.text);
    // spotMeta once per session, spot balances every time.
    QCOMPARE(f->client->weight(DataKind::Account), 2);
    QStringList types = f->receivedTypes();
    types.sort();
    QCOMPARE(
        types,
        (QStringList {"clearinghouseState", "spotClearinghouseState", "spotClearinghouseState", "spotMeta"}));
}

void tst_HyperliquidClient::infoIsPostOverHttp1()
{
    ExsimOptions options;
    options.http2 = true; // offered; the client does not take it for /info
    auto f = startExsim(options);
    QVERIFY(f->exsim->server(SimExchange::Hyperliquid)->http2Enabled());
    for (DataKind kind : allDataKinds)
        QVERIFY_FETCH_OK(f, kind);
    QCOMPARE(f->samples->size(), 4); // metaAndAssetCtxs, clearinghouseState, spotMeta, spotClearinghouseState
    for (const QList<QVariant> &args : *f->samples) {
        const auto sample = args.first().value<RequestSample>();
        QCOMPARE(sample.method, QByteArray("POST"));
        QCOMPARE(sample.protocol, HttpProtocol::Http1);
        QCOMPARE(sample.exchange, QStringLiteral("hyperliquid"));
    }
    QCOMPARE(f->received->size(), 4);
    for (const QList<QVariant> &args : *f->received) {
        const auto request = args.first().value<SimRequest>();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.target, QByteArray("/info"));
        QCOMPARE(request.version, QByteArray("HTTP/1.1"));
        QVERIFY(request.header("content-type").startsWith("application/json"));
    }
    QCOMPARE(f->exsim->server(SimExchange::Hyperliquid)->http2Connections(), 0);
    // Kept alive: one connection, or two while spotMeta and spotClearinghouseState are both in flight.
    QVERIFY(f->exsim->server(SimExchange::Hyperliquid)->acceptedConnections() <= 2);
}

void tst_HyperliquidClient::setAddressRejectsInvalid_data()
{
    QTest::addColumn<QString>("address");
    QTest::newRow("too short") << QStringLiteral("0x123");
    QTest::newRow("not hex") << QStringLiteral("abc");
    QTest::newRow("41 hex digits") << QStringLiteral("0x") + QString(41, QLatin1Char('a'));
    QTest::newRow("39 hex digits") << QStringLiteral("0x") + QString(39, QLatin1Char('a'));
    QTest::newRow("40 digits, no 0x") << QString(40, QLatin1Char('a'));
    QTest::newRow("a g among 40") << QStringLiteral("0x") + QString(39, QLatin1Char('a')) + QLatin1Char('g');
    QTest::newRow("inner space") << QStringLiteral("0x") + QString(20, QLatin1Char('a')) + QLatin1Char(' ')
            + QString(20, QLatin1Char('a'));
}

void tst_HyperliquidClient::setAddressRejectsInvalid()
{
    QFETCH(QString, address);
    HttpClient http;
    HyperliquidClient client(&http);
    QVERIFY(!client.hasCredentials());
    const QString valid = QStringLiteral("0xABCDEF0123456789abcdef0123456789ABCDEF01");
    QVERIFY(HyperliquidClient::isValidAddress(valid));
    QVERIFY(client.setAddress(QLatin1Char(' ') + valid + QLatin1Char(' ')));
    QCOMPARE(client.address(), valid.toLower());
    QVERIFY(!HyperliquidClient::isValidAddress(address));
    QVERIFY(!client.setAddress(address));
    QCOMPARE(client.address(), valid.toLower()); // the previous one is kept
    QVERIFY(client.hasCredentials());
    QVERIFY(client.setAddress(QString())); // clearing is allowed
    QVERIFY(!client.hasCredentials());
}

void tst_HyperliquidClient::noAddressSendsNothing()
{
    auto f = startExsim();
    QVERIFY(f->client->setAddress(QString()));
    for (DataKind kind : {DataKind::Positions, DataKind::Account}) {
        const qsizetype before = f->fetched->size();
        f->client->fetch(kind);
        QCOMPARE(f->fetched->size(), before + 1);
        const auto error = f->fetched->last().at(2).value<FetchError>();
        QCOMPARE(error.kind, FetchErrorKind::NoCredentials);
        QVERIFY(!error.message.isEmpty());
    }
    QCOMPARE(f->samples->size(), 0);
    QVERIFY_FETCH_OK(f, DataKind::Tickers); // public data needs no address
    QCOMPARE(f->samples->size(), 1);
    QCOMPARE(f->receivedTypes(), QStringList {QStringLiteral("metaAndAssetCtxs")});
    QCOMPARE(f->positions->size(), 0);
    QCOMPARE(f->account->size(), 0);
}

void tst_HyperliquidClient::exsimFaults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<FetchErrorKind>("expected");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::newRow("500") << QStringLiteral("500") << FetchErrorKind::Http << qint64(-1);
    QTest::newRow("rate-limit") << QStringLiteral("rate-limit") << FetchErrorKind::RateLimit << qint64(2000);
    QTest::newRow("429:5") << QStringLiteral("429:5") << FetchErrorKind::RateLimit << qint64(5000);
    QTest::newRow("malformed") << QStringLiteral("malformed") << FetchErrorKind::Parse << qint64(-1);
    QTest::newRow("truncate") << QStringLiteral("truncate") << FetchErrorKind::Network << qint64(-1);
    QTest::newRow("huge:9") << QStringLiteral("huge:9") << FetchErrorKind::Parse << qint64(-1);
}

void tst_HyperliquidClient::exsimFaults()
{
    QFETCH(QString, fault);
    QFETCH(FetchErrorKind, expected);
    QFETCH(qint64, retryAfterMs);
    auto f = startExsim();
    f->exsim->setFault(SimExchange::Hyperliquid, *Fault::parse(fault));
    for (DataKind kind : allDataKinds) {
        const FetchError error = f->fetch(kind);
        QVERIFY2(error.kind == expected,
                 qPrintable(nameOf(kind) + QLatin1String(": ") + nameOf(error.kind) + QLatin1String(": ")
                            + error.message));
        QCOMPARE(error.retryAfterMs, retryAfterMs);
    }
    QCOMPARE(f->tickers->size(), 0);
    QCOMPARE(f->positions->size(), 0);
    QCOMPARE(f->account->size(), 0);
    f->exsim->setFault(SimExchange::Hyperliquid, Fault {});
    for (DataKind kind : allDataKinds)
        QVERIFY_FETCH_OK(f, kind);
    QCOMPARE(f->tickers->size(), 1);
    QCOMPARE(f->positions->size(), 1);
    QVERIFY(f->account->size() >= 1);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_HyperliquidClient::serverErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<FetchErrorKind>("expected");
    QTest::addColumn<QString>("messagePart");
    const QByteArray text = "text/plain; charset=utf-8";
    const QByteArray json = "application/json";
    QTest::newRow("422 text/plain") << 422 << text
                                    << QByteArray("Failed to deserialize the JSON body into the target type")
                                    << FetchErrorKind::Http
                                    << QStringLiteral("Failed to deserialize the JSON body");
    QTest::newRow("500 null") << 500 << json << QByteArray("null") << FetchErrorKind::Http
                              << QStringLiteral("500");
    QTest::newRow("200 text/plain") << 200 << text << QByteArray("[]") << FetchErrorKind::Parse
                                    << QStringLiteral("text/plain");
    QTest::newRow("200 text/html") << 200 << QByteArray("text/html") << QByteArray("<html>maintenance</html>")
                                   << FetchErrorKind::Parse << QStringLiteral("text/html");
    QTest::newRow("200 null") << 200 << json << QByteArray("null") << FetchErrorKind::Parse << QString();
    QTest::newRow("429") << 429 << text << QByteArray("Too Many Requests") << FetchErrorKind::RateLimit
                         << QStringLiteral("429");
}

void tst_HyperliquidClient::serverErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(FetchErrorKind, expected);
    QFETCH(QString, messagePart);
    auto f = startCustom([=](const SimRequest &) {
        SimResponse response = SimResponse::json(body, status);
        response.contentType = contentType;
        return response;
    });
    for (DataKind kind : allDataKinds) {
        const FetchError error = f->fetch(kind);
        QCOMPARE(error.kind, expected);
        QVERIFY2(!error.message.isEmpty() && error.message.contains(messagePart), qPrintable(error.message));
    }
    QCOMPARE(f->tickers->size(), 0);
    QCOMPARE(f->positions->size(), 0);
    QCOMPARE(f->account->size(), 0);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_HyperliquidClient::retryAfter_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("minMs");
    QTest::addColumn<qint64>("maxMs");
    QTest::newRow("seconds") << QByteArray("7") << qint64(7000) << qint64(7000);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(1500) << qint64(1500);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1) << qint64(-1);
    QTest::newRow("absent") << QByteArray() << qint64(-1) << qint64(-1);
    // An HTTP-date a minute ahead (the header has whole seconds; the test's own run time comes off it).
    // Qt 6.4's RFC 2822 parser rejects the "GMT" that every HTTP-date ends with; the server's wish must not
    // be dropped for it.
    const QByteArray date = QLocale::c()
                                .toString(QDateTime::currentDateTimeUtc().addSecs(60),
                                          QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                                .toLatin1();
    QTest::newRow("HTTP-date") << date << qint64(30'000) << qint64(60'000);
}

void tst_HyperliquidClient::retryAfter()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, minMs);
    QFETCH(qint64, maxMs);
    auto f = startCustom([=](const SimRequest &) {
        SimResponse response = SimResponse::text("Too Many Requests", 429);
        if (!header.isEmpty())
            response.headers.append({"Retry-After", header});
        return response;
    });
    const FetchError error = f->fetch(DataKind::Tickers);
    QCOMPARE(error.kind, FetchErrorKind::RateLimit);
    QVERIFY2(error.retryAfterMs >= minMs && error.retryAfterMs <= maxMs,
             qPrintable(QString::number(error.retryAfterMs)));
    QVERIFY(error.backOff());
}

void tst_HyperliquidClient::unifiedAccountEquityFromSpot_data()
{
    QTest::addColumn<bool>("positionsFirst");
    QTest::newRow("positions, then account") << true;
    QTest::newRow("account, then positions") << false;
}

void tst_HyperliquidClient::unifiedAccountEquityFromSpot()
{
    // A unified (or portfolio-margin) account: the perp summary reads zero and the collateral is spot USDC
    // (exchange-apis.md 2.4). The bodies are the recorded spot balances and the recorded state, zeroed.
    QFETCH(bool, positionsFirst);
    const QByteArray state = testData(QStringLiteral("variant-hyperliquid-clearinghouseState-unified.json"));
    const QByteArray spot = testData(QStringLiteral("hyperliquid-spotClearinghouseState.json"));
    const QByteArray spotMeta = testData(QStringLiteral("variant-hyperliquid-spotMeta.json"));
    QVERIFY(!state.isEmpty() && !spot.isEmpty() && !spotMeta.isEmpty());
    auto f = startCustom([=](const SimRequest &request) {
        const QString type =
            QJsonDocument::fromJson(request.body).object().value(QStringLiteral("type")).toString();
        if (type == QLatin1String("clearinghouseState"))
            return SimResponse::json(state);
        if (type == QLatin1String("spotClearinghouseState"))
            return SimResponse::json(spot);
        if (type == QLatin1String("spotMeta"))
            return SimResponse::json(spotMeta);
        return SimResponse::text("Failed to deserialize the JSON body into the target type", 422);
    });
    for (DataKind kind : positionsFirst ? QList<DataKind> {DataKind::Positions, DataKind::Account}
                                        : QList<DataKind> {DataKind::Account, DataKind::Positions})
        QVERIFY_FETCH_OK(f, kind);
    QCOMPARE(f->positions->size(), 1);
    QVERIFY(f->positions->last().at(1).value<QList<Position>>().isEmpty());
    QVERIFY(f->account->size() >= 1);
    const AccountSummary account = f->lastAccount();
    QCOMPARE(account.exchange, Exchange::Hyperliquid);
    QCOMPARE(account.equity.text, QStringLiteral("2.77363"));
    QCOMPARE(account.equity.value, 2.77363);
    QCOMPARE(account.available.value, 2.77363); // total - hold
    QStringList types = f->receivedTypes();
    types.sort();
    QCOMPARE(types, (QStringList {"clearinghouseState", "spotClearinghouseState", "spotMeta"}));
}

QTEST_GUILESS_MAIN(tst_HyperliquidClient)
#include "tst_hyperliquidclient.moc"
