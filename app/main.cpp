#include "mainwindow.h"
#include "theme.h"

#include "cli/benchrunner.h"
#include "cli/oncerunner.h"
#include "cli/quitonsignals.h"
#include "config/credentialstore.h"
#include "config/settings.h"
#include "probe/probe.h"
#include "sim/exsimprocess.h"
#include "sim/exsimthread.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QIcon>
#include <QJsonDocument>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <memory>
#include <unistd.h>

namespace {

struct Options
{
    QCommandLineOption once {QStringLiteral("once"),
                             QStringLiteral("Run one full refresh without a window, print it, exit.")};
    QCommandLineOption bench {
        QStringLiteral("bench"),
        QStringLiteral("Measure what reuse saves over N refresh cycles without a window, "
                       "print it, exit.")};
    QCommandLineOption cycles {QStringLiteral("cycles"),
                               QStringLiteral("With --bench: refresh cycles (default 30)."),
                               QStringLiteral("n"), QStringLiteral("30")};
    QCommandLineOption concurrency {
        QStringLiteral("concurrency"),
        QStringLiteral("With --bench: 1 sends one data kind at a time, as a script with one pooled client "
                       "does (default: each cycle's calls together, as the window does)."),
        QStringLiteral("n")};
    QCommandLineOption inProcess {
        QStringLiteral("in-process"),
        QStringLiteral("With --bench in demo mode: run exsim inside exdash (its thread's CPU subtracted) "
                       "instead of as the separate exsim process beside the exdash executable.")};
    QCommandLineOption json {QStringLiteral("json"),
                             QStringLiteral("With --once or --bench: print one JSON document.")};
    QCommandLineOption demo {QStringLiteral("demo"),
                             QStringLiteral("Use the built-in simulator, exsim (the default).")};
    QCommandLineOption bitunixUrl {QStringLiteral("bitunix-url"), QStringLiteral("Live: Bitunix base URL."),
                                   QStringLiteral("url")};
    QCommandLineOption hyperliquidUrl {
        QStringLiteral("hyperliquid-url"),
        QStringLiteral("Live: Hyperliquid base URL (mainnet, testnet or any)."), QStringLiteral("url")};
    QCommandLineOption caFile {QStringLiteral("ca-file"),
                               QStringLiteral("Live: PEM file of extra CAs to trust for the two URLs."),
                               QStringLiteral("pem")};
    QCommandLineOption address {
        QStringLiteral("hyperliquid-address"),
        QStringLiteral("Live: wallet address to read (else HYPERLIQUID_ADDRESS or settings)."),
        QStringLiteral("0x...")};
    QCommandLineOption rtt {QStringLiteral("rtt"),
                            QStringLiteral("Demo: emulated round trip in ms (default 50)."),
                            QStringLiteral("ms")};
    QCommandLineOption reuse {QStringLiteral("reuse"),
                              QStringLiteral("pooled, no-reuse or interleaved (default: pooled, with --bench "
                                             "interleaved)."),
                              QStringLiteral("mode")};
    QCommandLineOption screenshot {QStringLiteral("screenshot"),
                                   QStringLiteral("Save the window as PNG and exit."),
                                   QStringLiteral("file")};
    QCommandLineOption after {
        QStringLiteral("after"),
        QStringLiteral("With --screenshot: seconds to wait after the first full refresh (default 20)."),
        QStringLiteral("seconds"), QStringLiteral("20")};
    QCommandLineOption share {
        QStringLiteral("share"),
        QStringLiteral("Percent of each exchange's rate limit exdash may use, 5 to 100 (default: as in "
                       "Settings, 15)."),
        QStringLiteral("percent")};
    QCommandLineOption fullMarket {
        QStringLiteral("full-market"),
        QStringLiteral("Demo and --bench: exsim lists as many markets as the real exchanges (over 220 and "
                       "400).")};
    QCommandLineOption startupReport {
        QStringLiteral("startup-report"),
        QStringLiteral("Open the window, print how long it took to show it and to complete the first refresh "
                       "(JSON), exit.")};
    QCommandLineOption probe {
        QStringLiteral("probe"),
        QStringLiteral("Refresh without a window and serve Prometheus metrics (/metrics) and a health check "
                       "(/healthz) until SIGINT or SIGTERM.")};
    QCommandLineOption listen {
        QStringLiteral("listen"),
        QStringLiteral("With --probe: address and port to serve on (default 127.0.0.1:9469; [::1]:9469, "
                       "0.0.0.0:9469; port 0 picks a free one)."),
        QStringLiteral("host:port")};
    QCommandLineOption probeAccount {
        QStringLiteral("probe-account"),
        QStringLiteral("With --probe: fetch positions and account too and export equity, uPnL and positions "
                       "(off by default: the probe then uses no credentials).")};
    QCommandLineOption palette {QStringLiteral("palette"),
                                QStringLiteral("system, light or dark (default: as chosen in View > Theme)."),
                                QStringLiteral("name")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({once,           bench,      cycles,  json,        demo,        bitunixUrl,
                           hyperliquidUrl, caFile,     address, rtt,         reuse,       share,
                           fullMarket,     screenshot, after,   palette,     concurrency, inProcess,
                           startupReport,  probe,      listen,  probeAccount});
    }
};

// Names the options, the help and the version; the same parser serves the headless and the window path.
void describe(QCommandLineParser &parser, const Options &options)
{
    parser.setApplicationDescription(
        QStringLiteral("Bitunix and Hyperliquid dashboard that measures what connection reuse saves."));
    parser.addHelpOption();
    parser.addVersionOption();
    options.addTo(parser);
}

// The options QGuiApplication and QApplication take out of argv themselves ("-style fusion", "--reverse").
QStringList withoutQtOptions(int argc, char *argv[])
{
    static const QStringList withValue =
        QStringLiteral(
            "platform platformpluginpath platformtheme plugin qwindowgeometry qwindowicon qwindowtitle "
            "session display geometry style stylesheet name title")
            .split(QLatin1Char(' '));
    static const QStringList flags =
        QStringLiteral("reverse widgetcount nograb dograb sync").split(QLatin1Char(' '));
    QStringList arguments {QString::fromLocal8Bit(argv[0])};
    for (int i = 1; i < argc; ++i) {
        const QString argument = QString::fromLocal8Bit(argv[i]);
        QString name = argument.startsWith(QLatin1String("--")) ? argument.mid(2) : argument.mid(1);
        if (!argument.startsWith(QLatin1Char('-')))
            name.clear();
        if (withValue.contains(name)) {
            ++i; // and its value
            continue;
        }
        if (flags.contains(name) || name.startsWith(QLatin1String("qmljsdebugger=")))
            continue;
        arguments.append(argument);
    }
    return arguments;
}

// Decided before any application object exists, from a first parse: the headless runs, the help, the version
// and the errors about the command line need no display.
bool isHeadless(QCommandLineParser &parser, const Options &options, int argc, char *argv[])
{
    if (!parser.parse(withoutQtOptions(argc, argv)))
        return true;
    for (const char *name : {"help", "help-all", "version"}) {
        if (parser.isSet(QString::fromLatin1(name)))
            return true;
    }
    return parser.isSet(options.once) || parser.isSet(options.bench) || parser.isSet(options.probe);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "exdash: %s\n", qPrintable(message));
    return 64;
}

