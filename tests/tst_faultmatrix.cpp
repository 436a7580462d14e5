// Faults from the exchanges and the network (broken, stalled or refused connections, error and rate-limit
// answers, malformed or huge bodies, bad signature, clock skew, untrusted certificate), through the real
// stack: exsim's fault injection over TLS on loopback, the HttpClient, the exchange clients, the refresher
// and, where it is about what the trader sees, the window.
#include "printers.h"
#include "windowfixture.h"

#include "mainwindow.h"
#include "tabledelegates.h"

#include "models/accountmodel.h"
#include "models/positionmodel.h"
#include "models/tickermodel.h"
#include "refresh/session.h"
#include "sim/connectiontruth.h"

#include <QApplication>
#include <QDialog>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

#define QVERIFY_FETCHED(expression)                                                                          \
    do {                                                                                                     \
        const FetchError error_ = (expression);                                                              \
        QVERIFY2(error_.ok(), qPrintable(nameOf(error_.kind) + QLatin1String(": ") + error_.message));       \
    } while (false)

namespace {

SessionConfig demoConfig(bool http2 = true)
{
    SessionConfig config;
    config.demo = true;
    config.exsim.rttMs = 0;
    config.exsim.http2 = http2;
    // Faults, not budgets: cadences of a few hundred ms make recovery visible in seconds, which no share
    // of a real rate limit allows (tst_ratelimits holds exdash to those).
    config.sharePercent = PollPlan::maxSharePercent;
    config.exsim.enforceRateLimits = false;
    return config;
}

SimExchange simOf(Exchange exchange)
{
    return exchange == Exchange::Bitunix ? SimExchange::Bitunix : SimExchange::Hyperliquid;
}

Fault fault(const char *text)
{
    return *Fault::parse(QString::fromLatin1(text));
}

// A Session and everything its HttpClient reported.
struct Harness
{
    Session session {exsimStarter()};
    QList<RequestSample> samples;

    bool start(const SessionConfig &config)
    {
        QString error;
        if (!session.start(config, &error)) {
            qWarning("session: %s", qPrintable(error));
            return false;
        }
        QObject::connect(session.http(), &HttpClient::sampleReady, &session,
                         [this](const RequestSample &s) { samples.append(s); });
        return true;
    }

    ExchangeClient *client(Exchange exchange)
    {
        return exchange == Exchange::Bitunix ? static_cast<ExchangeClient *>(session.bitunix())
                                             : session.hyperliquid();
    }

    // One fetch, waited for with the event loop running; the error it ended with.
    FetchError fetch(Exchange exchange, DataKind kind)
    {
        FetchError result {FetchErrorKind::Other, QStringLiteral("no answer in 90 s"), -1};
        bool done = false;
        QMetaObject::Connection c = QObject::connect(client(exchange), &ExchangeClient::fetched, &session,
                                                     [&](Exchange e, DataKind k, const FetchError &error) {
                                                         if (e == exchange && k == kind && !done) {
                                                             done = true;
                                                             result = error;
                                                         }
                                                     });
        client(exchange)->fetch(kind);
        (void)QTest::qWaitFor([&] { return done; }, 90'000); // done stays false: the error says so
        QObject::disconnect(c);
        return result;
    }

    // Until no request is in flight. Bitunix's first tickers fetch also asks for precision: a call sent while
    // that one is out finds the pool busy and may take a connection Qt is still opening.
    bool waitIdle()
    {
        return QTest::qWaitFor([this] { return session.http()->inFlight() == 0; }, 30'000);
    }

    // Every sample whose connection kind the server contradicts, one line each; empty when all agree.
    QString contradictions() const
    {
        QString found;
        for (const RequestSample &s : samples) {
            const TruthCheck check = checkAgainstServer(s);
            if (check.verdict == TruthCheck::Verdict::Misclassified)
                found += s.endpoint + QLatin1String(" ") + check.reason + QLatin1Char('\n');
        }
        return found;
    }

    QList<RequestSample> samplesFor(const QString &endpoint) const
    {
        QList<RequestSample> found;
        for (const RequestSample &s : samples) {
            if (s.endpoint == endpoint)
                found.append(s);
        }
        return found;
    }
};

QString tickersEndpoint(Exchange exchange)
{
    return exchange == Exchange::Bitunix ? QStringLiteral("tickers") : QStringLiteral("allMids");
}

QStringList symbolsOf(const TickerModel &model, Exchange exchange)
{
    QStringList symbols;
    for (int row = 0; row < model.rowCount(); ++row) {
        const Ticker t = model.ticker(row);
        if (t.exchange == exchange && t.last.isValid())
            symbols.append(t.symbol);
    }
    return symbols;
}

int positionsOf(const PositionModel &model, Exchange exchange)
{
    int count = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        count += model.position(row).exchange == exchange ? 1 : 0;
    return count;
}

bool noDialogOpen()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (w->isVisible() && qobject_cast<QDialog *>(w))
            return false;
    }
    return true;
}

} // namespace

