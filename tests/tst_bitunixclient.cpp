#include "exchanges/bitunix/bitunixclient.h"
#include "net/httpclient.h"
#include "printers.h"
#include "sim/bitunixsim.h"
#include "sim/exsim.h"
#include "sim/httpsserver.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

inline char *toString(FetchErrorKind value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}
inline char *toString(DataKind value)
{
    return qstrdup(nameOf(value).toUtf8().constData());
}

// BitunixClient against an in-process exsim (RTT 0) through the real HttpClient: what it emits, what it
// sends, and how every failure reaches the caller without touching the last good data.
class tst_BitunixClient : public QObject
{
    Q_OBJECT

private slots:
    void tickersParseWithPrecision();
    void precisionIsAskedAgainAfterAFailure();
    void watchlistFilters_data();
    void watchlistFilters();
    void positionsJoinTickerMarks_data();
    void positionsJoinTickerMarks();
    void positionsOutsideTheWatchlistKeepTheirMarks(); // fails: see the comment in the test
    void accountHasEquity();
    void noCredentialsSendsNothing();
    void wrongCredentialsAreAuth_data();
    void wrongCredentialsAreAuth();
    void faults_data();
    void faults();
    void untrustedCaIsTls();
    void fundingFromExsim();
    void fundingJoinedPerHour_data();
    void fundingJoinedPerHour();
    void failedFundingKeepsTheLastGoodData_data();
    void failedFundingKeepsTheLastGoodData();

private:
    // A server whose answer to each path the test sets, and changes, as it goes: 404 for any other.
    using Answers = std::shared_ptr<QHash<QByteArray, SimResponse>>;
    struct Fixture
    {
        std::unique_ptr<Exsim> exsim;
        // Or, for a server that ignores the symbols filter (docs/exchange-apis.md#bitunix-tickers), a
        // BitunixSim of its own.
        std::unique_ptr<SimMarket> market;
        std::unique_ptr<BitunixSim> sim;
        DemoCertificates certificates;
        std::unique_ptr<HttpsServer> server;
        std::unique_ptr<HttpClient> http;
        std::unique_ptr<BitunixClient> client;
        std::unique_ptr<QSignalSpy> tickers, positions, account, fetched, samples, received;
        int fetches = 0;

        // One fetch, waited for with a real event loop; the error it ended with.
        FetchError fetch(DataKind kind);
        // Waits until a sample for this endpoint arrived (trading_pairs runs alongside the first tickers).
        bool waitForSample(const QString &endpoint);
        int samplesFor(const QString &endpoint) const;
        QList<Ticker> lastTickers() const { return tickers->last().at(1).value<QList<Ticker>>(); }
        QList<Position> lastPositions() const { return positions->last().at(1).value<QList<Position>>(); }
    };
    static std::unique_ptr<Fixture> start(bool http2 = true, bool trustCa = true, bool credentials = true);
    static std::unique_ptr<Fixture> startIgnoringFilter();
    static std::unique_ptr<Fixture> startScripted(const Answers &answers);
    static void attach(Fixture *f, const QUrl &url, HttpsServer *server);
};

std::unique_ptr<tst_BitunixClient::Fixture> tst_BitunixClient::start(bool http2, bool trustCa,
                                                                     bool credentials)
{
    auto f = std::make_unique<Fixture>();
    ExsimOptions options;
    options.rttMs = 0;
    options.http2 = http2;
    f->exsim = std::make_unique<Exsim>(options);
    QString error;
    if (!f->exsim->start(&error))
        qFatal("exsim did not start: %s", qPrintable(error));
    attach(f.get(), f->exsim->url(SimExchange::Bitunix), f->exsim->server(SimExchange::Bitunix));
    if (trustCa)
        f->http->setCaCertificates(f->exsim->url(SimExchange::Bitunix), {f->exsim->ca()});
    if (credentials)
        f->client->setCredentials(f->exsim->bitunixApiKey(), f->exsim->bitunixApiSecret());
    return f;
}

