#include "probe/probemetrics.h"

#include "rawhttp.h"

#include <QDateTime>
#include <QTest>

// What each finished request and fetch adds to the probe's metrics.
class tst_ProbeMetrics : public QObject
{
    Q_OBJECT

private slots:
    void aSuccessIsTimedInItsBucketAndPhases();
    void aFailureIsCountedNotTimed();
    void aWarmUpCountsOnlyItsConnection();
    void handshakesAvoidedAreReusedRequests();
    void resendsAreCounted();
    void fetchErrorsByKindLeaveOutMissingCredentials();
    void withoutASessionOnlyRequestsAndTheProcess();

private:
    static RequestSample sample(double totalMs, ConnectionKind connection = ConnectionKind::Reused,
                                ReuseMode arm = ReuseMode::Pooled);
};

RequestSample tst_ProbeMetrics::sample(double totalMs, ConnectionKind connection, ReuseMode arm)
{
    RequestSample s;
    s.exchange = QStringLiteral("bitunix");
    s.endpoint = QStringLiteral("tickers");
    s.host = QStringLiteral("fapi.bitunix.com:443");
    s.method = "GET";
    s.httpStatus = 200;
    s.reuse = arm;
    s.connection = connection;
    s.requestSentMs = 0.5;
    s.firstByteMs = totalMs - 1;
    s.finishedMs = totalMs;
    return s;
}

