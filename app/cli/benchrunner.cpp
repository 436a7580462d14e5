#include "benchrunner.h"

#include "models/gainreport.h"
#include "models/latencylog.h"
#include "sim/connectiontruth.h"
#include "sim/exsimthread.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <sys/resource.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcBench, "exdash.bench", QtWarningMsg)

namespace {

constexpr int cycleTimeoutMs = 60'000;
constexpr int rssSamples = 10;
constexpr size_t callsKeptPerEndpoint = 100'000;

double nearestRank(std::vector<double> values, int percent)
{
    if (values.empty())
        return std::nan("");
    const auto rank = values.begin() + (qint64(percent) * qint64(values.size()) + 99) / 100 - 1;
    std::nth_element(values.begin(), rank, values.end());
    return *rank;
}

double processCpuMs()
{
    timespec spent {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spent);
    return double(spent.tv_sec) * 1e3 + double(spent.tv_nsec) / 1e6;
}

// Voluntary and involuntary, every thread of this process: each is a thread put to sleep or woken up,
// which on a virtual machine costs more than most of the work of a request.
qint64 processContextSwitches()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_nvcsw + usage.ru_nivcsw;
}

struct ThreadCpu
{
    QString role;
    double ms = 0;
};

double mainThreadCpuMs()
{
    timespec spent {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spent);
    return double(spent.tv_sec) * 1e3 + double(spent.tv_nsec) / 1e6;
}

bool threadStatsReadable()
{
    return QFile::exists(QStringLiteral("/proc/thread-self/schedstat"));
}

// CPU time of each other thread of this process by thread id, in ms, with its role: where a request's CPU
// goes. The main thread's is read with mainThreadCpuMs() beside the process's, so that these reads of /proc
// fall outside it; an exsim thread (in-process) is left out.
std::map<QString, ThreadCpu> cpuMsByThread()
{
    std::map<QString, ThreadCpu> byThread;
    const QString self = QString::number(getpid());
    for (const QString &tid :
         QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(QStringLiteral("/proc/self/task/%1/comm").arg(tid));
        QFile schedstat(QStringLiteral("/proc/self/task/%1/schedstat").arg(tid));
        if (!comm.open(QIODevice::ReadOnly) || !schedstat.open(QIODevice::ReadOnly))
            continue; // the thread has just ended
        const QByteArray name = comm.readAll().trimmed();
        if (tid == self || name.startsWith("exsim"))
            continue;
        const QString role = name == "exdash-net" ? QStringLiteral("exdash-net")
            : name.startsWith("QNetworkAccessM")  ? QStringLiteral("qt-network")
                                                  : QStringLiteral("other");
        byThread[tid] = {role, schedstat.readAll().split(' ').value(0).toDouble() / 1e6};
    }
    return byThread;
}

qint64 residentKb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) / 1024 : -1;
}

QJsonValue json(double value)
{
    return std::isfinite(value) ? QJsonValue(std::round(value * 1000) / 1000) : QJsonValue(QJsonValue::Null);
}

struct Arm
{
    int requests = 0;
    int newConnections = 0;
    // Held against exsim's x-exsim-connection: samples it could judge, kinds it contradicts, no-reuse
    // requests that went out on a connection not opened for them. Live servers send no tag: nothing is
    // checked.
    int serverChecked = 0;
    int misclassified = 0;
    int notOpenedForIt = 0;
    int unknownKind = 0;
    // "bitunix tickers": successful calls' total ms, the first callsKeptPerEndpoint of each (memory stays
    // flat over a long run).
    std::map<QString, std::vector<double>> callMsByEndpoint;
    int maxConcurrent = 0; // the most requests in flight at once, over the cycles
    double firstCallMs = std::nan("");
    std::vector<double> cycleMs;
    double cpuMs = 0;
    qint64 contextSwitches = 0;
    std::map<QString, double> cpuMsByThread;
};