std::unique_ptr<tst_BitunixClient::Fixture> tst_BitunixClient::startIgnoringFilter()
{
    auto f = std::make_unique<Fixture>();
    f->market = std::make_unique<SimMarket>(11);
    f->sim = std::make_unique<BitunixSim>(f->market.get(), "key", "secret");
    QString error;
    f->certificates = DemoCertificates::generate(QStringLiteral("tst_bitunixclient CA"), 1, &error);
    if (f->certificates.isNull())
        qFatal("no certificates: %s", qPrintable(error));
    BitunixSim *sim = f->sim.get();
    f->server = std::make_unique<HttpsServer>(f->certificates, [sim](const SimRequest &request) {
        SimRequest withoutQuery = request;
        withoutQuery.target = request.path();
        return sim->handle(withoutQuery, QDateTime::currentMSecsSinceEpoch());
    });
    if (!f->server->listen())
        qFatal("cannot listen: %s", qPrintable(f->server->errorString()));
    attach(f.get(), f->server->origin(), f->server.get());
    f->http->setCaCertificates(f->server->origin(), {f->certificates.ca});
    return f;
}

std::unique_ptr<tst_BitunixClient::Fixture> tst_BitunixClient::startScripted(const Answers &answers)
{
    auto f = std::make_unique<Fixture>();
    QString error;
    f->certificates = DemoCertificates::generate(QStringLiteral("tst_bitunixclient CA"), 1, &error);
    if (f->certificates.isNull())
        qFatal("no certificates: %s", qPrintable(error));
    f->server = std::make_unique<HttpsServer>(f->certificates, [answers](const SimRequest &request) {
        return answers->value(request.path(), SimResponse::text("Not Found", 404));
    });
    if (!f->server->listen())
        qFatal("cannot listen: %s", qPrintable(f->server->errorString()));
    attach(f.get(), f->server->origin(), f->server.get());
    f->http->setCaCertificates(f->server->origin(), {f->certificates.ca});
    return f;
}

void tst_BitunixClient::attach(Fixture *f, const QUrl &url, HttpsServer *server)
{
    f->http = std::make_unique<HttpClient>();
    f->client = std::make_unique<BitunixClient>(f->http.get());
    f->client->setBaseUrl(url);
    f->tickers = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::tickersUpdated);
    f->positions = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::positionsUpdated);
    f->account = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::accountUpdated);
    f->fetched = std::make_unique<QSignalSpy>(f->client.get(), &ExchangeClient::fetched);
    f->samples = std::make_unique<QSignalSpy>(f->http.get(), &HttpClient::sampleReady);
    f->received = std::make_unique<QSignalSpy>(server, &HttpsServer::requestReceived);
}

FetchError tst_BitunixClient::Fixture::fetch(DataKind kind)
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
    return args.at(2).value<FetchError>();
}

int tst_BitunixClient::Fixture::samplesFor(const QString &endpoint) const
{
    int count = 0;
    for (const QList<QVariant> &args : *samples)
        count += args.first().value<RequestSample>().endpoint == endpoint ? 1 : 0;
    return count;
}

