#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "jsonshape.h"
#include "net/httpclient.h"
#include "printers.h"
#include "sim/exsim.h"
#include "sim/httpsserver.h"
#include "sim/simratelimits.h"

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
    void infoIsPostOnOneConnection_data();
    void infoIsPostOnOneConnection();
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
    void tickersWaitForContextsThenMidsMoveLast();
    void delistedAssetsKeepNoMid();
    void accountWaitsForAPerpState();
    void neverAsksForSpotMeta();
    void weightPerKind();

private:
    // A server whose answer to each /info type the test sets, and changes, as it goes: 422 for any other.
    using Answers = std::shared_ptr<QHash<QString, SimResponse>>;
    static Answers answers() { return std::make_shared<QHash<QString, SimResponse>>(); }
    static HttpsServer::Handler scripted(const Answers &answers);

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
    // Whatever else is in flight lands too, so that counts are settled (the client sends nothing beside its
    // one call per fetch, but a test must not depend on that to count).
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

HttpsServer::Handler tst_HyperliquidClient::scripted(const Answers &answers)
{
    return [answers](const SimRequest &request) {
        const QString type =
            QJsonDocument::fromJson(request.body).object().value(QStringLiteral("type")).toString();
        return answers->value(
            type, SimResponse::text("Failed to deserialize the JSON body into the target type", 422));
    };
}

namespace {

// metaAndAssetCtxs for BTC, ETH and the delisted MATIC (no mid, no book), with BTC's mark as given.
QByteArray contexts(const char *btcMark = "64000.0")
{
    return QByteArray(R"([{"universe":[{"szDecimals":5,"name":"BTC","maxLeverage":40},)"
                      R"({"szDecimals":4,"name":"ETH","maxLeverage":25},)"
                      R"({"szDecimals":1,"name":"MATIC","maxLeverage":20,"isDelisted":true}]},)"
                      R"([{"funding":"0.0000125","openInterest":"12000.5","prevDayPx":"63000.0",)"
                      R"("dayNtlVlm":"1500000000.0","premium":"0.0001","oraclePx":"63990.0","markPx":")")
        + btcMark
        + R"(","midPx":"64001.0","impactPxs":["63999.0","64002.0"],"dayBaseVlm":"23500.1"},)"
          R"({"funding":"-0.000004","openInterest":"250000.0","prevDayPx":"3050.0","dayNtlVlm":"800000000.0",)"
          R"("premium":"0.0","oraclePx":"3099.5","markPx":"3100.0","midPx":"3100.05",)"
          R"("impactPxs":["3099.9","3100.2"],"dayBaseVlm":"260000.0"},)"
          R"({"funding":"0.0","openInterest":"0.0","prevDayPx":"0.3712","dayNtlVlm":"0.0","premium":null,)"
          R"("oraclePx":"0.3712","markPx":"0.3712","midPx":null,"impactPxs":null,"dayBaseVlm":"0.0"}]])";
}

QHash<QString, Ticker> bySymbol(const QList<Ticker> &tickers)
{
    QHash<QString, Ticker> result;
    for (const Ticker &t : tickers)
        result.insert(t.symbol, t);
    return result;
}

} // namespace

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
    // allMids alone: prices, but not which names are perps nor their precision. No rows yet.
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), 0);
    // The contexts: now every perp, with the mids already known.
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
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
        } else {
            QCOMPARE(t.last.text, t.mark.text); // exsim's allMids has no delisted asset: no mid to show
        }
        names.insert(t.symbol);
    }
    QCOMPARE(names.size(), tickers.size());
    for (const char *name : {"BTC", "HYPE", "kPEPE", "MATIC"})
        QVERIFY2(names.contains(QLatin1String(name)), name);
    // allMids' spot pairs ("@107", "PURR/USDC") are no perps: no rows.
    QVERIFY(!names.contains(QStringLiteral("@107")) && !names.contains(QStringLiteral("PURR/USDC")));
    QCOMPARE(f->receivedTypes(),
             (QStringList {QStringLiteral("allMids"), QStringLiteral("metaAndAssetCtxs")}));

    // The watchlist filters by base, kPEPE counting as PEPE; the next allMids is enough, the contexts known.
    f->client->setWatchlist({QStringLiteral("pepe"), QStringLiteral("BTC")});
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), 2);
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
    // Without the perp state yet there is no equity to show: the spot balance (1250.42 USDC in exsim's demo
    // account) is not the equity of an account whose perp side is not known.
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 0);
    // The perp state, once known and not zero, is the equity; spot does not replace it.
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QCOMPARE(f->account->size(), 1);
    const Decimal perp = f->lastAccount().equity;
    QVERIFY(perp.isValid() && perp.value > 0 && perp.text != QLatin1String("1250.42"));
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 2);
    QCOMPARE(f->lastAccount().equity.text, perp.text);
    // Spot balances every time, and nothing else: USDC is token 0, no spotMeta needed to name it.
    QCOMPARE(f->client->weight(DataKind::Account), 2);
    QStringList types = f->receivedTypes();
    types.sort();
    QCOMPARE(types, (QStringList {"clearinghouseState", "spotClearinghouseState", "spotClearinghouseState"}));
}