// Command line over settings: URLs on the command line mean live mode.
bool makeConfig(const QCommandLineParser &parser, const Options &o, SessionConfig *config, QString *error)
{
    if (parser.isSet(o.bench)) {
        // Reproducible: the defaults, not the user's watchlist or cadences; both arms unless told otherwise.
        *config = SessionConfig();
        config->reuse = ReuseMode::Interleaved;
    } else {
        *config = configFromSettings(Settings());
    }

    if (parser.isSet(o.bitunixUrl) || parser.isSet(o.hyperliquidUrl)) {
        config->demo = false;
        for (const auto &[option, url] : {std::pair {&o.bitunixUrl, &config->bitunixUrl},
                                          std::pair {&o.hyperliquidUrl, &config->hyperliquidUrl}}) {
            if (!parser.isSet(*option))
                continue;
            *url = QUrl(parser.value(*option));
            if (!url->isValid() || url->scheme() != QLatin1String("https") || url->host().isEmpty()) {
                *error = QStringLiteral("--%1 must be an https URL").arg(option->names().first());
                return false;
            }
        }
    }
    if (parser.isSet(o.demo))
        config->demo = true;
    if (parser.isSet(o.caFile))
        config->caFile = parser.value(o.caFile);
    if (parser.isSet(o.address))
        config->hyperliquidAddress = parser.value(o.address);
    if (parser.isSet(o.rtt)) {
        bool ok = false;
        config->exsim.rttMs = parser.value(o.rtt).toDouble(&ok);
        if (!ok || config->exsim.rttMs < 0 || config->exsim.rttMs > 10'000) {
            *error = QStringLiteral("--rtt must be a number of ms from 0 to 10000");
            return false;
        }
    }
    if (parser.isSet(o.share)) {
        bool ok = false;
        config->sharePercent = parser.value(o.share).toInt(&ok);
        if (!ok || config->sharePercent != PollPlan::clampShare(config->sharePercent)) {
            *error = QStringLiteral("--share must be a whole percent from %1 to %2")
                         .arg(PollPlan::minSharePercent)
                         .arg(PollPlan::maxSharePercent);
            return false;
        }
    }
    if (parser.isSet(o.fullMarket))
        config->exsim.fullMarket = true;
    if (parser.isSet(o.reuse) && !reuseModeFromString(parser.value(o.reuse), &config->reuse)) {
        *error = QStringLiteral("--reuse must be pooled, no-reuse or interleaved");
        return false;
    }
    return true;
}

