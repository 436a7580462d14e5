// exsim: the exchange simulator as a stand-alone process, for scripts, other clients and benchmarks.
#include "exsim.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int signalPipe[2];

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(signalPipe[1], &byte, 1);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "exsim: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("exsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EXDASH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Bitunix and Hyperliquid REST simulator over TLS on loopback, with an emulated network round trip.\n"
        "Enforces the exchanges' rate limits by default: Hyperliquid answers HTTP 429 "
        "past 1200 weight per minute, Bitunix code 10006 past 10 requests per second per endpoint "
        "(--no-rate-limits turns them off, for benchmarks that send as fast as they can).\n"
        "Prints one JSON line (base URLs, CA file, demo credentials and address, whether rate limits are "
        "enforced), then serves until killed. With --commands, a line \"rtt MS\" on its standard input sets "
        "the round trip and \"price BASE PRICE\" holds an asset's price (\"price BASE release\" lets it "
        "move); "
        "POST /exsim/price with \"BASE PRICE\" does the same over HTTP."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption rtt(QStringLiteral("rtt"),
                                 QStringLiteral("Emulated round trip, ms (default 50)."),
                                 QStringLiteral("ms"), QStringLiteral("50"));
    const QCommandLineOption jitter(QStringLiteral("jitter"),
                                    QStringLiteral("Spread of each chunk's delay around RTT/2, ms."),
                                    QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption serverMs(QStringLiteral("server-ms"),
                                      QStringLiteral("Server processing time per request, ms."),
                                      QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption noH2(QStringLiteral("no-h2"), QStringLiteral("Offer HTTP/1.1 only."));
    const QCommandLineOption keepAlive(QStringLiteral("keepalive-s"),
                                       QStringLiteral("Idle keep-alive timeout, s (default 60)."),
                                       QStringLiteral("s"), QStringLiteral("60"));
    const QCommandLineOption maxRequests(
        QStringLiteral("max-requests"),
        QStringLiteral("Requests per connection before the server closes it."), QStringLiteral("n"),
        QStringLiteral("0"));
    const QCommandLineOption fault(QStringLiteral("fault"),
                                   QStringLiteral("[bitunix/|hyperliquid/]NAME[:ARG], repeatable. Names: %1.")
                                       .arg(Fault::names().join(QStringLiteral(", "))),
                                   QStringLiteral("fault"));
    const QCommandLineOption bitunixPort(QStringLiteral("bitunix-port"), QStringLiteral("Port, 0 picks one."),
                                         QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption hyperliquidPort(QStringLiteral("hyperliquid-port"),
                                             QStringLiteral("Port, 0 picks one."), QStringLiteral("port"),
                                             QStringLiteral("0"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Market random seed (default random)."), QStringLiteral("n"),
                                  QStringLiteral("0"));
    const QCommandLineOption fullMarket(
        QStringLiteral("full-market"),
        QStringLiteral("List as many perps as the real exchanges (Hyperliquid over 220, about 40 of them "
                       "delisted; Bitunix over 400) instead of the demo's two dozen."));
    const QCommandLineOption noRateLimits(
        QStringLiteral("no-rate-limits"),
        QStringLiteral("Do not enforce the exchanges' rate limits (enforced by default: Hyperliquid 1200 "
                       "weight per minute, HTTP 429 past it; Bitunix 10 requests per second per endpoint, "
                       "code 10006 past it)."));
    const QCommandLineOption commandsOption(
        QStringLiteral("commands"),
        QStringLiteral(
            "Read commands from standard input, one a line (\"rtt MS\", \"price BASE PRICE|release\"), and "
            "exit when it ends: for a parent process, so that exsim ends with it."));
    parser.addOptions({rtt, jitter, serverMs, noH2, keepAlive, maxRequests, fault, bitunixPort,
                       hyperliquidPort, seed, fullMarket, noRateLimits, commandsOption});
    parser.process(app);

    ExsimOptions options;
    bool ok = true;
    auto number = [&parser, &ok](const QCommandLineOption &option, double min, double max) {
        bool valid = false;
        const double value = parser.value(option).toDouble(&valid);
        if (!valid || value < min || value > max) {
            std::fprintf(stderr, "exsim: --%s must be a number from %g to %g\n",
                         qPrintable(option.names().first()), min, max);
            ok = false;
        }
        return value;
    };
    options.rttMs = number(rtt, 0, 10'000);
    options.jitterMs = number(jitter, 0, 10'000);
    options.serverMs = int(number(serverMs, 0, 60'000));
    options.http2 = !parser.isSet(noH2);
    options.fullMarket = parser.isSet(fullMarket);
    options.enforceRateLimits = !parser.isSet(noRateLimits);
    options.keepAliveSeconds = int(number(keepAlive, 1, 3600));
    options.maxRequestsPerConnection = int(number(maxRequests, 0, 1'000'000));
    options.bitunixPort = quint16(number(bitunixPort, 0, 65535));
    options.hyperliquidPort = quint16(number(hyperliquidPort, 0, 65535));
    options.seed = quint32(number(seed, 0, 4294967295.0));
    if (!ok)
        return 2;
    for (const QString &text : parser.values(fault)) {
        const QString origin =
            text.contains(QLatin1Char('/')) ? text.section(QLatin1Char('/'), 0, 0) : QString();
        QString error;
        const std::optional<Fault> parsed = Fault::parse(text.section(QLatin1Char('/'), -1), &error);
        if (!parsed)
            return fail(error);
        if (!origin.isEmpty() && origin != QLatin1String("bitunix") && origin != QLatin1String("hyperliquid"))
            return fail(
                QStringLiteral("unknown origin '%1' in --fault (bitunix or hyperliquid)").arg(origin));
        if (origin.isEmpty() || origin == QLatin1String("bitunix"))
            options.bitunixFault = *parsed;
        if (origin.isEmpty() || origin == QLatin1String("hyperliquid"))
            options.hyperliquidFault = *parsed;
    }

    Exsim exsim(options);
    QString error;
    if (!exsim.start(&error))
        return fail(error);

    QTemporaryDir directory;
    QFile caFile(directory.filePath(QStringLiteral("exsim-ca.pem")));
    if (!directory.isValid() || !caFile.open(QIODevice::WriteOnly) || caFile.write(exsim.caPem()) < 0)
        return fail(QStringLiteral("cannot write the CA file: %1").arg(caFile.errorString()));
    caFile.close();

    // SIGINT/SIGTERM end the event loop, so that the CA file is removed.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return fail(QStringLiteral("socketpair failed"));
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    // --commands: lines on standard input from the parent (ExsimProcess), whose end is the parent's end, even
    // a crash: exsim then quits rather than keep its ports and its CA file.
    std::unique_ptr<QSocketNotifier> commands;
    QByteArray pendingInput;
    if (parser.isSet(commandsOption)) {
        commands = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        QObject::connect(commands.get(), &QSocketNotifier::activated, &app, [&] {
            char buffer[256];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n <= 0) {
                commands->setEnabled(false);
                QCoreApplication::quit();
                return;
            }
            pendingInput.append(buffer, n);
            if (pendingInput.size() > 1024 && !pendingInput.contains('\n')) {
                std::fprintf(stderr, "exsim: a command line longer than 1 KiB, dropped\n");
                pendingInput.clear();
            }
            for (qsizetype end; (end = pendingInput.indexOf('\n')) >= 0; pendingInput.remove(0, end + 1)) {
                const QList<QByteArray> words = pendingInput.left(end).simplified().split(' ');
                bool ok = false;
                const double ms = words.value(1).toDouble(&ok);
                if (words.value(0) == "rtt" && ok && ms >= 0 && ms <= 10'000) {
                    exsim.setRttMs(ms);
                    std::fprintf(stderr, "exsim: rtt %g ms\n", ms);
                } else if (words.value(0) == "price" && words.size() == 3
                           && (words[2] == "release"
                                   ? exsim.market().releasePrice(QString::fromUtf8(words[1]))
                                   : exsim.market().holdPrice(QString::fromUtf8(words[1]),
                                                              words[2].toDouble()))) {
                    std::fprintf(stderr, "exsim: price %s %s\n", words[1].constData(), words[2].constData());
                } else
                    std::fprintf(stderr, "exsim: not a command (rtt MS, price BASE PRICE|release): %s\n",
                                 pendingInput.left(end).constData());
            }
        });
    }

    QJsonObject description = exsim.describe(caFile.fileName());
    description.insert(QStringLiteral("rateLimits"), options.enforceRateLimits);
    std::printf("%s\n", QJsonDocument(description).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return app.exec();
}