void tst_HyperliquidClient::infoIsPostOnOneConnection_data()
{
    QTest::addColumn<bool>("http2");
    QTest::newRow("HTTP/2 offered") << true;
    QTest::newRow("HTTP/1.1 only") << false;
}

// With TCP_NODELAY (net/lowdelay.h) a small POST no longer stalls over HTTP/2: /info takes what is offered,
// and a sequence of calls keeps one connection.
void tst_HyperliquidClient::infoIsPostOnOneConnection()
{
    QFETCH(bool, http2);
    ExsimOptions options;
    options.http2 = http2;
    auto f = startExsim(options);
    QCOMPARE(f->exsim->server(SimExchange::Hyperliquid)->http2Enabled(), http2);
    for (DataKind kind : allDataKinds)
        QVERIFY_FETCH_OK(f, kind);
    QCOMPARE(f->samples->size(), 4); // allMids, metaAndAssetCtxs, clearinghouseState, spotClearinghouseState
    for (const QList<QVariant> &args : *f->samples) {
        const auto sample = args.first().value<RequestSample>();
        QCOMPARE(sample.method, QByteArray("POST"));
        QCOMPARE(sample.protocol, http2 ? HttpProtocol::Http2 : HttpProtocol::Http1);
        QCOMPARE(sample.exchange, QStringLiteral("hyperliquid"));
    }
    QCOMPARE(f->received->size(), 4);
    for (const QList<QVariant> &args : *f->received) {
        const auto request = args.first().value<SimRequest>();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.target, QByteArray("/info"));
        QCOMPARE(request.version, http2 ? QByteArray("HTTP/2") : QByteArray("HTTP/1.1"));
        QVERIFY(request.header("content-type").startsWith("application/json"));
    }
    QCOMPARE(f->exsim->server(SimExchange::Hyperliquid)->http2Connections(), http2 ? 1 : 0);
    // Kept alive: one call at a time, all on one connection.
    QCOMPARE(f->exsim->server(SimExchange::Hyperliquid)->acceptedConnections(), 1);
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
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    QCOMPARE(f->samples->size(), 2);
    QCOMPARE(f->receivedTypes(),
             (QStringList {QStringLiteral("allMids"), QStringLiteral("metaAndAssetCtxs")}));
    QCOMPARE(f->tickers->size(), 1);
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
    QCOMPARE(f->tickers->size(), 1); // once the contexts came: the mids before them show no rows
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
    // (docs/exchange-apis.md#hyperliquid-user-state). The bodies are the recorded spot balances and the
    // recorded state, zeroed.
    QFETCH(bool, positionsFirst);
    const QByteArray state = testData(QStringLiteral("variant-hyperliquid-clearinghouseState-unified.json"));
    const QByteArray spot = testData(QStringLiteral("hyperliquid-spotClearinghouseState.json"));
    QVERIFY(!state.isEmpty() && !spot.isEmpty());
    const Answers answers = tst_HyperliquidClient::answers();
    answers->insert(QStringLiteral("clearinghouseState"), SimResponse::json(state));
    answers->insert(QStringLiteral("spotClearinghouseState"), SimResponse::json(spot));
    auto f = startCustom(scripted(answers));
    for (DataKind kind : positionsFirst ? QList<DataKind> {DataKind::Positions, DataKind::Account}
                                        : QList<DataKind> {DataKind::Account, DataKind::Positions})
        QVERIFY_FETCH_OK(f, kind);
    QCOMPARE(f->positions->size(), 1);
    // Spot first: no account until the perp state says that its side is empty; then spot's equity at once.
    if (!positionsFirst)
        QCOMPARE(f->account->size(), 1);
    QVERIFY(f->positions->last().at(1).value<QList<Position>>().isEmpty());
    QVERIFY(f->account->size() >= 1);
    const AccountSummary account = f->lastAccount();
    QCOMPARE(account.exchange, Exchange::Hyperliquid);
    QCOMPARE(account.equity.text, QStringLiteral("2.77363"));
    QCOMPARE(account.equity.value, 2.77363);
    QCOMPARE(account.available.value, 2.77363); // total - hold
    QStringList types = f->receivedTypes();
    types.sort();
    QCOMPARE(types, (QStringList {"clearinghouseState", "spotClearinghouseState"}));
}