BitunixCredentials loadCredentials()
{
    CredentialStore store;
    BitunixCredentials credentials;
    QEventLoop loop;
    QObject::connect(&store, &CredentialStore::bitunixLoaded, &loop, [&](const BitunixCredentials &c) {
        credentials = c;
        loop.quit();
    });
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    store.loadBitunix();
    if (!credentials.isComplete() && credentials.source.isEmpty())
        loop.exec();
    return credentials;
}

void setUpApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("exdash"));
    QCoreApplication::setOrganizationName(QStringLiteral("exdash"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EXDASH_VERSION));
}

int runBench(const QCommandLineParser &parser, const Options &o, SessionConfig config)
{
    bool ok = false;
    const int cycles = parser.value(o.cycles).toInt(&ok);
    if (!ok || cycles < 1 || cycles > 10'000'000)
        return fail(QStringLiteral("--cycles must be a whole number from 1"));
    BenchOptions options;
    options.cycles = cycles;
    if (parser.isSet(o.concurrency)) {
        if (parser.value(o.concurrency) != QLatin1String("1"))
            return fail(QStringLiteral("--concurrency takes 1 (without it, each cycle's calls go together)"));
        if (!config.demo)
            return fail(
                QStringLiteral("--concurrency 1 runs against exsim only (nothing paces it to a rate limit)"));
        options.sequential = true;
    }
    if (config.demo && !parser.isSet(o.inProcess)) {
        const QString exsim = QCoreApplication::applicationDirPath() + QStringLiteral("/exsim");
        if (!QFileInfo(exsim).isExecutable())
            return fail(QStringLiteral("no exsim executable at %1 (--in-process runs exsim inside exdash)")
                            .arg(exsim));
        options.startDemo = exsimProcessStarter(exsim);
        options.exsimLabel = QStringLiteral("process");
    }
    if (!config.demo)
        config.bitunix = loadCredentials();
    const bool json = parser.isSet(o.json);
    BenchRunner runner;
    QJsonObject document;
    const int code = runner.run(config, options, &document, [json](int done, int total) {
        if (json)
            return;
        constexpr int width = 40;
        const int filled = int(qint64(done) * width / total);
        std::fprintf(stderr, "\r[%s%s] %d/%d cycles", QByteArray(filled, '#').constData(),
                     QByteArray(width - filled, '.').constData(), done, total);
        if (done == total)
            std::fputc('\n', stderr);
    });
    if (code == 64)
        return fail(document.value(QStringLiteral("error")).toString());
    if (json)
        std::printf("%s\n", QJsonDocument(document).toJson(QJsonDocument::Indented).constData());
    else
        std::printf("%s", qPrintable(BenchRunner::table(document)));
    return code;
}

