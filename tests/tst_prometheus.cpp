#include "probe/probe.h"
#include "refresh/session.h"
#include "sim/exsimthread.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QSemaphore>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>

// A demo probe with an event loop of its own: the test's thread may block (on promtool) without delaying a
// scrape or a refresh.
class ProbeThread : public QThread
{
public:
    ProbeThread(const QString &name, double rttMs)
        : m_name(name)
        , m_rttMs(rttMs)
    { }
    ~ProbeThread() override
    {
        quit();
        wait();
    }

    QString name() const { return m_name; }
    // Blocks until the probe serves (its port) or failed to start (0, with the reason).
    quint16 waitUntilServing(QString *error)
    {
        m_ready.acquire();
        *error = m_error;
        return m_port;
    }
    // Every successful API request's end (ms since the epoch) and duration (s) in one arm.
    QList<std::pair<qint64, double>> durations(const QString &arm) const
    {
        const QMutexLocker lock(&m_mutex);
        return m_durations.value(arm);
    }

protected:
    void run() override
    {
        SessionConfig config;
        config.exsim.rttMs = m_rttMs;
        config.exsim.enforceRateLimits = false;
        config.reuse = ReuseMode::Interleaved;
        config.accountData = false;
        config.sharePercent = PollPlan::maxSharePercent;
        auto session = std::make_unique<Session>(exsimStarter());
        Probe probe;
        if (session->start(config, &m_error)) {
            QObject::connect(session->http(), &HttpClient::sampleReady, session->http(),
                             [this](const RequestSample &s) {
                                 if (!s.ok() || s.warmUp)
                                     return;
                                 const QMutexLocker lock(&m_mutex);
                                 m_durations[nameOf(s.reuse)].append(
                                     {s.startedAtMsSinceEpoch + qint64(s.finishedMs), s.totalMs() / 1000});
                             });
            if (probe.start(std::move(session), QHostAddress::LocalHost, 0, false, &m_error))
                m_port = probe.port();
        }
        m_ready.release();
        if (m_port != 0)
            exec();
    }

private:
    const QString m_name;
    const double m_rttMs;
    QSemaphore m_ready;
    QString m_error;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QHash<QString, QList<std::pair<qint64, double>>> m_durations;
};

// Two probes in demo mode at different round trips, scraped every second by a real Prometheus server
// (Debian's prometheus package) on loopback: what Prometheus computes from the histograms agrees with what
// each probe measured itself, the reuse gain shows, and every query of the Grafana dashboard in resources/
// runs.
class tst_Prometheus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void medianAgreesWithTheProbesOwnWithinABucket_data();
    void medianAgreesWithTheProbesOwnWithinABucket();
    void theReuseGainShows();
    void theSlowerLinkShows();
    void everyDashboardQueryRuns();
    void theExampleConfigIsValid();

private:
    // The vector an instant query returns at evalAt (ms since the epoch); empty on error (with a warning).
    QJsonArray query(const QString &expression, qint64 evalAtMs, bool *ok = nullptr);
    double scalarQuery(const QString &expression, qint64 evalAtMs);
    static int bucketOf(double seconds);

    QString m_promtool;
    QTemporaryDir m_dir;
    QProcess m_prometheus;
    QString m_url;
    std::vector<std::unique_ptr<ProbeThread>> m_probes;
    QList<quint16> m_ports;
    qint64 m_evalAtMs = 0;
};