bool tst_BitunixClient::Fixture::waitForSample(const QString &endpoint)
{
    while (samplesFor(endpoint) == 0) {
        if (!samples->wait(20'000))
            return false;
    }
    return true;
}

#define QVERIFY_FETCH_OK(f, k)                                                                               \
    do {                                                                                                     \
        const FetchError e_ = (f)->fetch(k);                                                                 \
        QVERIFY2(                                                                                            \
            e_.ok(),                                                                                         \
            qPrintable(nameOf(k) + QLatin1Char(' ') + nameOf(e_.kind) + QLatin1String(": ") + e_.message));  \
    } while (false)

void tst_BitunixClient::tickersParseWithPrecision()
{
    auto f = start();
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), 1);
    const QList<Ticker> first = f->lastTickers();
    QVERIFY2(first.size() >= 20, qPrintable(QString::number(first.size())));
    QSet<QString> symbols;
    for (const Ticker &t : first) {
        QCOMPARE(t.exchange, Exchange::Bitunix);
        QVERIFY2(t.symbol.endsWith(QLatin1String("USDT")), qPrintable(t.symbol));
        QVERIFY2(t.last.isValid() && t.last.value > 0, qPrintable(t.symbol));
        QVERIFY2(t.mark.isValid() && t.mark.value > 0, qPrintable(t.symbol));
        QVERIFY2(t.open24h.isValid() && t.high24h.isValid() && t.low24h.isValid(), qPrintable(t.symbol));
        QVERIFY2(t.volumeBase.isValid() && t.volumeQuote.isValid(), qPrintable(t.symbol));
        QVERIFY2(t.high24h.value >= t.low24h.value, qPrintable(t.symbol));
        // Not in Bitunix's ticker: funding comes with the stats (funding_rate/batch), not fetched here.
        QVERIFY(!t.funding.isValid());
        QCOMPARE(t.fundingIntervalHours, 0);
        QCOMPARE(t.nextFundingMs, 0);
        symbols.insert(t.symbol);
    }
    QCOMPARE(symbols.size(), first.size());
    QVERIFY(symbols.contains(QStringLiteral("BTCUSDT")));
    QVERIFY(symbols.contains(QStringLiteral("1000PEPEUSDT")));

    // Precision comes from trading_pairs, requested alongside the first tickers; once it has arrived, every
    // ticker carries the exchange's decimals.
    QVERIFY(f->waitForSample(QStringLiteral("trading_pairs")));
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    const QList<Ticker> second = f->lastTickers();
    QCOMPARE(second.size(), first.size());
    for (const Ticker &t : second) {
        const SimInstrument *in = f->exsim->market().bySymbol(t.symbol);
        QVERIFY2(in, qPrintable(t.symbol));
        QCOMPARE(t.priceDecimals, in->quotePrecision);
        QCOMPARE(t.sizeDecimals, in->basePrecision);
    }
    QCOMPARE(f->samplesFor(QStringLiteral("trading_pairs")), 1); // once per session, not per refresh
    QCOMPARE(f->samplesFor(QStringLiteral("tickers")), 2);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_BitunixClient::precisionIsAskedAgainAfterAFailure()
{
    auto f = start();
    f->exsim->setFault(SimExchange::Bitunix, *Fault::parse(QStringLiteral("500")));
    QCOMPARE(f->fetch(DataKind::Tickers).kind, FetchErrorKind::Http);
    QVERIFY(f->waitForSample(QStringLiteral("trading_pairs")));
    f->exsim->setFault(SimExchange::Bitunix, Fault {});
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    while (f->samplesFor(QStringLiteral("trading_pairs")) < 2)
        QVERIFY(f->samples->wait(20'000));
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    for (const Ticker &t : f->lastTickers())
        QVERIFY2(t.priceDecimals >= 0 && t.sizeDecimals >= 0, qPrintable(t.symbol));
    QCOMPARE(f->samplesFor(QStringLiteral("trading_pairs")), 2);
}

void tst_BitunixClient::watchlistFilters_data()
{
    QTest::addColumn<bool>("serverFilters");
    QTest::addColumn<QStringList>("watchlist");
    QTest::addColumn<QStringList>("expected");
    for (bool serverFilters : {true, false}) {
        const char *server = serverFilters ? "server filters" : "server ignores the filter";
        QTest::addRow("BTC, PEPE; %s", server)
            << serverFilters << QStringList {"BTC", "PEPE"} << QStringList {"1000PEPEUSDT", "BTCUSDT"};
        QTest::addRow("lower case, spaces; %s", server)
            << serverFilters << QStringList {" eth ", "sol"} << QStringList {"ETHUSDT", "SOLUSDT"};
        QTest::addRow("not listed on Bitunix; %s", server)
            << serverFilters << QStringList {"HYPE"} << QStringList {};
    }
}

void tst_BitunixClient::watchlistFilters()
{
    QFETCH(bool, serverFilters);
    QFETCH(QStringList, watchlist);
    QFETCH(QStringList, expected);
    auto f = serverFilters ? start() : startIgnoringFilter();
    f->client->setWatchlist(watchlist);
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QStringList symbols;
    for (const Ticker &t : f->lastTickers())
        symbols << t.symbol;
    symbols.sort();
    QCOMPARE(symbols, expected);
}

void tst_BitunixClient::positionsJoinTickerMarks_data()
{
    QTest::addColumn<bool>("tickersFirst");
    QTest::newRow("tickers, then positions") << true;
    QTest::newRow("positions, then tickers") << false;
}

void tst_BitunixClient::positionsJoinTickerMarks()
{
    QFETCH(bool, tickersFirst);
    auto f = start();
    if (tickersFirst) {
        QVERIFY_FETCH_OK(f, DataKind::Tickers);
        QVERIFY_FETCH_OK(f, DataKind::Positions);
        QCOMPARE(f->positions->size(), 1);
    } else {
        QVERIFY_FETCH_OK(f, DataKind::Positions);
        QCOMPARE(f->positions->size(), 1);
        QCOMPARE(f->lastPositions().size(), 4); // emitted at once, marks to follow
        QVERIFY_FETCH_OK(f, DataKind::Tickers);
        QCOMPARE(f->positions->size(), 2); // again, with the new marks
    }
    QHash<QString, Decimal> marks;
    for (const Ticker &t : f->lastTickers())
        marks.insert(t.symbol, t.mark);
    const QList<Position> positions = f->lastPositions();
    QCOMPARE(positions.size(), 4);
    bool longs = false, shorts = false, isolated = false, cross = false;
    for (const Position &p : positions) {
        QCOMPARE(p.exchange, Exchange::Bitunix);
        QVERIFY(!p.positionId.isEmpty());
        QVERIFY2(p.size.isValid() && p.size.value > 0, qPrintable(p.symbol));
        QVERIFY2(p.entryPrice.isValid() && p.unrealizedPnl.isValid() && p.margin.isValid(),
                 qPrintable(p.symbol));
        QVERIFY(p.leverage > 0);
        QVERIFY2(p.markPrice.isValid(), qPrintable(p.symbol));
        QCOMPARE(p.markPrice.text, marks.value(p.symbol).text);
        QVERIFY2(p.positionValue.isValid(), qPrintable(p.symbol));
        QVERIFY2(std::abs(p.positionValue.value - p.size.value * p.markPrice.value)
                     <= 1e-9 * std::abs(p.positionValue.value),
                 qPrintable(QStringLiteral("%1: %2 != %3 x %4")
                                .arg(p.symbol, p.positionValue.text, p.size.text, p.markPrice.text)));
        (p.side == Position::Side::Long ? longs : shorts) = true;
        (p.isolated ? isolated : cross) = true;
    }
    QVERIFY(longs && shorts && isolated && cross);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_BitunixClient::positionsOutsideTheWatchlistKeepTheirMarks()
{
    // With a watchlist the tickers call asks for the watched symbols, and a server that honours the filter
    // would leave positions in other symbols without a mark. A position is shown whatever the watchlist.
    auto f = start();
    f->client->setWatchlist({QStringLiteral("BTC")});
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    const QList<Position> positions = f->lastPositions();
    QCOMPARE(positions.size(), 4);
    QStringList unmarked;
    for (const Position &p : positions) {
        if (!p.markPrice.isValid() || !p.positionValue.isValid())
            unmarked << p.symbol;
    }
    QVERIFY2(unmarked.isEmpty(),
             qPrintable(QStringLiteral("no mark for ") + unmarked.join(QStringLiteral(", "))));
}

void tst_BitunixClient::accountHasEquity()
{
    auto f = start();
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), 1);
    const auto account = f->account->last().first().value<AccountSummary>();
    QCOMPARE(account.exchange, Exchange::Bitunix);
    QVERIFY2(account.equity.isValid() && account.equity.value > 0, qPrintable(account.equity.text));
    QVERIFY(account.available.isValid());
    QVERIFY(account.marginUsed.isValid());
    QVERIFY(account.unrealizedPnl.isValid());
    QVERIFY(account.equity.value >= account.available.value);
}

void tst_BitunixClient::noCredentialsSendsNothing()
{
    auto f = start(true, true, false);
    QVERIFY(!f->client->hasCredentials());
    for (DataKind kind : {DataKind::Positions, DataKind::Account}) {
        const qsizetype before = f->fetched->size();
        f->client->fetch(kind);
        QCOMPARE(f->fetched->size(), before + 1); // at once: there is nothing to wait for
        const auto error = f->fetched->last().at(2).value<FetchError>();
        QCOMPARE(error.kind, FetchErrorKind::NoCredentials);
        QVERIFY(!error.message.isEmpty());
        QVERIFY(!error.backOff());
    }
    QCOMPARE(f->samples->size(), 0);
    // Proof that nothing was merely queued: a public call afterwards is all the server ever sees.
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QVERIFY(f->waitForSample(QStringLiteral("trading_pairs")));
    QCOMPARE(f->samples->size(), 2);
    for (const QList<QVariant> &args : *f->received) {
        const QByteArray path = args.first().value<SimRequest>().path();
        QVERIFY2(path.contains("/market/"), path.constData());
    }
    QCOMPARE(f->positions->size(), 0);
    QCOMPARE(f->account->size(), 0);

    // An empty or blank key or secret is no credentials either.
    f->client->setCredentials(f->exsim->bitunixApiKey(), "  ");
    QVERIFY(!f->client->hasCredentials());
    f->client->setCredentials({}, f->exsim->bitunixApiSecret());
    QVERIFY(!f->client->hasCredentials());
}

void tst_BitunixClient::wrongCredentialsAreAuth_data()
{
    QTest::addColumn<bool>("wrongKey");
    QTest::addColumn<DataKind>("kind");
    QTest::newRow("wrong secret, positions") << false << DataKind::Positions;
    QTest::newRow("wrong secret, account") << false << DataKind::Account;
    QTest::newRow("unknown key, positions") << true << DataKind::Positions;
}

void tst_BitunixClient::wrongCredentialsAreAuth()
{
    QFETCH(bool, wrongKey);
    QFETCH(DataKind, kind);
    auto f = start();
    if (wrongKey)
        f->client->setCredentials("not-the-demo-key", f->exsim->bitunixApiSecret());
    else
        f->client->setCredentials(f->exsim->bitunixApiKey(), "not-the-demo-secret");
    const FetchError error = f->fetch(kind);
    QCOMPARE(error.kind, FetchErrorKind::Auth);
    QVERIFY2(error.message.contains(QLatin1String("check API key/secret")), qPrintable(error.message));
    QVERIFY2(error.message.contains(wrongKey ? QLatin1String("10003") : QLatin1String("10007")),
             qPrintable(error.message));
    QVERIFY(!error.backOff());
    QVERIFY(!error.message.contains(QLatin1String("not-the-demo"))); // no secret in messages
    QCOMPARE(f->positions->size(), 0);
    QCOMPARE(f->account->size(), 0);
    QCOMPARE(f->samples->size(), 1);
}

void tst_BitunixClient::faults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("http2");
    QTest::addColumn<FetchErrorKind>("expected");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QString>("messagePart");
    for (bool h2 : {true, false}) {
        auto row = [h2](const char *fault, FetchErrorKind kind, qint64 retryAfterMs,
                        const char *messagePart) {
            QTest::addRow("%s %s", fault, h2 ? "h2" : "http/1.1")
                << QString::fromLatin1(fault) << h2 << kind << retryAfterMs
                << QString::fromLatin1(messagePart);
        };
        row("rate-limit", FetchErrorKind::RateLimit, -1, "10006");
        row("rate-limit:10005", FetchErrorKind::RateLimit, -1, "10005");
        row("429:3", FetchErrorKind::RateLimit, 3000, "429");
        row("500", FetchErrorKind::Http, -1, "500");
        row("malformed", FetchErrorKind::Parse, -1, "");
        row("stall", FetchErrorKind::Timeout, -1, "");
        row("truncate", FetchErrorKind::Network, -1, "");
        row("reset", FetchErrorKind::Network, -1, "");
        row("huge:9", FetchErrorKind::Parse, -1, "larger than");
    }
}

void tst_BitunixClient::faults()
{
    QFETCH(QString, fault);
    QFETCH(bool, http2);
    QFETCH(FetchErrorKind, expected);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QString, messagePart);
    auto f = start(http2);
    if (fault == QLatin1String("stall"))
        f->http->setDefaultTimeout(400); // and only there: a 9 MiB body can take longer on a busy machine

    // Good data first: what the models would keep.
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QVERIFY(f->waitForSample(QStringLiteral("trading_pairs")));
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QVERIFY_FETCH_OK(f, DataKind::Account);
    const qsizetype tickers = f->tickers->size();
    const qsizetype positions = f->positions->size();
    const qsizetype accounts = f->account->size();
    QCOMPARE(tickers, 1);
    QCOMPARE(positions, 1);
    QCOMPARE(accounts, 1);

    f->exsim->setFault(SimExchange::Bitunix, *Fault::parse(fault));
    for (DataKind kind : allDataKinds) {
        const FetchError error = f->fetch(kind);
        QVERIFY2(error.kind == expected,
                 qPrintable(nameOf(kind) + QLatin1String(": ") + nameOf(error.kind) + QLatin1String(": ")
                            + error.message));
        QCOMPARE(error.retryAfterMs, retryAfterMs);
        QVERIFY2(!error.message.isEmpty() && error.message.contains(messagePart), qPrintable(error.message));
        const auto sample = f->samples->last().first().value<RequestSample>();
        if (expected == FetchErrorKind::Network || expected == FetchErrorKind::Timeout
            || fault.startsWith(QLatin1String("huge")))
            qInfo("%s %s: %s (%s) after %.1f ms", qPrintable(fault), qPrintable(nameOf(kind)),
                  qPrintable(nameOf(sample.error)), qPrintable(error.message), sample.totalMs());
        // Nothing half-parsed reaches the models: no emission at all for a failed call.
        QCOMPARE(f->tickers->size(), tickers);
        QCOMPARE(f->positions->size(), positions);
        QCOMPARE(f->account->size(), accounts);
    }

    f->exsim->setFault(SimExchange::Bitunix, Fault {});
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), tickers + 1);
    QVERIFY(f->lastTickers().size() >= 20);
    QCOMPARE(f->positions->size(), positions + 1); // re-joined with the new marks
    QVERIFY_FETCH_OK(f, DataKind::Positions);
    QCOMPARE(f->lastPositions().size(), 4);
    QVERIFY_FETCH_OK(f, DataKind::Account);
    QCOMPARE(f->account->size(), accounts + 1);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_BitunixClient::untrustedCaIsTls()
{
    auto f = start(true, false);
    for (DataKind kind : allDataKinds) {
        const FetchError error = f->fetch(kind);
        QCOMPARE(error.kind, FetchErrorKind::Tls);
        QVERIFY(!error.message.isEmpty());
    }
    QCOMPARE(f->tickers->size(), 0);
    QCOMPARE(f->positions->size(), 0);
    QCOMPARE(f->account->size(), 0);
    QCOMPARE(f->exsim->server(SimExchange::Bitunix)->requestsServed(), 0);
}