void tst_HyperliquidClient::tickersWaitForContextsThenMidsMoveLast()
{
    const Answers answers = tst_HyperliquidClient::answers();
    answers->insert(
        QStringLiteral("allMids"),
        SimResponse::json(R"({"BTC":"64010.5","ETH":"3101.25","@107":"38.5","PURR/USDC":"0.18"})"));
    answers->insert(QStringLiteral("metaAndAssetCtxs"), SimResponse::json(contexts()));
    auto f = startCustom(scripted(answers));

    // Mids before any contexts: fetched, but no rows (allMids does not say which names are perps).
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), 0);

    // The contexts: every perp, `last` from the mids already known, the rest from the contexts.
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    QCOMPARE(f->tickers->size(), 1);
    QHash<QString, Ticker> t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    QCOMPARE(t.size(), 3); // BTC, ETH, MATIC: no spot pair from allMids
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text, QStringLiteral("64010.5"));
    QCOMPARE(t.value(QStringLiteral("BTC")).mark.text, QStringLiteral("64000.0"));
    QCOMPARE(t.value(QStringLiteral("BTC")).funding.text, QStringLiteral("0.0000125"));
    QCOMPARE(t.value(QStringLiteral("BTC")).openInterest.text, QStringLiteral("12000.5"));
    QCOMPARE(t.value(QStringLiteral("BTC")).priceDecimals, 1);
    QCOMPARE(t.value(QStringLiteral("ETH")).last.text, QStringLiteral("3101.25"));
    QCOMPARE(t.value(QStringLiteral("ETH")).mark.text, QStringLiteral("3100.0"));

    // A new allMids moves `last`, and only `last`: marks, funding and open interest stay the contexts'.
    answers->insert(QStringLiteral("allMids"), SimResponse::json(R"({"BTC":"64200.0","ETH":"3090.5"})"));
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), 2);
    t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text, QStringLiteral("64200.0"));
    QCOMPARE(t.value(QStringLiteral("BTC")).mark.text, QStringLiteral("64000.0"));
    QCOMPARE(t.value(QStringLiteral("BTC")).funding.text, QStringLiteral("0.0000125"));
    QCOMPARE(t.value(QStringLiteral("BTC")).openInterest.text, QStringLiteral("12000.5"));
    QCOMPARE(t.value(QStringLiteral("BTC")).oracle.text, QStringLiteral("63990.0"));
    QCOMPARE(t.value(QStringLiteral("ETH")).last.text, QStringLiteral("3090.5"));
    QCOMPARE(t.value(QStringLiteral("ETH")).mark.text, QStringLiteral("3100.0"));

    // New contexts move the marks; `last` keeps the newest mid.
    answers->insert(QStringLiteral("metaAndAssetCtxs"), SimResponse::json(contexts("64150.0")));
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    QCOMPARE(f->tickers->size(), 3);
    t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    QCOMPARE(t.value(QStringLiteral("BTC")).mark.text, QStringLiteral("64150.0"));
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text, QStringLiteral("64200.0"));

    // A failed allMids emits nothing and keeps the last good mids.
    answers->insert(QStringLiteral("allMids"), SimResponse::json("null", 500));
    QCOMPARE(f->fetch(DataKind::Tickers).kind, FetchErrorKind::Http);
    QCOMPARE(f->tickers->size(), 3);
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text, QStringLiteral("64200.0"));

    // A failed metaAndAssetCtxs keeps the last good contexts: the next mids still show every row.
    answers->insert(QStringLiteral("metaAndAssetCtxs"), SimResponse::json("null", 500));
    answers->insert(QStringLiteral("allMids"), SimResponse::json(R"({"BTC":"64300.0","ETH":"3080.0"})"));
    QCOMPARE(f->fetch(DataKind::MarketStats).kind, FetchErrorKind::Http);
    const qsizetype before = f->tickers->size();
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), before + 1);
    t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    QCOMPARE(t.size(), 3);
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text, QStringLiteral("64300.0"));
    QCOMPARE(t.value(QStringLiteral("BTC")).mark.text, QStringLiteral("64150.0"));
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_HyperliquidClient::delistedAssetsKeepNoMid()
{
    // MATIC is delisted: its contexts have no mid. Even when allMids lists a price for it, that is no
    // market's mid: `last` stays what the contexts say (the mark).
    const Answers answers = tst_HyperliquidClient::answers();
    answers->insert(QStringLiteral("allMids"),
                    SimResponse::json(R"({"BTC":"64010.5","ETH":"3101.25","MATIC":"0.5123"})"));
    answers->insert(QStringLiteral("metaAndAssetCtxs"), SimResponse::json(contexts()));
    auto f = startCustom(scripted(answers));
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QHash<QString, Ticker> t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    const Ticker matic = t.value(QStringLiteral("MATIC"));
    QVERIFY(matic.delisted);
    QCOMPARE(matic.mark.text, QStringLiteral("0.3712"));
    QCOMPARE(matic.last.text, QStringLiteral("0.3712"));
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text,
             QStringLiteral("64010.5")); // the listed ones do take it

    // And a mid is not kept past the allMids that had it: an asset missing from the next one shows the
    // contexts' own mid again, not an old price.
    answers->insert(QStringLiteral("allMids"), SimResponse::json(R"({"BTC":"64020.0"})"));
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    t = bySymbol(f->tickers->last().at(1).value<QList<Ticker>>());
    QCOMPARE(t.value(QStringLiteral("BTC")).last.text, QStringLiteral("64020.0"));
    QCOMPARE(t.value(QStringLiteral("ETH")).last.text, QStringLiteral("3100.05")); // the contexts' midPx
    QCOMPARE(t.value(QStringLiteral("MATIC")).last.text, QStringLiteral("0.3712"));
}