// What the window's gain panel costs once the log is full (the window recomputes it every two seconds):
// GainReport::compute over a LatencyLog filled to capacity with copies of this run's samples, moved later in
// time copy by copy; the median of five.
QJsonObject gainReportCost(const LatencyLog &run)
{
    if (run.isEmpty())
        return {};
    const qint64 first = run.at(0).startedAtMsSinceEpoch;
    const qint64 spanMs = run.at(run.size() - 1).startedAtMsSinceEpoch - first + 1;
    LatencyLog full;
    qint64 latest = first;
    for (int i = 0; full.size() < full.capacity(); ++i) {
        RequestSample s = run.at(i % run.size());
        s.startedAtMsSinceEpoch += qint64(i / run.size()) * spanMs;
        latest = std::max(latest, s.startedAtMsSinceEpoch);
        full.append(s);
    }
    std::vector<double> ms;
    int counted = 0;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer timer;
        timer.start();
        counted = GainReport::compute(full, latest + 1).pooled.count;
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    return {{QStringLiteral("samples"), full.size()},
            {QStringLiteral("pooledInWindow"), counted},
            {QStringLiteral("computeMs"), json(nearestRank(ms, 50))}};
}

// The most requests that were in flight at one moment.
int maxConcurrent(const std::vector<std::pair<qint64, qint64>> &intervals)
{
    std::vector<std::pair<qint64, int>> events; // a finish sorts before a start at the same instant
    for (const auto &[start, finish] : intervals) {
        events.push_back({start, +1});
        events.push_back({finish, -1});
    }
    std::sort(events.begin(), events.end());
    int now = 0;
    int most = 0;
    for (const auto &[at, step] : events)
        most = std::max(most, now += step);
    return most;
}

} // namespace

BenchRunner::BenchRunner(QObject *parent)
    : QObject(parent)
{ }