void tst_Prometheus::initTestCase()
{
    m_promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    QVERIFY2(!m_promtool.isEmpty() && !prometheus.isEmpty(),
             "install Debian's prometheus package (./dev.sh test does)");
    QVERIFY(m_dir.isValid());

    for (const auto &[name, rtt] : {std::pair {"fast", 20.0}, std::pair {"slow", 80.0}}) {
        m_probes.push_back(std::make_unique<ProbeThread>(QString::fromLatin1(name), rtt));
        m_probes.back()->start();
        QString error;
        m_ports.append(m_probes.back()->waitUntilServing(&error));
        QVERIFY2(m_ports.last() != 0, qPrintable(error));
    }

    QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    QByteArray yaml = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                      "scrape_configs:\n  - job_name: exdash\n    static_configs:\n";
    for (qsizetype i = 0; i < m_ports.size(); ++i)
        yaml += "      - targets: ['127.0.0.1:" + QByteArray::number(m_ports[i]) + "']\n        labels:\n"
            + "          probe: " + m_probes[i]->name().toLatin1() + "\n";
    config.write(yaml);
    config.close();

    m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
    m_prometheus.start(prometheus,
                       {QStringLiteral("--config.file=") + config.fileName(),
                        QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("data")),
                        QStringLiteral("--web.listen-address=127.0.0.1:0"),
                        QStringLiteral("--log.level=info")});
    QVERIFY(m_prometheus.waitForStarted());
    QByteArray log;
    const QRegularExpression listening(QStringLiteral("msg=\"Listening on\" address=(127\\.0\\.0\\.1:\\d+)"));
    QRegularExpressionMatch match;
    QVERIFY(QTest::qWaitFor(
        [&] {
            log += m_prometheus.readAll();
            match = listening.match(QString::fromUtf8(log));
            return match.hasMatch() || m_prometheus.state() == QProcess::NotRunning;
        },
        60'000));
    QVERIFY2(match.hasMatch(), log.constData());
    m_url = QStringLiteral("http://") + match.captured(1);
    connect(&m_prometheus, &QProcess::readyRead, this, [this] { m_prometheus.readAll(); });

    // Enough scrapes of both probes for a 30 s rate, with both arms of both in them, and the last scrape of
    // each answered (a failed one would leave the gauges stale at that moment).
    const QString scrapes = QStringLiteral("min(count_over_time(up{job=\"exdash\"}[30s]))");
    const QString armsSeen = QStringLiteral(
        "count(sum by (instance, arm) (increase(exdash_request_duration_seconds_count[30s])) > 5)");
    const QString lastScrapesAnswered = QStringLiteral("min(up{job=\"exdash\"})");
    QVERIFY(QTest::qWaitFor(
        [&] {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            m_evalAtMs = now;
            return scalarQuery(scrapes, now) >= 12 && scalarQuery(armsSeen, now) == 4
                && scalarQuery(lastScrapesAnswered, now) == 1;
        },
        110'000));
}

void tst_Prometheus::cleanupTestCase()
{
    if (m_prometheus.state() != QProcess::NotRunning) {
        m_prometheus.terminate();
        if (!m_prometheus.waitForFinished(30'000))
            m_prometheus.kill();
    }
    m_probes.clear();
}

QJsonArray tst_Prometheus::query(const QString &expression, qint64 evalAtMs, bool *ok)
{
    QProcess promtool;
    promtool.start(m_promtool,
                   {QStringLiteral("query"), QStringLiteral("instant"), QStringLiteral("-o"),
                    QStringLiteral("json"),
                    QStringLiteral("--time=%1").arg(double(evalAtMs) / 1000, 0, 'f', 3), m_url, expression});
    const bool answered = promtool.waitForFinished(60'000) && promtool.exitStatus() == QProcess::NormalExit
        && promtool.exitCode() == 0;
    if (ok)
        *ok = answered;
    if (!answered) {
        qWarning("%s: %s", qPrintable(expression), promtool.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(promtool.readAllStandardOutput()).array();
}

double tst_Prometheus::scalarQuery(const QString &expression, qint64 evalAtMs)
{
    const QJsonArray result = query(expression, evalAtMs);
    if (result.size() != 1)
        return std::nan("");
    return result[0][QStringLiteral("value")][1].toString().toDouble();
}

int tst_Prometheus::bucketOf(double seconds)
{
    const QList<double> &bounds = ProbeMetrics::bucketBounds();
    return int(std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin());
}

void tst_Prometheus::medianAgreesWithTheProbesOwnWithinABucket_data()
{
    QTest::addColumn<int>("probe");
    QTest::addColumn<QString>("arm");
    for (int probe : {0, 1}) {
        for (const char *arm : {"pooled", "no-reuse"})
            QTest::addRow("%s %s", probe == 0 ? "fast" : "slow", arm) << probe << QString::fromLatin1(arm);
    }
}

void tst_Prometheus::medianAgreesWithTheProbesOwnWithinABucket()
{
    QFETCH(int, probe);
    QFETCH(QString, arm);
    const ProbeThread &r = *m_probes[probe];
    const QString selector = QStringLiteral("probe=\"%1\"").arg(r.name());
    const QJsonArray medians =
        query(QStringLiteral("histogram_quantile(0.5, sum by (le, arm) "
                             "(rate(exdash_request_duration_seconds_bucket{%1}[30s])))")
                  .arg(selector),
              m_evalAtMs);
    double fromPrometheus = std::nan("");
    for (const QJsonValue &series : medians) {
        if (series[QStringLiteral("metric")][QStringLiteral("arm")].toString() == arm)
            fromPrometheus = series[QStringLiteral("value")][1].toString().toDouble();
    }
    QVERIFY2(std::isfinite(fromPrometheus), qPrintable(QJsonDocument(medians).toJson()));

    // The probe's own median over the same requests: those between the first and the last scrape in the
    // 30 s window (what rate() takes the increase over).
    const QJsonArray scrapes =
        query(QStringLiteral("up{%1}[30s]").arg(selector), m_evalAtMs)[0][QStringLiteral("values")].toArray();
    QVERIFY(scrapes.size() >= 2);
    const qint64 fromMs = qint64(scrapes.first()[0].toDouble() * 1000);
    const qint64 toMs = qint64(scrapes.last()[0].toDouble() * 1000);
    QList<double> own;
    for (const auto &[endMs, seconds] : r.durations(arm)) {
        if (endMs > fromMs && endMs <= toMs)
            own.append(seconds);
    }
    QVERIFY(own.size() >= 5);
    std::sort(own.begin(), own.end());
    const double ownMedian = own[(own.size() - 1) / 2];
    qInfo("%s %s: Prometheus %.1f ms, the probe's own %.1f ms over %lld requests", qPrintable(r.name()),
          qPrintable(arm), fromPrometheus * 1000, ownMedian * 1000, qlonglong(own.size()));
    QVERIFY2(std::abs(bucketOf(fromPrometheus) - bucketOf(ownMedian)) <= 1,
             qPrintable(QStringLiteral("%1 against %2").arg(fromPrometheus).arg(ownMedian)));
}

void tst_Prometheus::theReuseGainShows()
{
    for (const auto &r : m_probes) {
        const double gain = scalarQuery(
            QStringLiteral(
                "histogram_quantile(0.5, sum by (le) "
                "(rate(exdash_request_duration_seconds_bucket{probe=\"%1\",arm=\"no-reuse\"}[30s])))"
                " / histogram_quantile(0.5, sum by (le) "
                "(rate(exdash_request_duration_seconds_bucket{probe=\"%1\",arm=\"pooled\"}[30s])))")
                .arg(r->name()),
            m_evalAtMs);
        qInfo("%s: no-reuse p50 / pooled p50 = %.2f", qPrintable(r->name()), gain);
        // A new connection costs three round trips, a reused one one: at these RTTs, far more than 1.5×.
        QVERIFY2(gain > 1.5, qPrintable(QString::number(gain)));
        const double avoided =
            scalarQuery(QStringLiteral("sum(increase(exdash_handshakes_avoided_total{probe=\"%1\"}[30s]))")
                            .arg(r->name()),
                        m_evalAtMs);
        QVERIFY(avoided > 0);
    }
}

void tst_Prometheus::theSlowerLinkShows()
{
    const QString pooled =
        QStringLiteral("histogram_quantile(0.5, sum by (le) (rate(exdash_request_duration_seconds_bucket{"
                       "probe=\"%1\",arm=\"pooled\"}[30s])))");
    const double fast = scalarQuery(pooled.arg(QStringLiteral("fast")), m_evalAtMs);
    const double slow = scalarQuery(pooled.arg(QStringLiteral("slow")), m_evalAtMs);
    QVERIFY2(bucketOf(slow) > bucketOf(fast) + 1,
             qPrintable(QStringLiteral("%1 against %2").arg(slow).arg(fast)));
    // The probes say which round trip they emulate.
    QCOMPARE(scalarQuery(QStringLiteral("exdash_demo_rtt_seconds{probe=\"slow\"}"), m_evalAtMs), 0.08);
}

void tst_Prometheus::everyDashboardQueryRuns()
{
    QFile file(QStringLiteral(EXDASH_RESOURCES "/probe/grafana-dashboard.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonObject dashboard = QJsonDocument::fromJson(file.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(!dashboard.value(QStringLiteral("title")).toString().isEmpty());
    int queries = 0;
    for (const QJsonValue &panel : dashboard.value(QStringLiteral("panels")).toArray()) {
        // Two healthy probes have data for every panel but the one that shows trouble.
        const bool troubleOnly =
            panel[QStringLiteral("title")].toString().startsWith(QLatin1String("Errors"));
        for (const QJsonValue &target : panel[QStringLiteral("targets")].toArray()) {
            QString expression = target[QStringLiteral("expr")].toString();
            QVERIFY(!expression.isEmpty());
            // What Grafana substitutes: the instance variable (All) and the rate interval.
            expression.replace(QLatin1String("$instance"), QLatin1String(".*"))
                .replace(QLatin1String("$__rate_interval"), QLatin1String("30s"))
                .replace(QLatin1String("$__interval"), QLatin1String("1s"));
            QVERIFY2(!expression.contains(QLatin1Char('$')), qPrintable(expression));
            bool ok = false;
            const QJsonArray result = query(expression, m_evalAtMs, &ok);
            QVERIFY2(ok, qPrintable(expression));
            QVERIFY2(troubleOnly || !result.isEmpty(), qPrintable(QStringLiteral("no data: ") + expression));
            ++queries;
        }
    }
    QVERIFY(queries >= 12);
}

void tst_Prometheus::theExampleConfigIsValid()
{
    QProcess promtool;
    promtool.start(m_promtool,
                   {QStringLiteral("check"), QStringLiteral("config"),
                    QStringLiteral(EXDASH_RESOURCES "/probe/prometheus.yml")});
    QVERIFY(promtool.waitForFinished(60'000));
    QVERIFY2(promtool.exitCode() == 0, promtool.readAll().constData());
}

QTEST_GUILESS_MAIN(tst_Prometheus)
#include "tst_prometheus.moc"