QString urlHost(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : address.toString();
}

int runProbe(const QCommandLineParser &parser, const Options &o, SessionConfig config)
{
    QHostAddress address(QHostAddress::LocalHost);
    quint16 port = Probe::defaultPort;
    if (parser.isSet(o.listen) && !parseListenAddress(parser.value(o.listen), &address, &port))
        return fail(QStringLiteral("--listen takes HOST:PORT (127.0.0.1:9469, [::1]:9469, 0.0.0.0:9469)"));
    config.accountData = parser.isSet(o.probeAccount);
    if (!config.demo && config.accountData)
        config.bitunix = loadCredentials();
    auto session = std::make_unique<Session>(exsimStarter());
    QString error;
    if (!session->start(config, &error)) {
        std::fprintf(stderr, "exdash: %s\n", qPrintable(error));
        return 1;
    }
    const QuitOnSignals quitOnSignals;
    Probe probe;
    if (!probe.start(std::move(session), address, port, config.accountData, &error)) {
        std::fprintf(stderr, "exdash: %s\n", qPrintable(error));
        return 1;
    }
    std::fprintf(
        stderr,
        "exdash: probe serving http://%s:%u/metrics and /healthz, %s mode; SIGINT or SIGTERM stops it\n",
        qPrintable(urlHost(address)), unsigned(probe.port()), config.demo ? "demo" : "live");
    std::fflush(stderr);
    return QCoreApplication::exec();
}

int runHeadless(const QCommandLineParser &parser, const Options &o)
{
    SessionConfig config;
    QString error;
    if (!makeConfig(parser, o, &config, &error))
        return fail(error);
    if (parser.isSet(o.bench))
        return runBench(parser, o, config);
    if (parser.isSet(o.probe))
        return runProbe(parser, o, config);
    if (!config.demo)
        config.bitunix = loadCredentials();
    OnceRunner runner;
    QJsonObject document;
    const int code = runner.run(config, &document);
    if (parser.isSet(o.json))
        std::printf("%s\n", QJsonDocument(document).toJson(QJsonDocument::Indented).constData());
    else
        std::printf("%s", qPrintable(OnceRunner::summary(document)));
    return code;
}

// How long this process has run, from the kernel's record of its start (clock ticks, 10 ms on Linux): what
// no timer started in main() can see, the loading of the libraries included.
double processAgeMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return std::nan("");
    // Field 22, counted after the ")" that ends the command name (which may hold spaces).
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double startedS = fields.value(19).toDouble() / double(sysconf(_SC_CLK_TCK));
    const double nowS = uptime.readAll().split(' ').value(0).toDouble();
    return (nowS - startedS) * 1000;
}

// --startup-report: the launch to the first paint of the window, the session's start (in demo mode, the
// simulator's), and the first requests to the first complete refresh (every data kind of both exchanges), as
// one JSON line once both the paint and the refresh have happened. The first requests go out at the end of
// the session's start, before the window is built.
class StartupReport : public QObject
{
public:
    // sinceSessionStart: started when the session began to start, which took sessionStartMs.
    StartupReport(MainWindow *window, bool demo, double rttMs, QElapsedTimer sinceSessionStart,
                  double sessionStartMs)
        : QObject(window)
        , m_window(window)
        , m_demo(demo)
        , m_rttMs(rttMs)
        , m_sinceStart(sinceSessionStart)
        , m_sessionStartMs(sessionStartMs)
    {
        window->installEventFilter(this);
        connect(window, &MainWindow::firstRefreshCompleted, this, [this] {
            m_refreshMs = double(m_sinceStart.nsecsElapsed()) / 1e6 - m_sessionStartMs;
            m_launchToRefreshMs = processAgeMs();
            reportWhenDone();
        });
    }

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && std::isnan(m_launchToPaintMs)) {
            m_launchToPaintMs = processAgeMs();
            reportWhenDone();
        }
        return false;
    }