int BenchRunner::run(const SessionConfig &requested, const BenchOptions &options, QJsonObject *document,
                     const Progress &progress)
{
    const int cycles = options.cycles;
    // Against exsim, cycles go back to back: they measure the transport, not politeness, so neither side
    // holds to a rate limit. Live, each cycle waits until it fits the budgets, and that wait is not part of
    // the cycle.
    SessionConfig config = requested;
    if (config.demo)
        config.exsim.enforceRateLimits = false;
    if (options.sequential && !config.demo) {
        *document = {{QStringLiteral("error"), QStringLiteral("concurrency 1 runs against exsim only")}};
        return 64;
    }
    Session session(options.startDemo ? options.startDemo : exsimStarter());
    QString error;
    if (!session.start(config, &error)) {
        *document = {{QStringLiteral("error"), error}};
        return 64;
    }
    Refresher *refresher = session.refresher();
    HttpClient *http = session.http();
    if (config.demo)
        refresher->setBudgetsEnforced(false);
    const auto clientCpuMs = [&session] {
        return processCpuMs() - (session.demo() ? session.demo()->cpuMs() : 0);
    };

    LatencyLog log; // what the window keeps: memory has to stay flat once it is full
    std::map<ReuseMode, Arm> arms;
    // This cycle's requests, start and finish on the steady clock: cycles never overlap (one ends when
    // nothing is in flight), so the most in flight at once is counted cycle by cycle.
    std::vector<std::pair<qint64, qint64>> cycleIntervalsNs;
    int failures = 0;
    connect(http, &HttpClient::sampleReady, this, [&](const RequestSample &s) {
        log.append(s);
        if (s.warmUp)
            return;
        Arm &arm = arms[s.reuse];
        ++arm.requests;
        cycleIntervalsNs.push_back({s.startedAtSteadyNs, s.startedAtSteadyNs + qint64(s.finishedMs * 1e6)});
        arm.newConnections += s.connectionsOpened;
        arm.unknownKind += s.connection == ConnectionKind::Unknown ? 1 : 0;
        const TruthCheck check = checkAgainstServer(s);
        if (check.verdict != TruthCheck::Verdict::NoTruth)
            ++arm.serverChecked;
        if (check.verdict == TruthCheck::Verdict::Misclassified) {
            ++arm.misclassified;
            qCWarning(lcBench).noquote() << "misclassified:" << s.exchange << s.endpoint << check.reason;
        } else if (check.verdict == TruthCheck::Verdict::NotOpenedForIt) {
            ++arm.notOpenedForIt;
            qCWarning(lcBench).noquote()
                << "no-reuse request on a connection not opened for it:" << s.exchange << s.endpoint
                << check.reason;
        }
        if (!s.ok()) {
            ++failures;
            return;
        }
        if (std::isnan(arm.firstCallMs))
            arm.firstCallMs = s.totalMs();
        std::vector<double> &calls = arm.callMsByEndpoint[s.exchange + QLatin1Char(' ') + s.endpoint];
        if (calls.size() < callsKeptPerEndpoint)
            calls.push_back(s.totalMs());
    });

    QEventLoop loop;
    QTimer watchdog;
    watchdog.setSingleShot(true);
    QString abortReason;
    connect(&watchdog, &QTimer::timeout, &loop, [&] {
        abortReason = QStringLiteral("a cycle did not finish within %1 s").arg(cycleTimeoutMs / 1000);
        loop.quit();
    });

    int done = 0;
    bool inCycle = false;
    ReuseMode cycleArm = ReuseMode::Pooled;
    QElapsedTimer cycleClock;
    double cycleCpuStart = 0;
    qint64 cycleSwitchesStart = 0;
    std::map<QString, ThreadCpu> cycleThreadsStart;
    double cycleMainStart = 0;
    const bool byThread = threadStatsReadable();
    int logFullAtCycle = -1;
    QJsonArray rss {residentKb()};

    // Concurrency 1: every data kind of every exchange, each fetch once the last one has answered.
    QList<std::pair<ExchangeClient *, DataKind>> sequence;
    for (ExchangeClient *client : session.clients()) {
        for (DataKind kind : allDataKinds)
            sequence.append({client, kind});
    }
    int nextInSequence = 0;
    const auto fetchNextInSequence = [&] {
        sequence[nextInSequence].first->fetch(sequence[nextInSequence].second);
    };

    std::function<void()> startCycle = [&] {
        if (byThread)
            cycleThreadsStart = cpuMsByThread();
        cycleMainStart = mainThreadCpuMs();
        cycleCpuStart = clientCpuMs();
        cycleSwitchesStart = processContextSwitches();
        cycleClock.start();
        if (options.sequential) {
            cycleArm = http->beginCycle();
            nextInSequence = 0;
            inCycle = true;
            watchdog.start(cycleTimeoutMs);
            fetchNextInSequence();
            return;
        }
        const int before = refresher->cyclesStarted();
        refresher->refreshNow();
        if (refresher->cyclesStarted() == before) { // every feed backs off after failures: try again soon
            QTimer::singleShot(100, &loop, startCycle);
            return;
        }
        inCycle = true;
        watchdog.start(cycleTimeoutMs);
    };
    connect(refresher, &Refresher::cycleStarted, this, [&](ReuseMode arm) { cycleArm = arm; });
    const auto maybeEndCycle = [&] {
        if (!inCycle || refresher->inFlight() > 0 || http->inFlight() > 0)
            return;
        if (options.sequential && nextInSequence < sequence.size())
            return;
        inCycle = false;
        watchdog.stop();
        Arm &arm = arms[cycleArm];
        arm.maxConcurrent = std::max(arm.maxConcurrent, maxConcurrent(cycleIntervalsNs));
        cycleIntervalsNs.clear();
        arm.cycleMs.push_back(double(cycleClock.nsecsElapsed()) / 1e6);
        const double cycleCpuMs = clientCpuMs() - cycleCpuStart;
        const double cycleMainMs = mainThreadCpuMs() - cycleMainStart;
        arm.cpuMs += cycleCpuMs;
        arm.contextSwitches += processContextSwitches() - cycleSwitchesStart;
        if (byThread) {
            // A thread that ended within the cycle (a no-reuse request's manager's network thread, which the
            // reaper can also end during the next cycle) took its figures with it: what the live threads do
            // not account for is "ended". A thread's own figure lags by up to a scheduler tick, so "ended"
            // is near 0 either way when no thread ended.
            double accounted = cycleMainMs;
            arm.cpuMsByThread[QStringLiteral("main")] += cycleMainMs;
            for (const auto &[tid, thread] : cpuMsByThread()) {
                const auto start = cycleThreadsStart.find(tid);
                const double ms = thread.ms - (start == cycleThreadsStart.end() ? 0 : start->second.ms);
                arm.cpuMsByThread[thread.role] += ms;
                accounted += ms;
            }
            arm.cpuMsByThread[QStringLiteral("ended")] += cycleCpuMs - accounted;
        }
        ++done;
        if (logFullAtCycle < 0 && log.size() == log.capacity())
            logFullAtCycle = done;
        if (done * rssSamples / cycles != (done - 1) * rssSamples / cycles)
            rss.append(residentKb());
        if (progress)
            progress(done, cycles);
        if (done == cycles)
            loop.quit();
        else
            QTimer::singleShot(refresher->msUntilCycleFits(), &loop, startCycle);
    };
    connect(refresher, &Refresher::idle, &loop, maybeEndCycle);
    for (ExchangeClient *client : session.clients()) {
        connect(client, &ExchangeClient::fetched, &loop, [&] {
            if (!options.sequential || !inCycle)
                return;
            if (++nextInSequence < sequence.size())
                fetchNextInSequence();
            else
                maybeEndCycle();
        });
    }
    // The last sample can follow the Refresher's idle (a call whose answer needs another call).
    connect(http, &HttpClient::sampleReady, &loop, maybeEndCycle, Qt::QueuedConnection);

    QTimer::singleShot(0, &loop, startCycle);
    loop.exec();

    QJsonObject modes;
    int contradicted = 0;
    for (const auto &[mode, arm] : arms) {
        LatencyFilter filter;
        filter.arm = mode;
        const LatencyStats calls = log.stats(filter);
        QJsonValue threads = QJsonValue::Null; // no per-thread figures from this kernel
        if (byThread) {
            QJsonObject perRole;
            for (const auto &[role, ms] : arm.cpuMsByThread)
                perRole.insert(role, json(arm.requests > 0 ? ms / arm.requests : std::nan("")));
            threads = perRole;
        }
        QJsonObject endpoints;
        for (const auto &[endpoint, ms] : arm.callMsByEndpoint) {
            endpoints.insert(endpoint,
                             QJsonObject {{QStringLiteral("requests"), int(ms.size())},
                                          {QStringLiteral("callP50Ms"), json(nearestRank(ms, 50))},
                                          {QStringLiteral("callP95Ms"), json(nearestRank(ms, 95))}});
        }
        modes.insert(nameOf(mode),
                     QJsonObject {{QStringLiteral("requests"), arm.requests},
                                  {QStringLiteral("newConnections"), arm.newConnections},
                                  {QStringLiteral("callP50Ms"), json(calls.p50)},
                                  {QStringLiteral("callP95Ms"), json(calls.p95)},
                                  {QStringLiteral("callFirstMs"), json(arm.firstCallMs)},
                                  {QStringLiteral("cycles"), int(arm.cycleMs.size())},
                                  {QStringLiteral("cycleP50Ms"), json(nearestRank(arm.cycleMs, 50))},
                                  {QStringLiteral("cycleP95Ms"), json(nearestRank(arm.cycleMs, 95))},
                                  {QStringLiteral("cpuMsPerRequest"),
                                   json(arm.requests > 0 ? arm.cpuMs / arm.requests : std::nan(""))},
                                  {QStringLiteral("cpuMsPerRequestByThread"), threads},
                                  {QStringLiteral("contextSwitchesPerRequest"),
                                   // An exsim thread's would count too.
                                   config.demo && options.exsimLabel != QLatin1String("process")
                                       ? QJsonValue(QJsonValue::Null)
                                       : json(arm.requests > 0 ? double(arm.contextSwitches) / arm.requests
                                                               : std::nan(""))},
                                  {QStringLiteral("serverChecked"), arm.serverChecked},
                                  {QStringLiteral("misclassified"), arm.misclassified},
                                  {QStringLiteral("notOpenedForIt"), arm.notOpenedForIt},
                                  {QStringLiteral("unknownKind"), arm.unknownKind},
                                  {QStringLiteral("maxConcurrent"), arm.maxConcurrent},
                                  {QStringLiteral("endpoints"), endpoints}});
        contradicted += arm.misclassified + arm.notOpenedForIt;
    }
    QJsonValue gain = QJsonValue::Null;
    const QJsonObject pooled = modes.value(nameOf(ReuseMode::Pooled)).toObject();
    const QJsonObject noReuse = modes.value(nameOf(ReuseMode::NoReuse)).toObject();
    if (!pooled.isEmpty() && !noReuse.isEmpty()) {
        const auto ratio = [&](const QString &key) {
            return json(noReuse.value(key).toDouble(std::nan("")) / pooled.value(key).toDouble(std::nan("")));
        };
        gain = QJsonObject {{QStringLiteral("callP50Ratio"), ratio(QStringLiteral("callP50Ms"))},
                            {QStringLiteral("cycleP50Ratio"), ratio(QStringLiteral("cycleP50Ms"))}};
    }
    *document = {{QStringLiteral("rttMs"),
                  config.demo ? QJsonValue(config.exsim.rttMs) : QJsonValue(QJsonValue::Null)},
                 {QStringLiteral("cycles"), done},
                 {QStringLiteral("target"), config.demo ? QStringLiteral("exsim") : QStringLiteral("live")},
                 {QStringLiteral("exsim"),
                  config.demo ? QJsonValue(options.exsimLabel) : QJsonValue(QJsonValue::Null)},
                 {QStringLiteral("concurrency"),
                  options.sequential ? QJsonValue(1) : QJsonValue(QStringLiteral("refresh cycle"))},
                 {QStringLiteral("reuse"), nameOf(config.reuse)},
                 {QStringLiteral("errors"), failures},
                 {QStringLiteral("modes"), modes},
                 {QStringLiteral("gain"), gain},
                 {QStringLiteral("memory"),
                  QJsonObject {{QStringLiteral("rssKb"), rss},
                               {QStringLiteral("logCapacity"), log.capacity()},
                               {QStringLiteral("logFullAtCycle"), logFullAtCycle}}}};
    document->insert(QStringLiteral("gainReport"), gainReportCost(log));
    if (!abortReason.isEmpty())
        document->insert(QStringLiteral("error"), abortReason);
    return !abortReason.isEmpty() || failures > 0 || contradicted > 0 ? 2 : 0;
}