void tst_HyperliquidClient::accountWaitsForAPerpState()
{
    const QByteArray unified =
        testData(QStringLiteral("variant-hyperliquid-clearinghouseState-unified.json"));
    const QByteArray funded = testData(QStringLiteral("hyperliquid-clearinghouseState.json"));
    const QByteArray spot = testData(QStringLiteral("hyperliquid-spotClearinghouseState.json"));
    QVERIFY(!unified.isEmpty() && !funded.isEmpty() && !spot.isEmpty());
    const Answers answers = tst_HyperliquidClient::answers();
    answers->insert(QStringLiteral("spotClearinghouseState"), SimResponse::json(spot));
    // A perp state that does not parse (assetPositions is no array).
    answers->insert(QStringLiteral("clearinghouseState"),
                    SimResponse::json(R"({"marginSummary":{"accountValue":"0.0"},"assetPositions":"none"})"));
    auto f = startCustom(scripted(answers));

    // Spot alone, before any perp state: no account.
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 0);
    // A perp state that fails to parse is none either: still no account, not even from spot.
    QCOMPARE(f->fetch(DataKind::Positions).kind, FetchErrorKind::Parse);
    QCOMPARE(f->account->size(), 0);
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 0);

    // A perp state that parses, with a zero equity (a unified account): the spot USDC is the equity.
    answers->insert(QStringLiteral("clearinghouseState"), SimResponse::json(unified));
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QCOMPARE(f->account->size(), 1);
    QCOMPARE(f->lastAccount().equity.text, QStringLiteral("2.77363"));
    QCOMPARE(f->lastAccount().available.value, 2.77363);

    // A perp side with money in it is the equity, whatever spot holds.
    answers->insert(QStringLiteral("clearinghouseState"), SimResponse::json(funded));
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QCOMPARE(f->account->size(), 2);
    QCOMPARE(f->lastAccount().equity.text, QStringLiteral("83.307638"));
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 3);
    QCOMPARE(f->lastAccount().equity.text, QStringLiteral("83.307638"));
    QCOMPARE(f->lastAccount().available.text, QStringLiteral("75.781884"));

    // A later perp state that fails keeps the last good one: spot still does not replace it.
    answers->insert(QStringLiteral("clearinghouseState"), SimResponse::json("{"));
    QCOMPARE(f->fetch(DataKind::Positions).kind, FetchErrorKind::Parse);
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 4);
    QCOMPARE(f->lastAccount().equity.text, QStringLiteral("83.307638"));

    // Another address starts over: no perp state known for it, so no account from its spot balance.
    QVERIFY(f->client->setAddress(QStringLiteral("0x00000000000000000000000000000000000000c4")));
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 4);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_HyperliquidClient::neverAsksForSpotMeta()
{
    // USDC is token 0 (and named in each balance): spotMeta (weight 20) is never sent, not once per session,
    // not after failures, not for another address.
    auto f = startExsim();
    for (int round = 0; round < 2; ++round) {
        for (DataKind kind : allDataKinds)
            QVERIFY_FETCH_OK(f, kind);
    }
    f->exsim->setFault(SimExchange::Hyperliquid, *Fault::parse(QStringLiteral("500")));
    for (DataKind kind : allDataKinds)
        QCOMPARE(f->fetch(kind).kind, FetchErrorKind::Http);
    f->exsim->setFault(SimExchange::Hyperliquid, Fault {});
    QVERIFY(f->client->setAddress(someAddress));
    for (DataKind kind : allDataKinds)
        QVERIFY_FETCH_OK(f, kind);
    const QStringList types = f->receivedTypes();
    QCOMPARE(types.size(), 4 * 4);
    QVERIFY2(!types.contains(QStringLiteral("spotMeta")), qPrintable(types.join(QLatin1Char(' '))));
    QCOMPARE(QSet<QString>(types.begin(), types.end()),
             (QSet<QString> {"allMids", "metaAndAssetCtxs", "clearinghouseState", "spotClearinghouseState"}));
    QCOMPARE(f->samples->size(), f->fetches); // one request per fetch, nothing beside
}

