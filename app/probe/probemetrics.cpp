#include "probemetrics.h"

#include "alerts/alerts.h"
#include "refresh/session.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSslSocket>

#include <cmath>
#include <sys/resource.h>
#include <unistd.h>

namespace {

const QStringList durationLabels {QStringLiteral("exchange"), QStringLiteral("endpoint"),
                                  QStringLiteral("host"), QStringLiteral("arm"),
                                  QStringLiteral("connection")};
const QStringList phaseLabels {QStringLiteral("exchange"), QStringLiteral("host"), QStringLiteral("arm"),
                               QStringLiteral("phase")};
const QStringList requestLabels {QStringLiteral("exchange"), QStringLiteral("endpoint"),
                                 QStringLiteral("host"), QStringLiteral("arm")};
const QStringList failureLabels {QStringLiteral("exchange"), QStringLiteral("endpoint"),
                                 QStringLiteral("host"), QStringLiteral("arm"), QStringLiteral("error")};
const QStringList connectionLabels {QStringLiteral("exchange"), QStringLiteral("host"),
                                    QStringLiteral("arm")};
const QStringList hostLabels {QStringLiteral("exchange"), QStringLiteral("host")};
const QStringList feedLabels {QStringLiteral("exchange"), QStringLiteral("data")};
const QStringList fetchErrorLabels {QStringLiteral("exchange"), QStringLiteral("data"),
                                    QStringLiteral("kind")};
const QStringList exchangeLabel {QStringLiteral("exchange")};

Histogram &series(LabelledSeries<Histogram> &family, const QStringList &labels)
{
    return family.try_emplace(labels, ProbeMetrics::bucketBounds()).first->second;
}

void writeCounters(ExpositionWriter &out, const char *name, const QStringList &labels,
                   const LabelledSeries<double> &family)
{
    for (const auto &[values, value] : family)
        out.sample(name, labels, values, value);
}

void writeHistograms(ExpositionWriter &out, const char *name, const QStringList &labels,
                     const LabelledSeries<Histogram> &family)
{
    for (const auto &[values, histogram] : family)
        out.histogram(name, labels, values, histogram);
}

// The kernel's record: boot time (/proc/stat) plus the process' start in clock ticks after boot.
double processStartTimeSeconds()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile system(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly) || !system.open(QIODevice::ReadOnly))
        return 0;
    // Field 22, counted after the ")" that ends the command name (which may hold spaces).
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double ticksAfterBoot = fields.value(19).toDouble();
    for (const QByteArray &entry : system.readAll().split('\n')) {
        if (entry.startsWith("btime "))
            return entry.mid(6).trimmed().toDouble() + ticksAfterBoot / double(sysconf(_SC_CLK_TCK));
    }
    return 0;
}

// The process' own cost, under the names every Prometheus client library uses.
void writeProcess(ExpositionWriter &out)
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const double cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    out.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
    out.sample("process_cpu_seconds_total", {}, {}, cpuSeconds);

    QFile statm(QStringLiteral("/proc/self/statm"));
    if (statm.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> pages = statm.readAll().split(' ');
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out.sample("process_resident_memory_bytes", {}, {},
                   pages.value(1).toDouble() * double(sysconf(_SC_PAGESIZE)));
    }
    const qsizetype fds = QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size();
    if (fds > 0) {
        out.family("process_open_fds", "gauge", "Number of open file descriptors.");
        out.sample("process_open_fds", {}, {}, double(fds));
    }
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        out.family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
        out.sample("process_max_fds", {}, {}, double(limit.rlim_cur));
    }
    const double startTime = processStartTimeSeconds();
    if (startTime > 0) {
        out.family("process_start_time_seconds", "gauge",
                   "Start time of the process since unix epoch in seconds.");
        out.sample("process_start_time_seconds", {}, {}, startTime);
    }
}

} // namespace

const QList<double> &ProbeMetrics::bucketBounds()
{
    static const QList<double> bounds {0.0005, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01,
                                       0.015,  0.02,  0.03,   0.05,  0.075, 0.1,   0.15,   0.2,
                                       0.3,    0.5,   0.75,   1,     1.5,   2,     3,      5};
    return bounds;
}

ProbeMetrics::ProbeMetrics(QObject *parent)
    : QObject(parent)
{ }