namespace {

const QByteArray tickersPath = "/api/v1/futures/market/tickers";
const QByteArray fundingPath = "/api/v1/futures/market/funding_rate/batch";

// BTC, ETH and SOL at the given BTC price; ETH's funding is paid every 4 hours, BTC's every 8, SOL has none.
QByteArray tickersBody(const char *btcLast = "60001.5")
{
    return QByteArray(R"({"code":0,"msg":"Success","data":[)"
                      R"({"symbol":"BTCUSDT","markPrice":"60000.0","lastPrice":")")
        + btcLast
        + R"(","open":"59000.0","high":"61000.0","low":"58000.0","quoteVol":"1200.5","baseVol":"72000000.0"},)"
          R"({"symbol":"ETHUSDT","markPrice":"3000.0","lastPrice":"3000.5","open":"2950.0","high":"3050.0",)"
          R"("low":"2900.0","quoteVol":"30000.0","baseVol":"90000000.0"},)"
          R"({"symbol":"SOLUSDT","markPrice":"150.0","lastPrice":"150.1","open":"148.0","high":"152.0",)"
          R"("low":"147.0","quoteVol":"100000.0","baseVol":"15000000.0"}]})";
}

QByteArray fundingBody(const char *btcRate = "0.0008")
{
    return QByteArray(
               R"({"code":0,"msg":"Success","data":[)"
               R"({"symbol":"BTCUSDT","markPrice":"60000.0","lastPrice":"60001.5","indexPrice":"59990.0",)"
               R"("fundingRate":")")
        + btcRate
        + R"(","fundingInterval":8,"nextFundingTime":"1770710400000","maxFundingRate":"0.3",)"
          R"("minFundingRate":"-0.3"},)"
          R"({"symbol":"ETHUSDT","markPrice":"3000.0","lastPrice":"3000.5","indexPrice":"2999.0",)"
          R"("fundingRate":"-0.0004","fundingInterval":4,"nextFundingTime":"1770696000000",)"
          R"("maxFundingRate":"0.3","minFundingRate":"-0.3"}]})";
}