class tst_FaultMatrix : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void faultKeepsTheLastGoodDataAndRecovers_data();
    void faultKeepsTheLastGoodDataAndRecovers();
    void staleKeepAliveIsSentAgainOnce_data();
    void staleKeepAliveIsSentAgainOnce();
    void stallTimesOutAndTheNextCallOpensANewConnection_data();
    void stallTimesOutAndTheNextCallOpensANewConnection();
    void hugeBodyIsAbortedAtTheCap();
    void retryAfterIsWaitedFor();
    void badSignatureKeepsThePlainCadence();
    void clockSkewIsCorrectedFromTheServersDate_data();
    void clockSkewIsCorrectedFromTheServersDate();
    void untrustedCertificateIsRefused();
    void offlineShowsStaleMarksAndBacksOffWithoutDialogs();
    void simulatorPortTakenIsAClearError();

private:
    std::unique_ptr<MainWindow> openDemo(int cadenceMs, int timeoutMs = HttpClient::defaultTimeoutMs);

    std::unique_ptr<WindowFixture> m_fixture;
};

void tst_FaultMatrix::initTestCase()
{
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    qunsetenv("HYPERLIQUID_ADDRESS");
}

void tst_FaultMatrix::init()
{
    m_fixture = std::make_unique<WindowFixture>(QStringLiteral("exdash-tst-faultmatrix"));
    QVERIFY(m_fixture->isValid());
}

void tst_FaultMatrix::cleanup()
{
    m_fixture.reset();
}

std::unique_ptr<MainWindow> tst_FaultMatrix::openDemo(int cadenceMs, int timeoutMs)
{
    SessionConfig config = demoConfig();
    for (int &cadence : config.cadenceMs)
        cadence = cadenceMs;
    config.timeoutMs = timeoutMs;
    return m_fixture->open(config);
}

void tst_FaultMatrix::faultKeepsTheLastGoodDataAndRecovers_data()
{
    QTest::addColumn<Exchange>("exchange");
    QTest::addColumn<QString>("fault");
    QTest::addColumn<FetchErrorKind>("expected");
    QTest::addColumn<QString>("shown"); // part of the status bar while it lasts

    for (Exchange e : {Exchange::Bitunix, Exchange::Hyperliquid}) {
        const char *name = e == Exchange::Bitunix ? "bitunix" : "hyperliquid";
        auto row = [&](const char *fault, FetchErrorKind kind, const char *shown) {
            QTest::addRow("%s %s", name, fault)
                << e << QString::fromLatin1(fault) << kind << QString::fromLatin1(shown);
        };
        row("reset", FetchErrorKind::Network, "");
        row("truncate", FetchErrorKind::Network, "");
        row("malformed", FetchErrorKind::Parse, "");
        row("500", FetchErrorKind::Http, "HTTP 500");
        row("422", FetchErrorKind::Http, "HTTP 422");
        row("429:1", FetchErrorKind::RateLimit, "429");
        row("stall", FetchErrorKind::Timeout, "no data for");
    }
    QTest::addRow("bitunix rate-limit:10005") << Exchange::Bitunix << QStringLiteral("rate-limit:10005")
                                              << FetchErrorKind::RateLimit << QStringLiteral("10005");
    QTest::addRow("bitunix rate-limit:10006") << Exchange::Bitunix << QStringLiteral("rate-limit:10006")
                                              << FetchErrorKind::RateLimit << QStringLiteral("10006");
}