void ProbeMetrics::watch(Session *session, bool accountMetrics)
{
    m_session = session;
    m_accountMetrics = accountMetrics;
    connect(session->http(), &HttpClient::sampleReady, this, &ProbeMetrics::record);
    for (ExchangeClient *client : session->clients()) {
        connect(client, &ExchangeClient::fetched, this, &ProbeMetrics::recordFetch);
        if (!accountMetrics)
            continue;
        connect(client, &ExchangeClient::positionsUpdated, this, &ProbeMetrics::recordPositions);
        connect(client, &ExchangeClient::accountUpdated, this, &ProbeMetrics::recordAccount);
    }
}

void ProbeMetrics::record(const RequestSample &s)
{
    const QString arm = nameOf(s.reuse);
    if (s.connectionsOpened > 0)
        m_connectionsOpened[{s.exchange, s.host, arm}] += s.connectionsOpened;
    if (s.warmUp)
        return;
    m_requests[{s.exchange, s.endpoint, s.host, arm}] += 1;
    if (s.resent)
        m_resends[{s.exchange, s.host}] += 1;
    if (!s.ok()) {
        m_failures[{s.exchange, s.endpoint, s.host, arm, nameOf(s.error)}] += 1;
        return;
    }
    if (s.connection == ConnectionKind::Reused)
        m_handshakesAvoided[{s.exchange, s.host}] += 1;
    series(m_durations, {s.exchange, s.endpoint, s.host, arm, nameOf(s.connection)})
        .observe(s.totalMs() / 1000);
    const std::pair<const char *, double> phases[] = {{"queue", s.queueMs()},
                                                      {"connect", s.connectMs()},
                                                      {"wait", s.waitMs()},
                                                      {"download", s.downloadMs()}};
    for (const auto &[phase, ms] : phases)
        series(m_phases, {s.exchange, s.host, arm, QString::fromLatin1(phase)}).observe(ms / 1000);
}

void ProbeMetrics::recordFetch(Exchange exchange, DataKind kind, const FetchError &error)
{
    if (error.ok() || error.kind == FetchErrorKind::NoCredentials)
        return;
    m_fetchErrors[{nameOf(exchange), nameOf(kind), nameOf(error.kind)}] += 1;
}

void ProbeMetrics::recordPositions(Exchange exchange, const QList<Position> &positions)
{
    AccountFigures &figures = m_accounts[int(exchange)];
    figures.hasPositions = true;
    figures.positions = int(positions.size());
    figures.nearestLiquidation = -1;
    for (const Position &p : positions) {
        if (!p.liquidationPrice.isValid() || !p.markPrice.isValid() || p.markPrice.value <= 0)
            continue;
        const double distance = std::abs(p.markPrice.value - p.liquidationPrice.value) / p.markPrice.value;
        if (figures.nearestLiquidation < 0 || distance < figures.nearestLiquidation)
            figures.nearestLiquidation = distance;
    }
}

void ProbeMetrics::recordAccount(const AccountSummary &account)
{
    AccountFigures &figures = m_accounts[int(account.exchange)];
    if (!account.equity.isValid())
        return;
    figures.hasAccount = true;
    figures.equity = account.equity.value;
    figures.unrealizedPnl = account.unrealizedPnl.isValid() ? account.unrealizedPnl.value : 0;
}

QByteArray ProbeMetrics::text(qint64 nowMs) const
{
    ExpositionWriter out;
    out.family("exdash_build_info", "gauge",
               "Always 1: the exdash, Qt and TLS library versions in its labels.");
    out.sample("exdash_build_info",
               {QStringLiteral("version"), QStringLiteral("qt"), QStringLiteral("openssl")},
               {QStringLiteral(EXDASH_VERSION), QString::fromLatin1(qVersion()),
                QSslSocket::sslLibraryVersionString()},
               1);
    if (m_session) {
        const SessionConfig &config = m_session->config();
        out.family("exdash_session_info", "gauge",
                   "Always 1: demo (exsim) or live, and the reuse mode, in its labels.");
        out.sample("exdash_session_info", {QStringLiteral("mode"), QStringLiteral("reuse")},
                   {config.demo ? QStringLiteral("demo") : QStringLiteral("live"), nameOf(config.reuse)}, 1);
        if (config.demo) {
            out.family("exdash_demo_rtt_seconds", "gauge",
                       "The network round trip exsim emulates in demo mode, in seconds.");
            out.sample("exdash_demo_rtt_seconds", {}, {}, config.exsim.rttMs / 1000);
        }
    }
    writeRequests(out);
    writeFeeds(out, nowMs);
    if (m_accountMetrics)
        writeAccounts(out);
    if (m_alerts) {
        out.family(
            "exdash_alerts_open", "gauge",
            "Alerts open now, by kind (liquidation, exchange, latency, reuse, equity) and severity; their "
            "details at /alerts.");
        for (AlertKind kind : allAlertKinds) {
            for (AlertSeverity severity : {AlertSeverity::Warning, AlertSeverity::Critical}) {
                int open = 0;
                for (const Alert &alert : m_alerts->openAlerts())
                    open += alert.kind == kind && alert.severity == severity ? 1 : 0;
                out.sample("exdash_alerts_open", {QStringLiteral("kind"), QStringLiteral("severity")},
                           {nameOf(kind), nameOf(severity)}, open);
            }
        }
    }
    writeProcess(out);
    return out.text();
}