private:
    void reportWhenDone()
    {
        if (std::isnan(m_launchToPaintMs) || std::isnan(m_refreshMs))
            return;
        // A feed whose first answer was an error counts as refreshed: say how many did so.
        int failed = 0;
        for (Exchange exchange : allExchanges) {
            for (DataKind kind : allDataKinds)
                failed += m_window->session()->refresher()->status(exchange, kind).lastError.ok() ? 0 : 1;
        }
        const auto rounded = [](double ms) {
            return std::round(ms * 10) / 10;
        };
        const QJsonObject report {
            {QStringLiteral("mode"), m_demo ? QStringLiteral("demo") : QStringLiteral("live")},
            {QStringLiteral("rttMs"), m_demo ? QJsonValue(m_rttMs) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("launchToFirstPaintMs"), rounded(m_launchToPaintMs)},
            {QStringLiteral("sessionStartMs"), rounded(m_sessionStartMs)},
            {QStringLiteral("requestsToFirstRefreshMs"), rounded(m_refreshMs)},
            {QStringLiteral("launchToFirstRefreshMs"), rounded(m_launchToRefreshMs)},
            {QStringLiteral("failedFeeds"), failed}};
        std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QApplication::quit();
    }

    MainWindow *m_window;
    bool m_demo;
    double m_rttMs;
    QElapsedTimer m_sinceStart;
    double m_sessionStartMs = 0;
    double m_launchToPaintMs = std::nan("");
    double m_refreshMs = std::nan("");
    double m_launchToRefreshMs = std::nan("");
};

int runWindow(const QCommandLineParser &parser, const Options &o)
{
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/exdash.svg")));
    QApplication::setDesktopFileName(QStringLiteral("exdash"));
    Settings settings;
    Theme::apply(Theme::fromString(parser.isSet(o.palette) ? parser.value(o.palette) : settings.palette()));

    SessionConfig config;
    QString error;
    if (!makeConfig(parser, o, &config, &error))
        return fail(error);
    // The session first: its connections open (three round trips) while the window is built.
    QElapsedTimer sessionClock;
    sessionClock.start();
    // Live, the key from the environment goes with the first requests; the keychain's answers later.
    if (!config.demo && !config.bitunix.isComplete())
        config.bitunix = CredentialStore::fromEnvironment();
    std::unique_ptr<Session> session =
        MainWindow::startedSession(config, exsimStarter(), /*paused=*/false, &error);
    if (!session) {
        std::fprintf(stderr, "exdash: %s\n", qPrintable(error));
        return 1;
    }
    const double sessionStartMs = double(sessionClock.nsecsElapsed()) / 1e6;
    CredentialStore credentials;
    MainWindow window(&settings, &credentials, config, exsimStarter());
    if (parser.isSet(o.startupReport))
        new StartupReport(&window, config.demo, config.exsim.rttMs, sessionClock, sessionStartMs);
    window.start(std::move(session));
    window.show();
    if (parser.isSet(o.screenshot)) {
        // After the first full refresh, plus time for the chart to fill (both arms with --reuse interleaved).
        const QString file = parser.value(o.screenshot);
        const int afterMs = int(parser.value(o.after).toDouble() * 1000);
        auto shoot = [&window, file] {
            if (!window.grab().save(file, "PNG")) {
                std::fprintf(stderr, "exdash: cannot write %s\n", qPrintable(file));
                QApplication::exit(1);
                return;
            }
            QApplication::quit();
        };
        QObject::connect(&window, &MainWindow::firstRefreshCompleted, &window,
                         [&window, afterMs, shoot] { QTimer::singleShot(afterMs, &window, shoot); });
    }
    return QApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    const Options options;
    QCommandLineParser parser;
    describe(parser, options);
    if (isHeadless(parser, options, argc, argv)) {
        QCoreApplication app(argc, argv);
        setUpApplication();
        parser.process(app); // exits on --help, --version and a bad option, as Qt does
        return runHeadless(parser, options);
    }
    QApplication app(argc, argv);
    setUpApplication();
    parser.process(app);
    return runWindow(parser, options);
}