// What the trader sees while an exchange misbehaves: the status bar names the error and, once the data is
// older than three cadences, how stale it is; the tables keep the last good rows; the other exchange goes
// on; and when the fault clears, everything refreshes again without anyone clicking anything.
void tst_FaultMatrix::faultKeepsTheLastGoodDataAndRecovers()
{
    QFETCH(Exchange, exchange);
    QFETCH(QString, fault);
    QFETCH(FetchErrorKind, expected);
    QFETCH(QString, shown);
    const Exchange other = exchange == Exchange::Bitunix ? Exchange::Hyperliquid : Exchange::Bitunix;
    auto window = openDemo(300, 1500);
    QVERIFY(window->firstRefreshDone());
    Session *session = window->session();
    Refresher *refresher = session->refresher();
    const QStringList symbols = symbolsOf(*window->tickerModel(), exchange);
    const int positions = positionsOf(*window->positionModel(), exchange);
    QVERIFY(symbols.size() >= 20);
    QVERIFY(positions > 0);
    const qint64 otherSuccessBefore = refresher->status(other, DataKind::Tickers).lastSuccessMs;

    exsimOf(session)->setFault(simOf(exchange), *Fault::parse(fault));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const FeedStatus s = refresher->status(exchange, DataKind::Tickers);
            return s.lastError.kind == expected && !s.inFlight;
        },
        15'000));
    const FeedStatus failing = refresher->status(exchange, DataKind::Tickers);
    QVERIFY2(failing.lastError.message.contains(shown), qPrintable(failing.lastError.message));
    QVERIFY(refresher->isStale(exchange, DataKind::Tickers));
    // "stale" may show first, while a stalled call is still waiting for its timeout; then the error.
    QTRY_VERIFY2_WITH_TIMEOUT(window->statusText().contains(failing.lastError.message.left(20)),
                              qPrintable(window->statusText()), 5000);
    QVERIFY(window->statusText().contains(shortNameOf(exchange) + QLatin1String(" error"))
            || window->statusText().contains(shortNameOf(exchange) + QLatin1String(" stale")));
    // The rows stay, marked stale (drawn dimmed), the other exchange's are not.
    auto staleMark = [&](Exchange e) {
        const int row = window->tickerModel()->rowOf(e, symbolsOf(*window->tickerModel(), e).value(0));
        return window->tickerModel()->index(row, 0).data(KeyedTableModelDetail::StaleRole).toBool();
    };
    QTRY_VERIFY_WITH_TIMEOUT(staleMark(exchange), 5000);
    QVERIFY(!staleMark(other));
    QVERIFY(window->tickerModel()->isStale(exchange));
    QVERIFY(qobject_cast<StaleAwareDelegate *>(window->tickerView()->itemDelegate()));
    // Nothing lost: the last good rows stay, and the other exchange keeps refreshing meanwhile.
    QCOMPARE(symbolsOf(*window->tickerModel(), exchange), symbols);
    QCOMPARE(positionsOf(*window->positionModel(), exchange), positions);
    QVERIFY(window->accountModel()->has(exchange));
    QTRY_VERIFY_WITH_TIMEOUT(refresher->status(other, DataKind::Tickers).lastSuccessMs > otherSuccessBefore,
                             10'000);
    QVERIFY(refresher->status(other, DataKind::Tickers).lastError.ok());
    QVERIFY(noDialogOpen());

    exsimOf(session)->setFault(simOf(exchange), {});
    // Back-off after one or two failures is at most a few seconds.
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (DataKind kind : allDataKinds) {
                if (refresher->isStale(exchange, kind))
                    return false;
            }
            return true;
        },
        20'000));
    QTRY_VERIFY_WITH_TIMEOUT(window->statusText().contains(shortNameOf(exchange) + QLatin1String(" ok")),
                             5000);
    QTRY_VERIFY_WITH_TIMEOUT(!staleMark(exchange), 5000);
    QCOMPARE(symbolsOf(*window->tickerModel(), exchange).size(), symbols.size());
}

void tst_FaultMatrix::staleKeepAliveIsSentAgainOnce_data()
{
    QTest::addColumn<Exchange>("exchange");
    QTest::addColumn<bool>("http2");
    // Both take HTTP/2 when the server offers it, else HTTP/1.1, where Qt itself sends a retry-safe request
    // again.
    QTest::newRow("bitunix GET, h2") << Exchange::Bitunix << true;
    QTest::newRow("bitunix GET, http/1.1") << Exchange::Bitunix << false;
    QTest::newRow("hyperliquid POST /info, h2") << Exchange::Hyperliquid << true;
    QTest::newRow("hyperliquid POST /info, http/1.1") << Exchange::Hyperliquid << false;
}