void ProbeMetrics::writeRequests(ExpositionWriter &out) const
{
    out.family("exdash_request_duration_seconds", "histogram",
               "Time from handing a successful API request to Qt to its last byte, in seconds, by the "
               "connection it paid for (new, shared-new, queued, reused).");
    writeHistograms(out, "exdash_request_duration_seconds", durationLabels, m_durations);
    out.family(
        "exdash_request_phase_seconds", "histogram",
        "The phases of successful API requests in seconds: queue, connect (TCP and TLS), wait (sent to "
        "first byte), download.");
    writeHistograms(out, "exdash_request_phase_seconds", phaseLabels, m_phases);
    out.family("exdash_requests_total", "counter", "API requests finished, failed ones included.");
    writeCounters(out, "exdash_requests_total", requestLabels, m_requests);
    out.family("exdash_request_failures_total", "counter",
               "API requests that failed, by network error kind (http-status, timeout, tls, ...).");
    writeCounters(out, "exdash_request_failures_total", failureLabels, m_failures);
    out.family("exdash_connections_opened_total", "counter",
               "Connections opened (TCP and TLS handshakes paid), warm-up connections included.");
    writeCounters(out, "exdash_connections_opened_total", connectionLabels, m_connectionsOpened);
    out.family(
        "exdash_handshakes_avoided_total", "counter",
        "Successful API requests that went out on an open connection without waiting for a handshake.");
    writeCounters(out, "exdash_handshakes_avoided_total", hostLabels, m_handshakesAvoided);
    out.family("exdash_resends_total", "counter",
               "API requests Qt sent a second time on a new connection after the first one died.");
    writeCounters(out, "exdash_resends_total", hostLabels, m_resends);
    out.family("exdash_fetch_errors_total", "counter",
               "Fetches of a data kind that failed, by kind (auth, rate-limit, network, tls, timeout, http, "
               "parse, other).");
    writeCounters(out, "exdash_fetch_errors_total", fetchErrorLabels, m_fetchErrors);
}

void ProbeMetrics::writeFeeds(ExpositionWriter &out, qint64 nowMs) const
{
    if (!m_session || !m_session->refresher())
        return;
    Refresher &refresher = *m_session->refresher();
    QList<std::pair<QStringList, double>> ages;
    QList<std::pair<QStringList, double>> stale;
    for (Exchange exchange : allExchanges) {
        for (DataKind kind : allDataKinds) {
            const FeedStatus status = refresher.status(exchange, kind);
            if (status.lastError.kind == FetchErrorKind::NoCredentials)
                continue; // not fetched
            const QStringList labels {nameOf(exchange), nameOf(kind)};
            if (status.lastSuccessMs > 0)
                ages.append({labels, double(status.ageMs(nowMs)) / 1000});
            stale.append({labels, status.isStale(nowMs, refresher.cadence(kind)) ? 1.0 : 0.0});
        }
    }
    out.family("exdash_data_age_seconds", "gauge",
               "Seconds since the data kind last refreshed (absent until its first success).");
    for (const auto &[labels, value] : ages)
        out.sample("exdash_data_age_seconds", feedLabels, labels, value);
    out.family(
        "exdash_data_stale", "gauge",
        "1 when the data kind's last fetch failed, it never succeeded, or its data is older than three "
        "cadences.");
    for (const auto &[labels, value] : stale)
        out.sample("exdash_data_stale", feedLabels, labels, value);
    out.family("exdash_refresh_cadence_seconds", "gauge", "How often each data kind is fetched, in seconds.");
    for (DataKind kind : allDataKinds)
        out.sample("exdash_refresh_cadence_seconds", {QStringLiteral("data")}, {nameOf(kind)},
                   double(refresher.cadence(kind)) / 1000);

    out.family(
        "exdash_rate_limit_used_ratio", "gauge",
        "Share of the exchange's whole rate limit in use: its busiest budget's use of the share exdash "
        "allows itself, times that share.");
    for (ExchangeClient *client : refresher.clients()) {
        const auto [used, capacity] = refresher.budgetUse(client->exchange());
        if (capacity > 0)
            out.sample("exdash_rate_limit_used_ratio", exchangeLabel, {nameOf(client->exchange())},
                       double(used) / capacity * refresher.sharePercent() / 100.0);
    }
    out.family("exdash_rate_limit_share_ratio", "gauge",
               "Share of each exchange's rate limit exdash allows itself (--share).");
    out.sample("exdash_rate_limit_share_ratio", {}, {}, refresher.sharePercent() / 100.0);
    out.family("exdash_refresh_cycles_total", "counter", "Refresh cycles started.");
    out.sample("exdash_refresh_cycles_total", {}, {}, refresher.cyclesStarted());
}