void tst_HyperliquidClient::weightPerKind()
{
    // docs/exchange-apis.md#hyperliquid-rate-limits: allMids and the user states weigh 2, metaAndAssetCtxs
    // 20; always the same, the first account fetch included.
    auto f = startExsim();
    const QList<int> expected {2, 20, 2, 2}; // tickers, stats, positions, account
    for (int round = 0; round < 2; ++round) {
        QList<int> weights;
        for (DataKind kind : allDataKinds)
            weights << f->client->weight(kind);
        QCOMPARE(weights, expected);
        for (DataKind kind : allDataKinds) {
            const qsizetype before = f->received->size();
            QVERIFY_FETCH_OK(f, kind);
            QCOMPARE(f->received->size(), before + 1);
            // What exsim charges for the request sent, by its copy of Hyperliquid's table.
            const auto request = f->received->last().first().value<SimRequest>();
            QCOMPARE(SimRateLimits::hyperliquidWeight(request), f->client->weight(kind));
        }
    }
    QCOMPARE(f->exsim->rateLimits().used(SimExchange::Hyperliquid), 2 * (2 + 20 + 2 + 2));
    QCOMPARE(f->client->budgetCapacity(), 1200);
    QCOMPARE(f->client->budgetWindowMs(), 60'000);
}

QTEST_GUILESS_MAIN(tst_HyperliquidClient)
#include "tst_hyperliquidclient.moc"