// The keep-alive race: the server closes an idle connection just as the next request goes out on it. The
// request is read-only (a GET, or Hyperliquid's /info), so it goes again on a new connection and succeeds;
// the trader sees nothing but a handshake's worth of latency, and the sample says what happened, as the
// server saw it.
void tst_FaultMatrix::staleKeepAliveIsSentAgainOnce()
{
    QFETCH(Exchange, exchange);
    QFETCH(bool, http2);
    Harness h;
    QVERIFY(h.start(demoConfig(http2)));
    QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
    QVERIFY(h.waitIdle());
    const QString endpoint = tickersEndpoint(exchange);
    QCOMPARE(h.samplesFor(endpoint).size(), 1);
    QVERIFY(h.samplesFor(endpoint).constFirst().paidHandshake());

    exsimOf(&h.session)->setFault(simOf(exchange), fault("stale"));
    for (int round = 2; round <= 3; ++round) {
        // Every call finds its connection closed, and each goes again exactly once.
        QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
        const QList<RequestSample> samples = h.samplesFor(endpoint);
        QCOMPARE(samples.size(), round); // one request, one sample, however many attempts
        const RequestSample &retried = samples.last();
        QVERIFY(retried.ok());
        const TruthCheck truth = checkAgainstServer(retried);
        QVERIFY2(truth.openedForIt,
                 qPrintable(truth.reason)); // the answer came on a connection opened for it
        QVERIFY2(retried.paidHandshake(), qPrintable(truth.reason));
        QVERIFY(h.waitIdle());
    }
    QVERIFY2(h.contradictions().isEmpty(), qPrintable(h.contradictions()));
}

void tst_FaultMatrix::stallTimesOutAndTheNextCallOpensANewConnection_data()
{
    QTest::addColumn<Exchange>("exchange");
    QTest::addColumn<bool>("http2");
    QTest::newRow("bitunix h2") << Exchange::Bitunix << true;
    QTest::newRow("bitunix http/1.1") << Exchange::Bitunix << false;
    QTest::newRow("hyperliquid h2") << Exchange::Hyperliquid << true;
    QTest::newRow("hyperliquid http/1.1") << Exchange::Hyperliquid << false;
}

// A stalled server: the call times out, the connection it was on is dropped (over HTTP/2 too, where the
// connection would outlive the stream), and the next call goes out on another connection: a fresh one, or
// one Qt opened earlier and never used. Every kind is held against what the server saw.
void tst_FaultMatrix::stallTimesOutAndTheNextCallOpensANewConnection()
{
    QFETCH(Exchange, exchange);
    QFETCH(bool, http2);
    SessionConfig config = demoConfig(http2);
    config.timeoutMs = 500;
    Harness h;
    QVERIFY(h.start(config));
    const QString endpoint = tickersEndpoint(exchange);
    QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
    QVERIFY(h.waitIdle());
    QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
    const RequestSample warm = h.samplesFor(endpoint).last();
    QCOMPARE(warm.connection, ConnectionKind::Reused);
    const int stalledConnection = ServerConnection::parse(warm.serverConnection).value().id;

    // With nothing in flight, the next call goes out on the connection the last one used.
    exsimOf(&h.session)->setFault(simOf(exchange), fault("stall"));
    QCOMPARE(h.fetch(exchange, DataKind::Tickers).kind, FetchErrorKind::Timeout);
    QCOMPARE(h.samplesFor(endpoint).last().error, NetError::Timeout);
    QVERIFY(h.waitIdle());

    exsimOf(&h.session)->setFault(simOf(exchange), {});
    QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
    const RequestSample next = h.samplesFor(endpoint).last();
    QVERIFY(next.ok());
    const std::optional<ServerConnection> nextConnection = ServerConnection::parse(next.serverConnection);
    QVERIFY(nextConnection);
    QVERIFY2(nextConnection->id != stalledConnection, "the stalled connection was dropped");
    const TruthCheck truth = checkAgainstServer(next);
    if (nextConnection->ordinal == 1 && !truth.openedForIt) {
        // HTTP/1.1: a connection Qt opened for the first fetch's precision call and never used.
        QVERIFY2(!http2, qPrintable(truth.reason));
    } else {
        QVERIFY2(truth.openedForIt, qPrintable(truth.reason));
        QCOMPARE(next.connection, ConnectionKind::New);
        QVERIFY(next.tlsDoneMs >= 0);
    }
    // And the one after that is back to reuse.
    QVERIFY(h.waitIdle());
    QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
    QCOMPARE(h.samplesFor(endpoint).last().connection, ConnectionKind::Reused);
    QVERIFY2(h.contradictions().isEmpty(), qPrintable(h.contradictions()));
}