void tst_ProbeMetrics::aSuccessIsTimedInItsBucketAndPhases()
{
    ProbeMetrics metrics;
    metrics.record(sample(21));
    const auto samples = exposedSamples(metrics.text(0));
    const QByteArray labels =
        R"(exchange="bitunix",endpoint="tickers",host="fapi.bitunix.com:443",arm="pooled",connection="reused")";
    QCOMPARE(samples.value("exdash_request_duration_seconds_bucket{" + labels + R"(,le="0.02"})", -1), 0.0);
    QCOMPARE(samples.value("exdash_request_duration_seconds_bucket{" + labels + R"(,le="0.03"})", -1), 1.0);
    QCOMPARE(samples.value("exdash_request_duration_seconds_bucket{" + labels + R"(,le="+Inf"})", -1), 1.0);
    QCOMPARE(samples.value("exdash_request_duration_seconds_count{" + labels + "}", -1), 1.0);
    QCOMPARE(samples.value("exdash_request_duration_seconds_sum{" + labels + "}", -1), 0.021);
    QCOMPARE(
        samples.value(
            R"(exdash_requests_total{exchange="bitunix",endpoint="tickers",host="fapi.bitunix.com:443",arm="pooled"})",
            -1),
        1.0);
    // The four phases, each observed once, adding up to the whole.
    double phases = 0;
    for (const char *phase : {"queue", "connect", "wait", "download"}) {
        const QByteArray series =
            QByteArray(R"(exchange="bitunix",host="fapi.bitunix.com:443",arm="pooled",phase=")") + phase
            + "\"";
        QCOMPARE(samples.value("exdash_request_phase_seconds_count{" + series + "}", -1), 1.0);
        phases += samples.value("exdash_request_phase_seconds_sum{" + series + "}");
    }
    QCOMPARE(qRound(phases * 1e6), 21'000);
}

void tst_ProbeMetrics::aFailureIsCountedNotTimed()
{
    ProbeMetrics metrics;
    RequestSample failed = sample(10'000);
    failed.error = NetError::Timeout;
    metrics.record(failed);
    const QByteArray text = metrics.text(0);
    const auto samples = exposedSamples(text);
    QCOMPARE(
        samples.value(
            R"(exdash_requests_total{exchange="bitunix",endpoint="tickers",host="fapi.bitunix.com:443",arm="pooled"})",
            -1),
        1.0);
    QCOMPARE(
        samples.value(
            R"(exdash_request_failures_total{exchange="bitunix",endpoint="tickers",host="fapi.bitunix.com:443",arm="pooled",error="timeout"})",
            -1),
        1.0);
    QVERIFY(!text.contains("exdash_request_duration_seconds_count"));
}

void tst_ProbeMetrics::aWarmUpCountsOnlyItsConnection()
{
    ProbeMetrics metrics;
    RequestSample warmUp = sample(60, ConnectionKind::New);
    warmUp.warmUp = true;
    warmUp.connectionsOpened = 1;
    metrics.record(warmUp);
    const QByteArray text = metrics.text(0);
    QCOMPARE(
        exposedSamples(text).value(
            R"(exdash_connections_opened_total{exchange="bitunix",host="fapi.bitunix.com:443",arm="pooled"})",
            -1),
        1.0);
    QVERIFY(!text.contains("exdash_requests_total{"));
    QVERIFY(!text.contains("exdash_request_duration_seconds_count"));
}

void tst_ProbeMetrics::handshakesAvoidedAreReusedRequests()
{
    ProbeMetrics metrics;
    RequestSample opened = sample(60, ConnectionKind::New);
    opened.connectionsOpened = 1;
    metrics.record(opened);
    metrics.record(sample(20, ConnectionKind::Shared));
    for (int i = 0; i < 5; ++i)
        metrics.record(sample(20));
    RequestSample noReuse = sample(60, ConnectionKind::New, ReuseMode::NoReuse);
    noReuse.connectionsOpened = 1;
    metrics.record(noReuse);
    const auto samples = exposedSamples(metrics.text(0));
    QCOMPARE(samples.value(
                 R"(exdash_handshakes_avoided_total{exchange="bitunix",host="fapi.bitunix.com:443"})", -1),
             5.0);
    QCOMPARE(
        samples.value(
            R"(exdash_connections_opened_total{exchange="bitunix",host="fapi.bitunix.com:443",arm="pooled"})",
            -1),
        1.0);
    QCOMPARE(
        samples.value(
            R"(exdash_connections_opened_total{exchange="bitunix",host="fapi.bitunix.com:443",arm="no-reuse"})",
            -1),
        1.0);
    QCOMPARE(
        samples.value(
            R"(exdash_request_duration_seconds_count{exchange="bitunix",endpoint="tickers",host="fapi.bitunix.com:443",arm="pooled",connection="shared-new"})",
            -1),
        1.0);
}

void tst_ProbeMetrics::resendsAreCounted()
{
    ProbeMetrics metrics;
    RequestSample resent = sample(80, ConnectionKind::New);
    resent.resent = true;
    metrics.record(resent);
    RequestSample failedResend = resent;
    failedResend.error = NetError::ConnectionClosed;
    metrics.record(failedResend);
    QCOMPARE(exposedSamples(metrics.text(0))
                 .value(R"(exdash_resends_total{exchange="bitunix",host="fapi.bitunix.com:443"})", -1),
             2.0);
}

void tst_ProbeMetrics::fetchErrorsByKindLeaveOutMissingCredentials()
{
    ProbeMetrics metrics;
    metrics.recordFetch(Exchange::Hyperliquid, DataKind::Tickers, {});
    metrics.recordFetch(Exchange::Bitunix, DataKind::Positions,
                        {FetchErrorKind::NoCredentials, QStringLiteral("no key")});
    metrics.recordFetch(Exchange::Bitunix, DataKind::Account,
                        {FetchErrorKind::Auth, QStringLiteral("bad signature")});
    metrics.recordFetch(Exchange::Bitunix, DataKind::Account,
                        {FetchErrorKind::Auth, QStringLiteral("bad signature")});
    metrics.recordFetch(Exchange::Hyperliquid, DataKind::MarketStats,
                        {FetchErrorKind::Parse, QStringLiteral("not JSON")});
    const QByteArray text = metrics.text(0);
    const auto samples = exposedSamples(text);
    QCOMPARE(samples.value(R"(exdash_fetch_errors_total{exchange="bitunix",data="account",kind="auth"})", -1),
             2.0);
    QCOMPARE(
        samples.value(R"(exdash_fetch_errors_total{exchange="hyperliquid",data="stats",kind="parse"})", -1),
        1.0);
    QCOMPARE(text.count("exdash_fetch_errors_total{"), 2);
    QVERIFY(!text.contains("bad signature")); // messages are not labels
}

void tst_ProbeMetrics::withoutASessionOnlyRequestsAndTheProcess()
{
    ProbeMetrics metrics;
    const QByteArray text = metrics.text(0);
    QVERIFY(text.startsWith("# HELP exdash_build_info "));
    QVERIFY(text.contains("\nexdash_build_info{version=\"" EXDASH_VERSION "\",qt=\""));
    QVERIFY(!text.contains("exdash_data_age_seconds"));
    QVERIFY(!text.contains("exdash_account_equity"));
    QVERIFY(exposedSamples(text).value("process_cpu_seconds_total", -1) > 0);
    QVERIFY(exposedSamples(text).value("process_resident_memory_bytes", -1) > 1e6);
    // This process started before the test's first line, and not long before (the boot time is whole
    // seconds).
    const double started = exposedSamples(text).value("process_start_time_seconds", -1);
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    QVERIFY2(started <= now + 5 && started > now - 3600, qPrintable(QString::number(now - started)));
    // Every family is announced once, with a type.
    QCOMPARE(text.count("# TYPE exdash_request_duration_seconds histogram\n"), 1);
    QCOMPARE(text.count("# HELP "), text.count("# TYPE "));
}

QTEST_GUILESS_MAIN(tst_ProbeMetrics)
#include "tst_probemetrics.moc"