QHash<QString, Ticker> bySymbol(const QList<Ticker> &tickers)
{
    QHash<QString, Ticker> result;
    for (const Ticker &t : tickers)
        result.insert(t.symbol, t);
    return result;
}

bool near(const Decimal &d, double expected)
{
    return d.isValid() && std::abs(d.value - expected) <= 1e-12;
}

} // namespace

void tst_BitunixClient::fundingFromExsim()
{
    auto f = start();
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    // The funding answer re-emits the tickers, every one joined to its funding.
    QCOMPARE(f->tickers->size(), 2);
    const QList<Ticker> tickers = f->lastTickers();
    QVERIFY(tickers.size() >= 20);
    for (const Ticker &t : tickers) {
        QCOMPARE(t.fundingIntervalHours, BitunixSim::fundingIntervalHours);
        QVERIFY2(t.funding.isValid() && std::abs(t.funding.value) <= 0.3 / 8, qPrintable(t.symbol));
        // The next settlement: within one interval from now.
        QVERIFY2(t.nextFundingMs > now - 60'000 && t.nextFundingMs <= now + 8 * 3600 * 1000 + 60'000,
                 qPrintable(QString::number(t.nextFundingMs)));
    }
    QCOMPARE(f->samplesFor(QStringLiteral("funding_rate")), 1);
    bool batch = false;
    for (const QList<QVariant> &args : *f->received)
        batch |= args.first().value<SimRequest>().path() == fundingPath;
    QVERIFY(batch);
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_BitunixClient::fundingJoinedPerHour_data()
{
    QTest::addColumn<bool>("tickersFirst");
    QTest::newRow("tickers, then funding") << true;
    QTest::newRow("funding, then tickers") << false;
}

void tst_BitunixClient::fundingJoinedPerHour()
{
    QFETCH(bool, tickersFirst);
    const Answers answers = std::make_shared<QHash<QByteArray, SimResponse>>();
    answers->insert(tickersPath, SimResponse::json(tickersBody()));
    answers->insert(fundingPath, SimResponse::json(fundingBody()));
    auto f = startScripted(answers);
    if (tickersFirst) {
        QVERIFY_FETCH_OK(f, DataKind::Tickers);
        QCOMPARE(f->tickers->size(), 1);
        for (const Ticker &t : f->lastTickers())
            QVERIFY2(!t.funding.isValid() && t.fundingIntervalHours == 0 && t.nextFundingMs == 0,
                     qPrintable(t.symbol));
        QVERIFY_FETCH_OK(f, DataKind::MarketStats);
        QCOMPARE(f->tickers->size(), 2); // the same tickers again, joined
    } else {
        QVERIFY_FETCH_OK(f, DataKind::MarketStats);
        QCOMPARE(f->tickers->size(), 0); // no tickers to join yet
        QVERIFY_FETCH_OK(f, DataKind::Tickers);
        QCOMPARE(f->tickers->size(), 1);
    }
    const QHash<QString, Ticker> t = bySymbol(f->lastTickers());
    QCOMPARE(t.size(), 3);
    // Per hour, as Hyperliquid's: 0.0008 every 8 hours, -0.0004 every 4.
    const Ticker btc = t.value(QStringLiteral("BTCUSDT"));
    QVERIFY2(near(btc.funding, 0.0001), qPrintable(btc.funding.text));
    QCOMPARE(btc.fundingIntervalHours, 8);
    QCOMPARE(btc.nextFundingMs, Q_INT64_C(1770710400000));
    const Ticker eth = t.value(QStringLiteral("ETHUSDT"));
    QVERIFY2(near(eth.funding, -0.0001), qPrintable(eth.funding.text));
    QCOMPARE(eth.fundingIntervalHours, 4);
    QCOMPARE(eth.nextFundingMs, Q_INT64_C(1770696000000));
    // No funding for SOL: none shown, rather than another's.
    const Ticker sol = t.value(QStringLiteral("SOLUSDT"));
    QVERIFY(!sol.funding.isValid());
    QCOMPARE(sol.fundingIntervalHours, 0);
    QCOMPARE(sol.nextFundingMs, 0);
    // The rest is the tickers' own.
    QCOMPARE(btc.last.text, QStringLiteral("60001.5"));
    QCOMPARE(btc.mark.text, QStringLiteral("60000.0"));

    // New tickers keep the funding known.
    answers->insert(tickersPath, SimResponse::json(tickersBody("60100.0")));
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    const Ticker moved = bySymbol(f->lastTickers()).value(QStringLiteral("BTCUSDT"));
    QCOMPARE(moved.last.text, QStringLiteral("60100.0"));
    QVERIFY2(near(moved.funding, 0.0001), qPrintable(moved.funding.text));
    QCOMPARE(moved.nextFundingMs, Q_INT64_C(1770710400000));
    QCOMPARE(f->fetched->size(), f->fetches);
}

void tst_BitunixClient::failedFundingKeepsTheLastGoodData_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<FetchErrorKind>("expected");
    QTest::newRow("500") << 500 << QByteArray("{}") << FetchErrorKind::Http;
    QTest::newRow("10006 too frequently")
        << 200 << QByteArray(R"({"code":10006,"msg":"Request too frequently"})") << FetchErrorKind::RateLimit;
    QTest::newRow("malformed") << 200 << QByteArray(R"({"code":0,"msg":"Success","data":[{"symbol":1}]})")
                               << FetchErrorKind::Parse;
}