// A 50 MiB answer is refused at the client's 8 MiB cap: the client never holds more than the cap plus one
// read buffer, the error says why, and the next call works.
void tst_FaultMatrix::hugeBodyIsAbortedAtTheCap()
{
    for (Exchange exchange : {Exchange::Bitunix, Exchange::Hyperliquid}) {
        SessionConfig config = demoConfig();
        // Building and encrypting 50 MiB in the in-process simulator can take seconds (under a sanitizer):
        // only the cap may end this call.
        config.timeoutMs = 60'000;
        Harness h;
        QVERIFY(h.start(config));
        const QString endpoint = tickersEndpoint(exchange);
        exsimOf(&h.session)->setFault(simOf(exchange), fault("huge:50"));
        const FetchError error = h.fetch(exchange, DataKind::Tickers);
        QCOMPARE(error.kind, FetchErrorKind::Parse);
        QVERIFY2(error.message.contains(QLatin1String("larger than")), qPrintable(error.message));
        const RequestSample aborted = h.samplesFor(endpoint).last();
        QCOMPARE(aborted.error, NetError::TooLarge);
        QVERIFY(aborted.bytesReceived <= h.session.http()->maxResponseBytes() + 256 * 1024);

        exsimOf(&h.session)->setFault(simOf(exchange), {});
        QVERIFY_FETCHED(h.fetch(exchange, DataKind::Tickers));
    }
}