void ProbeMetrics::writeAccounts(ExpositionWriter &out) const
{
    out.family("exdash_account_equity", "gauge", "Account equity in the margin coin (USDT, USDC).");
    for (Exchange exchange : allExchanges) {
        if (m_accounts[int(exchange)].hasAccount)
            out.sample("exdash_account_equity", exchangeLabel, {nameOf(exchange)},
                       m_accounts[int(exchange)].equity);
    }
    out.family("exdash_account_unrealized_pnl", "gauge", "Unrealized PnL in the margin coin (USDT, USDC).");
    for (Exchange exchange : allExchanges) {
        if (m_accounts[int(exchange)].hasAccount)
            out.sample("exdash_account_unrealized_pnl", exchangeLabel, {nameOf(exchange)},
                       m_accounts[int(exchange)].unrealizedPnl);
    }
    out.family("exdash_positions_open", "gauge", "Open positions.");
    for (Exchange exchange : allExchanges) {
        if (m_accounts[int(exchange)].hasPositions)
            out.sample("exdash_positions_open", exchangeLabel, {nameOf(exchange)},
                       m_accounts[int(exchange)].positions);
    }
    out.family("exdash_position_liquidation_distance_ratio", "gauge",
               "The nearest liquidation over open positions, |mark - liquidation| / mark (absent without a "
               "position that has a liquidation price).");
    for (Exchange exchange : allExchanges) {
        if (m_accounts[int(exchange)].nearestLiquidation >= 0)
            out.sample("exdash_position_liquidation_distance_ratio", exchangeLabel, {nameOf(exchange)},
                       m_accounts[int(exchange)].nearestLiquidation);
    }
}

ProbeHealth ProbeHealth::of(const Refresher &refresher, qint64 nowMs)
{
    ProbeHealth health;
    health.healthy = true;
    QStringList lines;
    for (Exchange exchange : allExchanges) {
        QStringList late;
        int fetched = 0;
        for (DataKind kind : allDataKinds) {
            const FeedStatus status = refresher.status(exchange, kind);
            if (status.lastError.kind == FetchErrorKind::NoCredentials)
                continue;
            ++fetched;
            const qint64 limitMs = qint64(FeedStatus::staleAfterCadences) * refresher.cadence(kind);
            if (status.lastSuccessMs > 0 && status.ageMs(nowMs) <= limitMs)
                continue;
            QString why = status.lastSuccessMs > 0 ? QStringLiteral("%1 last refreshed %2 s ago (limit %3 s)")
                                                         .arg(nameOf(kind))
                                                         .arg(double(status.ageMs(nowMs)) / 1000, 0, 'f', 1)
                                                         .arg(double(limitMs) / 1000, 0, 'f', 1)
                                                   : QStringLiteral("%1 not refreshed yet").arg(nameOf(kind));
            if (!status.lastError.ok())
                why +=
                    QStringLiteral(" (%1: %2)").arg(nameOf(status.lastError.kind), status.lastError.message);
            late.append(why);
        }
        if (late.isEmpty()) {
            lines.append(QStringLiteral("%1 ok: %2 data kinds within three cadences")
                             .arg(nameOf(exchange))
                             .arg(fetched));
        } else {
            health.healthy = false;
            lines.append(
                QStringLiteral("%1 late: %2").arg(nameOf(exchange), late.join(QStringLiteral("; "))));
        }
    }
    health.text = lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return health;
}