void tst_BitunixClient::failedFundingKeepsTheLastGoodData()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(FetchErrorKind, expected);
    const Answers answers = std::make_shared<QHash<QByteArray, SimResponse>>();
    answers->insert(tickersPath, SimResponse::json(tickersBody()));
    answers->insert(fundingPath, SimResponse::json(fundingBody()));
    auto f = startScripted(answers);
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    const qsizetype emitted = f->tickers->size();
    QCOMPARE(emitted, 2);

    // The funding fails: nothing is emitted, nothing is forgotten.
    answers->insert(fundingPath, SimResponse::json(body, status));
    QCOMPARE(f->fetch(DataKind::MarketStats).kind, expected);
    QCOMPARE(f->tickers->size(), emitted);
    // The next tickers still carry the last good funding.
    answers->insert(tickersPath, SimResponse::json(tickersBody("60200.0")));
    QVERIFY_FETCH_OK(f, DataKind::Tickers);
    QCOMPARE(f->tickers->size(), emitted + 1);
    Ticker btc = bySymbol(f->lastTickers()).value(QStringLiteral("BTCUSDT"));
    QCOMPARE(btc.last.text, QStringLiteral("60200.0"));
    QVERIFY2(near(btc.funding, 0.0001), qPrintable(btc.funding.text));
    QCOMPARE(btc.fundingIntervalHours, 8);
    QCOMPARE(btc.nextFundingMs, Q_INT64_C(1770710400000));

    // The tickers fail: the next good funding re-joins the last good tickers.
    answers->insert(tickersPath, SimResponse::json("{}", 500));
    QCOMPARE(f->fetch(DataKind::Tickers).kind, FetchErrorKind::Http);
    QCOMPARE(f->tickers->size(), emitted + 1);
    answers->insert(fundingPath, SimResponse::json(fundingBody("0.0016")));
    QVERIFY_FETCH_OK(f, DataKind::MarketStats);
    QCOMPARE(f->tickers->size(), emitted + 2);
    const QHash<QString, Ticker> t = bySymbol(f->lastTickers());
    QCOMPARE(t.size(), 3);
    btc = t.value(QStringLiteral("BTCUSDT"));
    QCOMPARE(btc.last.text, QStringLiteral("60200.0"));
    QVERIFY2(near(btc.funding, 0.0002), qPrintable(btc.funding.text));
    QVERIFY2(near(t.value(QStringLiteral("ETHUSDT")).funding, -0.0001),
             qPrintable(t.value(QStringLiteral("ETHUSDT")).funding.text));
    QCOMPARE(f->fetched->size(), f->fetches);
}

QTEST_GUILESS_MAIN(tst_BitunixClient)
#include "tst_bitunixclient.moc"