// HTTP 429 with Retry-After: the refresher's next call to that feed starts no earlier than the server asked.
void tst_FaultMatrix::retryAfterIsWaitedFor()
{
    SessionConfig config = demoConfig();
    config.cadenceMs[int(DataKind::Tickers)] = 200;
    Harness h;
    QVERIFY(h.start(config));
    Refresher *refresher = h.session.refresher();
    refresher->start();
    QVERIFY(QTest::qWaitFor([&] { return h.samplesFor(QStringLiteral("metaAndAssetCtxs")).size() >= 2; },
                            10'000));

    exsimOf(&h.session)->setFault(SimExchange::Hyperliquid, fault("429:2"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const QList<RequestSample> s = h.samplesFor(QStringLiteral("metaAndAssetCtxs"));
            return s.last().httpStatus == 429;
        },
        10'000));
    const RequestSample limited = h.samplesFor(QStringLiteral("metaAndAssetCtxs")).last();
    QCOMPARE(refresher->status(Exchange::Hyperliquid, DataKind::Tickers).lastError.retryAfterMs, 2000);
    exsimOf(&h.session)->setFault(SimExchange::Hyperliquid, {});
    const int before = h.samplesFor(QStringLiteral("metaAndAssetCtxs")).size();
    QVERIFY(QTest::qWaitFor([&] { return h.samplesFor(QStringLiteral("metaAndAssetCtxs")).size() > before; },
                            10'000));
    const RequestSample next = h.samplesFor(QStringLiteral("metaAndAssetCtxs")).at(before);
    const qint64 limitedEnd = limited.startedAtMsSinceEpoch + qint64(limited.finishedMs);
    // Wall-clock milliseconds of two samples; one of rounding.
    QVERIFY2(
        next.startedAtMsSinceEpoch >= limitedEnd + 2000 - 1,
        qPrintable(
            QStringLiteral("next call %1 ms after the 429").arg(next.startedAtMsSinceEpoch - limitedEnd)));
    // Meanwhile Bitunix went on at its cadence.
    QVERIFY(refresher->status(Exchange::Bitunix, DataKind::Tickers).lastError.ok());
}

// A wrong secret (Bitunix 10007) is an authentication error: retrying sooner cannot help and must not
// hammer the exchange, so each private feed keeps exactly its cadence, one call at a time.
void tst_FaultMatrix::badSignatureKeepsThePlainCadence()
{
    SessionConfig config = demoConfig();
    constexpr int cadenceMs = 300;
    config.cadenceMs[int(DataKind::Positions)] = cadenceMs;
    config.cadenceMs[int(DataKind::Account)] = cadenceMs;
    Harness h;
    QVERIFY(h.start(config));
    h.session.bitunix()->setCredentials(h.session.demo()->endpoints().bitunixApiKey, "not-the-secret");
    Refresher *refresher = h.session.refresher();
    // The Refresher's clock moves only when this test moves it: the cadence is checked to the millisecond,
    // however late the machine runs the calls.
    qint64 nowMs = 0;
    refresher->setClock([&nowMs] { return nowMs; });
    refresher->start();
    const auto positionsInFlight = [&] {
        return refresher->status(Exchange::Bitunix, DataKind::Positions).inFlight;
    };
    for (int call = 1; call <= 4; ++call) {
        QVERIFY(positionsInFlight());
        QVERIFY(QTest::qWaitFor([&] { return !positionsInFlight(); }, 15'000));
        QCOMPARE(h.samplesFor(QStringLiteral("positions")).size(), call);
        const FeedStatus status = refresher->status(Exchange::Bitunix, DataKind::Positions);
        QCOMPARE(status.lastError.kind, FetchErrorKind::Auth);
        QVERIFY2(status.lastError.message.contains(QLatin1String("10007")),
                 qPrintable(status.lastError.message));
        // No retry storm and no back-off: not a millisecond before the cadence, and on the dot after it.
        nowMs += cadenceMs - 1;
        refresher->sendDueCalls();
        QVERIFY(!positionsInFlight());
        nowMs += 1;
        refresher->sendDueCalls();
    }
    refresher->stop();
    // Public data is unaffected.
    QVERIFY(QTest::qWaitFor([&] { return refresher->inFlight() == 0; }, 15'000));
    QVERIFY(refresher->status(Exchange::Bitunix, DataKind::Tickers).lastError.ok());
}

void tst_FaultMatrix::clockSkewIsCorrectedFromTheServersDate_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<qint64>("offsetMs");
    QTest::newRow("server 120 s ahead") << QStringLiteral("skew:120") << qint64(120'000);
    QTest::newRow("server 90 s behind") << QStringLiteral("skew-behind:90") << qint64(-90'000);
}

// Signed calls carry a timestamp the server checks (within 60 s): a computer whose clock is off fails the
// first one, reads the server's clock from its Date header, and signs the next ones with the server's time.
void tst_FaultMatrix::clockSkewIsCorrectedFromTheServersDate()
{
    QFETCH(QString, fault);
    QFETCH(qint64, offsetMs);
    Harness h;
    QVERIFY(h.start(demoConfig()));
    exsimOf(&h.session)->setFault(SimExchange::Bitunix, *Fault::parse(fault));
    const FetchError first = h.fetch(Exchange::Bitunix, DataKind::Positions);
    QVERIFY2(first.message.contains(QLatin1String("timestamp")), qPrintable(first.message));
    QVERIFY2(first.message.contains(QLatin1String("clock")), qPrintable(first.message));
    QVERIFY(std::abs(h.session.bitunix()->clockOffsetMs() - offsetMs) <= 2500);
    QVERIFY_FETCHED(h.fetch(Exchange::Bitunix, DataKind::Positions));
    QVERIFY_FETCHED(h.fetch(Exchange::Bitunix, DataKind::Account));

    exsimOf(&h.session)->setFault(SimExchange::Bitunix, {});
    QVERIFY_FETCHED(h.fetch(Exchange::Bitunix, DataKind::Tickers));
    QCOMPARE(h.session.bitunix()->clockOffsetMs(), 0);
    QVERIFY_FETCHED(h.fetch(Exchange::Bitunix, DataKind::Positions));
}

// Live mode against a server whose certificate nobody trusts (exsim's demo CA is not given): refused, shown
// as a TLS error, never retried in a way that could end up trusting it.
void tst_FaultMatrix::untrustedCertificateIsRefused()
{
    ExsimThread exsim;
    ExsimOptions options;
    options.rttMs = 0;
    QVERIFY(exsim.start(options));
    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = exsim.endpoints().bitunix;
    config.hyperliquidUrl = exsim.endpoints().hyperliquid;
    Harness h;
    QVERIFY(h.start(config));
    for (Exchange exchange : {Exchange::Bitunix, Exchange::Hyperliquid}) {
        const FetchError error = h.fetch(exchange, DataKind::Tickers);
        QCOMPARE(error.kind, FetchErrorKind::Tls);
        QCOMPARE(h.samplesFor(tickersEndpoint(exchange)).last().error, NetError::Tls);
        QVERIFY(h.session.refresher()->isStale(exchange, DataKind::Tickers));
    }
}

// Offline: one origin refuses connections, the other's name does not resolve. The status bar says so and
// marks the data stale, the refresher retries with growing, jittered back-off, and no dialog opens.
void tst_FaultMatrix::offlineShowsStaleMarksAndBacksOffWithoutDialogs()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        closedPort = probe.serverPort();
    }
    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(closedPort));
    config.hyperliquidUrl = QUrl(QStringLiteral("https://exdash-offline.invalid"));
    config.cadenceMs[int(DataKind::Tickers)] = 200;
    MainWindow window(m_fixture->settings(), m_fixture->credentials(), config, exsimStarter());
    window.show();
    QString error;
    QVERIFY2(window.start(&error), qPrintable(error));
    QList<RequestSample> samples;
    connect(window.session()->http(), &HttpClient::sampleReady, this,
            [&](const RequestSample &s) { samples.append(s); });
    auto attempts = [&](const QString &exchange) {
        QList<qint64> starts;
        for (const RequestSample &s : std::as_const(samples)) {
            if (s.exchange == exchange
                && (s.endpoint == QLatin1String("tickers") || s.endpoint == QLatin1String("allMids")))
                starts.append(s.startedAtMsSinceEpoch);
        }
        return starts;
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            return attempts(QStringLiteral("bitunix")).size() >= 3
                && attempts(QStringLiteral("hyperliquid")).size() >= 3;
        },
        20'000));

    const Refresher *refresher = window.session()->refresher();
    QCOMPARE(refresher->status(Exchange::Bitunix, DataKind::Tickers).lastError.kind, FetchErrorKind::Network);
    QCOMPARE(refresher->status(Exchange::Hyperliquid, DataKind::Tickers).lastError.kind,
             FetchErrorKind::Network);
    QVERIFY(refresher->status(Exchange::Bitunix, DataKind::Tickers).failuresInARow >= 3);
    for (const QString &exchange : {QStringLiteral("bitunix"), QStringLiteral("hyperliquid")}) {
        const QList<qint64> starts = attempts(exchange);
        // Back-off n waits base * 2^(n-1), jittered by a factor in [0.5, 1.5): never the 200 ms cadence.
        for (int n = 1; n < 3; ++n) {
            const qint64 gap = starts[n] - starts[n - 1];
            QVERIFY2(gap >= Backoff::baseMs * (1 << (n - 1)) / 2 - 1,
                     qPrintable(QStringLiteral("%1: attempt %2 came %3 ms after the one before")
                                    .arg(exchange)
                                    .arg(n + 1)
                                    .arg(gap)));
        }
    }
    QTRY_VERIFY(window.statusText().contains(QLatin1String("BX error")));
    QTRY_VERIFY(window.statusText().contains(QLatin1String("HL error")));
    QVERIFY(noDialogOpen());
    QCOMPARE(window.tickerModel()->rowCount(), 0);
}

// exsim's port taken at start-up: the session does not start, and says which port and why.
void tst_FaultMatrix::simulatorPortTakenIsAClearError()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    SessionConfig config = demoConfig();
    config.exsim.bitunixPort = squatter.serverPort();
    Session session(exsimStarter());
    QString error;
    QVERIFY(!session.start(config, &error));
    QVERIFY2(error.contains(QString::number(squatter.serverPort())), qPrintable(error));
}

QTEST_MAIN(tst_FaultMatrix)
#include "tst_faultmatrix.moc"