QString BenchRunner::table(const QJsonObject &document)
{
    QString text;
    QTextStream out(&text);
    if (document.contains(QStringLiteral("error")))
        out << "error: " << document.value(QStringLiteral("error")).toString() << '\n';
    const QJsonValue rtt = document.value(QStringLiteral("rttMs"));
    out << document.value(QStringLiteral("cycles")).toInt() << " refresh cycles against "
        << document.value(QStringLiteral("target")).toString()
        << (rtt.isNull() ? QString() : QStringLiteral(" at RTT %1 ms").arg(rtt.toDouble())) << ", "
        << document.value(QStringLiteral("reuse")).toString() << ", "
        << document.value(QStringLiteral("errors")).toInt() << " failed calls\n";
    const QJsonValue exsim = document.value(QStringLiteral("exsim"));
    if (exsim.isString())
        out << "exsim " << exsim.toString() << ", ";
    out << (document.value(QStringLiteral("concurrency")).toInt() == 1
                ? "concurrency 1 (one data kind at a time)"
                : "each cycle's calls sent together, as the window does")
        << "\n\n";

    const QJsonObject modes = document.value(QStringLiteral("modes")).toObject();
    const QStringList names = modes.keys();
    out << QStringLiteral("%1").arg(QString(), -18);
    for (const QString &name : names)
        out << QStringLiteral("%1").arg(name, 10);
    out << '\n';
    struct Row
    {
        const char *key;
        const char *label;
        bool count;
    };
    const Row rows[] = {
        {"requests", "requests", true},
        {"newConnections", "new connections", true},
        {"callP50Ms", "call p50 ms", false},
        {"callP95Ms", "call p95 ms", false},
        {"callFirstMs", "first call ms", false},
        {"cycleP50Ms", "cycle p50 ms", false},
        {"cycleP95Ms", "cycle p95 ms", false},
        {"cpuMsPerRequest", "CPU ms/request", false},
        {"contextSwitchesPerRequest", "switches/request", false},
        {"serverChecked", "server-checked", true},
        {"misclassified", "misclassified", true},
        {"notOpenedForIt", "not own connection", true},
        {"unknownKind", "kind unknown", true},
        {"maxConcurrent", "most in flight", true},
    };
    for (const Row &row : rows) {
        out << QStringLiteral("%1").arg(QLatin1String(row.label), -18);
        for (const QString &name : names) {
            const QJsonValue v = modes.value(name).toObject().value(QLatin1String(row.key));
            const double d = v.toDouble();
            const QString cell = v.isNull() ? QStringLiteral("—")
                : row.count                 ? QString::number(qint64(d))
                                            : QString::number(d, 'f', d < 10 ? 3 : 1);
            out << QStringLiteral("%1").arg(cell, 10);
        }
        out << '\n';
    }
    // Which call holds a cycle back: each endpoint's p50.
    QStringList endpoints;
    for (const QString &name : names) {
        for (const QString &endpoint :
             modes.value(name).toObject().value(QStringLiteral("endpoints")).toObject().keys()) {
            if (!endpoints.contains(endpoint))
                endpoints.append(endpoint);
        }
    }
    std::sort(endpoints.begin(), endpoints.end());
    if (!endpoints.isEmpty()) {
        out << '\n' << QStringLiteral("%1").arg(QStringLiteral("call p50 ms by endpoint"), -36);
        for (const QString &name : names)
            out << QStringLiteral("%1").arg(name, 10);
        out << '\n';
    }
    for (const QString &endpoint : endpoints) {
        out << QStringLiteral("  %1").arg(endpoint.left(34), -34);
        for (const QString &name : names) {
            const QJsonValue v = modes.value(name)
                                     .toObject()
                                     .value(QStringLiteral("endpoints"))
                                     .toObject()
                                     .value(endpoint)
                                     .toObject()
                                     .value(QStringLiteral("callP50Ms"));
            out << QStringLiteral("%1").arg(
                v.isDouble() ? QString::number(v.toDouble(), 'f', 1) : QStringLiteral("—"), 10);
        }
        out << '\n';
    }
    const QJsonObject gain = document.value(QStringLiteral("gain")).toObject();
    if (!gain.isEmpty()) {
        out << "\nReuse is " << QString::number(gain.value(QStringLiteral("callP50Ratio")).toDouble(), 'f', 2)
            << "x faster per call (p50) and "
            << QString::number(gain.value(QStringLiteral("cycleP50Ratio")).toDouble(), 'f', 2)
            << "x per refresh cycle.\n";
    }
    const QJsonArray rss =
        document.value(QStringLiteral("memory")).toObject().value(QStringLiteral("rssKb")).toArray();
    if (!rss.isEmpty()) {
        out << "RSS (KiB, per tenth of the run):";
        for (const QJsonValue &v : rss)
            out << ' ' << v.toInteger();
        out << '\n';
    }
    const QJsonObject gainReport = document.value(QStringLiteral("gainReport")).toObject();
    if (!gainReport.isEmpty()) {
        out << "GainReport::compute over " << gainReport.value(QStringLiteral("samples")).toInt()
            << " samples: "
            << QString::number(gainReport.value(QStringLiteral("computeMs")).toDouble(), 'f', 1)
            << " ms (the window recomputes it every two seconds)\n";
    }
    return text;
}
