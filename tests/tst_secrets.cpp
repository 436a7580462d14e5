#include "config/credentialstore.h"
#include "config/settings.h"
#include "liveexsim.h"
#include "models/latencylog.h"
#include "models/samplecsv.h"
#include "refresh/session.h"
#include "sim/exsim.h"
#include "sim/httpsserver.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <utility>

namespace {

// Runs an event loop until condition() holds, checked after each sample and each fetch of the session
// (queued, so that the emitter has finished its own bookkeeping). QTest::qWaitFor would sleep between polls
// and slow the in-process server down.
template<typename Condition>
bool waitUntil(Session *session, Condition condition, int timeoutMs)
{
    if (condition())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    const auto check = [&] {
        if (condition())
            loop.quit();
    };
    QObject::connect(session->http(), &HttpClient::sampleReady, &loop, check, Qt::QueuedConnection);
    for (ExchangeClient *client : session->clients())
        QObject::connect(client, &ExchangeClient::fetched, &loop, check, Qt::QueuedConnection);
    timeout.start(timeoutMs);
    loop.exec();
    return condition();
}

} // namespace

// The Bitunix API secret, and every `sign` header the client really sent (collected on the server side),
// appear in no log line (every logging category at debug), no settings file, no CSV export and no `exdash
// --once` output. Each test first proves it saw signed traffic, so that none can pass on silence.
class tst_Secrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void detectorFindsEveryVariant();
    void inProcessSignedRefreshesLeakNothing();
    void rejectedSignaturesLeakNothing();
    void settingsFileAfterAFailedKeychainSave();
    void executableOnceLiveLeaksNothing();
    void executableOnceDemoLeaksNothing();

private:
    struct Capture
    {
        QMutex mutex;
        QByteArray text;
        int messages = 0;
    };
    static void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message);
    static QByteArray takeLog();

    // Every form in which a hex secret could trivially show up: as is, upper case, the bytes it encodes in
    // base64 and base64url, the text itself in base64, and the raw bytes.
    static QList<QByteArray> variants(const QByteArray &hexSecret);
    // Names the first variant of a secret found in text, or is empty.
    static QString leakIn(const QByteArray &text, const QList<QByteArray> &secrets);
    static QByteArray filesUnder(const QString &directory, int *files);
    QProcessEnvironment processEnvironment(const QString &home) const;

    struct SignCollector
    {
        QList<QByteArray> signs;
        int signedRequests = 0;
    };
    static void collectSigns(HttpsServer *server, SignCollector *collector);

    static inline Capture *s_capture = nullptr;
    static inline QtMessageHandler s_previousHandler = nullptr;
    QTemporaryDir m_configHome;
};

void tst_Secrets::recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&s_capture->mutex);
        s_capture->text +=
            QByteArray(context.category ? context.category : "") + ": " + message.toUtf8() + '\n';
        ++s_capture->messages;
    }
    // The test's own lines (figures, reasons) still reach the test log; the captured debug flood does not.
    if (s_previousHandler && context.category && qstrcmp(context.category, "default") == 0)
        s_previousHandler(type, context, message);
}

QByteArray tst_Secrets::takeLog()
{
    QMutexLocker lock(&s_capture->mutex);
    return std::exchange(s_capture->text, {});
}

void tst_Secrets::initTestCase()
{
    QVERIFY(m_configHome.isValid());
    // Before the first QSettings: the settings this process writes go to a directory of the test's own.
    qputenv("XDG_CONFIG_HOME", m_configHome.path().toUtf8());
    QCoreApplication::setOrganizationName(QStringLiteral("exdash"));
    QCoreApplication::setApplicationName(QStringLiteral("exdash"));
    QVERIFY2(QSettings().fileName().startsWith(m_configHome.path()), qPrintable(QSettings().fileName()));
    // Headless: no keychain service, whatever the developer's session has.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    for (const char *name : {"BITUNIX_API_KEY", "BITUNIX_API_SECRET", "HYPERLIQUID_ADDRESS"})
        qunsetenv(name);
    qRegisterMetaType<BitunixCredentials>();

    s_capture = new Capture;
    s_previousHandler = qInstallMessageHandler(recordMessage);
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
}

void tst_Secrets::cleanupTestCase()
{
    QLoggingCategory::setFilterRules(QString());
    qInstallMessageHandler(s_previousHandler);
    delete s_capture;
    s_capture = nullptr;
}

void tst_Secrets::init()
{
    takeLog();
}

QList<QByteArray> tst_Secrets::variants(const QByteArray &hexSecret)
{
    const QByteArray bytes = QByteArray::fromHex(hexSecret);
    return {hexSecret,
            hexSecret.toUpper(),
            bytes.toBase64(),
            bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
            hexSecret.toBase64(),
            bytes};
}

QString tst_Secrets::leakIn(const QByteArray &text, const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets) {
        const QList<QByteArray> forms = variants(secret);
        for (int i = 0; i < forms.size(); ++i) {
            if (!forms[i].isEmpty() && text.contains(forms[i]))
                return QStringLiteral("variant %1 of %2").arg(i).arg(QString::fromLatin1(secret));
        }
    }
    return {};
}

QByteArray tst_Secrets::filesUnder(const QString &directory, int *files)
{
    QByteArray all;
    *files = 0;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly)) {
            all += file.readAll();
            ++*files;
        }
    }
    return all;
}

void tst_Secrets::detectorFindsEveryVariant()
{
    // The checks below are only as good as this: every variant planted in other text is found.
    const QByteArray secret = "0123456789abcdef0123456789abcdef";
    const QByteArray text = "exdash.net: bitunix positions 200 1.2 ms\n";
    QVERIFY(leakIn(text, {secret}).isEmpty());
    for (const QByteArray &variant : variants(secret)) {
        QVERIFY(!leakIn(text + variant + text, {secret}).isEmpty());
        QVERIFY(!leakIn(text + variant, {"ffff", secret}).isEmpty());
    }
}

void tst_Secrets::collectSigns(HttpsServer *server, SignCollector *collector)
{
    connect(server, &HttpsServer::requestReceived, server, [collector](const SimRequest &request) {
        const QByteArray sign = request.header("sign");
        if (sign.isEmpty())
            return;
        ++collector->signedRequests;
        collector->signs.append(sign);
    });
}

void tst_Secrets::inProcessSignedRefreshesLeakNothing()
{
    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    Exsim &exsim = live.exsim();
    SignCollector collector;
    collectSigns(exsim.server(SimExchange::Bitunix), &collector);
    const SessionConfig config = live.configWithCredentials(exsim.bitunixApiSecret());
    Session session;
    QVERIFY2(session.start(config, &error), qPrintable(error));
    session.refresher()->setBudgetsEnforced(false);
    LatencyLog log;
    connect(session.http(), &HttpClient::sampleReady, &log, &LatencyLog::append);
    int privateFetches = 0;
    int failedFetches = 0;
    connect(session.bitunix(), &ExchangeClient::fetched, this,
            [&](Exchange, DataKind kind, const FetchError &fetchError) {
                if (kind != DataKind::Tickers)
                    ++privateFetches;
                if (!fetchError.ok())
                    ++failedFetches;
            });

    constexpr int cycles = 4; // pooled reuse, then fresh nonces and timestamps: a new sign every time
    for (int cycle = 0; cycle < cycles; ++cycle) {
        const int before = privateFetches;
        session.refresher()->refreshNow();
        QVERIFY(waitUntil(
            &session, [&] { return privateFetches >= before + 2 && session.http()->inFlight() == 0; },
            20'000));
    }
    QCOMPARE(failedFetches, 0);
    QVERIFY2(collector.signedRequests >= 2 * cycles, qPrintable(QString::number(collector.signedRequests)));
    QCOMPARE(QSet<QByteArray>(collector.signs.begin(), collector.signs.end()).size(), collector.signs.size());

    QList<QByteArray> secrets = collector.signs;
    secrets.append(exsim.bitunixApiSecret());
    const QByteArray logText = takeLog();
    QVERIFY2(logText.contains("exdash.net"), "debug logging was not captured: the check would be vacuous");
    qInfo("%d signs and the secret checked against %lld bytes of log", int(collector.signs.size()),
          qint64(logText.size()));
    const QString logLeak = leakIn(logText, secrets);
    QVERIFY2(logLeak.isEmpty(), qPrintable(QStringLiteral("log: ") + logLeak));

    // The export of these very samples: signed requests in it, and none of their secrets.
    int signedSamples = 0;
    for (int i = 0; i < log.size(); ++i) {
        if (log.at(i).endpoint == QLatin1String("positions")
            || log.at(i).endpoint == QLatin1String("account"))
            ++signedSamples;
    }
    QVERIFY2(signedSamples >= 2 * cycles, qPrintable(QString::number(signedSamples)));
    const QByteArray csv = SampleCsv::write(log);
    QCOMPARE(csv.count('\n'), log.size() + 1);
    const QString csvLeak = leakIn(csv, secrets);
    QVERIFY2(csvLeak.isEmpty(), qPrintable(QStringLiteral("CSV: ") + csvLeak));
    QVERIFY(!csv.contains(exsim.bitunixApiKey()));
}

void tst_Secrets::rejectedSignaturesLeakNothing()
{
    // A wrong secret: the server answers 10007, the client reports an auth error and logs it. The secret the
    // client holds and the signs it made still appear nowhere.
    LiveExsim live;
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    Exsim &exsim = live.exsim();
    SignCollector collector;
    collectSigns(exsim.server(SimExchange::Bitunix), &collector);

    const QByteArray wrongSecret = QByteArray(exsim.bitunixApiSecret()).replace(0, 4, "0f1e");
    QVERIFY(wrongSecret != exsim.bitunixApiSecret());
    const SessionConfig config = live.configWithCredentials(wrongSecret);
    Session session;
    QVERIFY2(session.start(config, &error), qPrintable(error));
    LatencyLog log;
    connect(session.http(), &HttpClient::sampleReady, &log, &LatencyLog::append);
    QList<FetchError> authErrors;
    connect(session.bitunix(), &ExchangeClient::fetched, this,
            [&](Exchange, DataKind kind, const FetchError &fetchError) {
                if (kind != DataKind::Tickers && fetchError.kind == FetchErrorKind::Auth)
                    authErrors.append(fetchError);
            });
    session.refresher()->refreshNow();
    QVERIFY(waitUntil(
        &session, [&] { return authErrors.size() >= 2 && session.http()->inFlight() == 0; }, 20'000));
    QVERIFY(collector.signedRequests >= 2);

    QList<QByteArray> secrets = collector.signs;
    secrets += {wrongSecret, exsim.bitunixApiSecret()};
    QByteArray reported;
    for (const FetchError &e : authErrors)
        reported += e.message.toUtf8() + '\n';
    QVERIFY2(leakIn(reported, secrets).isEmpty(), reported.constData());
    const QByteArray logText = takeLog();
    QVERIFY(logText.contains("exdash.exchanges")); // the auth errors were logged
    QVERIFY2(leakIn(logText, secrets).isEmpty(), qPrintable(leakIn(logText, secrets)));
    QVERIFY2(leakIn(SampleCsv::write(log), secrets).isEmpty(), "CSV");
}

void tst_Secrets::settingsFileAfterAFailedKeychainSave()
{
    const QByteArray apiKey = "5f0c8a1d9e2b4c7a8f3e6d1b0a9c2e4f";
    const QByteArray secret = "c3a9e1f07b2d4e6a8c0f1e3d5b7a9c2e";
    const QString address = QStringLiteral("0x00000000000000000000000000000000000000a7");
    {
        Settings settings;
        settings.setMode(Settings::Mode::Live);
        settings.setBitunixUrl(QUrl(QStringLiteral("https://127.0.0.1:1")));
        settings.setHyperliquidNetwork(Settings::Network::Testnet);
        settings.setWatchlist({QStringLiteral("BTC"), QStringLiteral("ETH")});
        settings.setReuseMode(ReuseMode::Interleaved);
        QVERIFY(settings.setHyperliquidAddress(address));

        CredentialStore store(QStringLiteral("exdash-tst-secrets"));
        QSignalSpy saved(&store, &CredentialStore::saveFinished);
        QSignalSpy failed(&store, &CredentialStore::keychainFailed);
        store.saveBitunix(apiKey, secret);
        QVERIFY(saved.size() == 1 || saved.wait(30'000));
        QCOMPARE(saved.first().at(0).toBool(), false);
        const QString reason = saved.first().at(1).toString();
        QVERIFY(!reason.isEmpty());
        QCOMPARE(failed.size(), 1);
        QVERIFY(store.keychainUnavailable());
        QVERIFY2(leakIn(reason.toUtf8(), {secret, apiKey}).isEmpty(), qPrintable(reason));

        // Nothing falls back to the settings file, and nothing comes back as if it had been stored.
        QSignalSpy loaded(&store, &CredentialStore::bitunixLoaded);
        store.loadBitunix();
        QVERIFY(loaded.size() == 1 || loaded.wait(30'000));
        QVERIFY(!loaded.first().first().value<BitunixCredentials>().isComplete());
        settings.sync();
        QCOMPARE(settings.store()->status(), QSettings::NoError);
    }

    int files = 0;
    const QByteArray written = filesUnder(m_configHome.path(), &files);
    QVERIFY(files >= 1);
    QVERIFY2(written.contains(address.toLatin1()), "the settings written are not where the test looks");
    QVERIFY2(leakIn(written, {secret, apiKey}).isEmpty(), qPrintable(leakIn(written, {secret, apiKey})));
    const QByteArray logText = takeLog();
    QVERIFY(logText.contains("exdash.credentials")); // the failure was said
    QVERIFY2(leakIn(logText, {secret, apiKey}).isEmpty(), qPrintable(leakIn(logText, {secret, apiKey})));
}

QProcessEnvironment tst_Secrets::processEnvironment(const QString &home) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home);
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    for (const char *name :
         {"BITUNIX_API_KEY", "BITUNIX_API_SECRET", "HYPERLIQUID_ADDRESS", "DBUS_SESSION_BUS_ADDRESS"})
        environment.remove(QLatin1String(name));
    return environment;
}

void tst_Secrets::executableOnceLiveLeaksNothing()
{
    LiveExsim live; // in this thread: served while the test waits for the process
    QString error;
    QVERIFY2(live.start(&error), qPrintable(error));
    Exsim &exsim = live.exsim();
    SignCollector collector;
    collectSigns(exsim.server(SimExchange::Bitunix), &collector);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString caFile = live.caFile();

    QProcess exdash;
    QProcessEnvironment environment = processEnvironment(home.path());
    environment.insert(QStringLiteral("BITUNIX_API_KEY"), QString::fromLatin1(exsim.bitunixApiKey()));
    environment.insert(QStringLiteral("BITUNIX_API_SECRET"), QString::fromLatin1(exsim.bitunixApiSecret()));
    exdash.setProcessEnvironment(environment);
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--once"), QStringLiteral("--json"), QStringLiteral("--bitunix-url"),
                  exsim.url(SimExchange::Bitunix).toString(), QStringLiteral("--hyperliquid-url"),
                  exsim.url(SimExchange::Hyperliquid).toString(), QStringLiteral("--ca-file"), caFile,
                  QStringLiteral("--hyperliquid-address"), exsim.hyperliquidAddress()});
    QVERIFY(finished.wait(60'000));
    const QByteArray out = exdash.readAllStandardOutput();
    const QByteArray err = exdash.readAllStandardError();
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() == 0, (out + err).right(4000).constData());

    // It really signed, the server took the signatures, and the debug logging really was on.
    QVERIFY2(collector.signedRequests >= 2, qPrintable(QString::number(collector.signedRequests)));
    const QJsonDocument document = QJsonDocument::fromJson(out);
    QVERIFY(document.isObject());
    QVERIFY(document[QLatin1String("errors")].toArray().isEmpty());
    int bitunixPositions = 0;
    for (const QJsonValue &p : document[QLatin1String("positions")].toArray())
        bitunixPositions += p[QLatin1String("exchange")].toString() == QLatin1String("bitunix");
    QVERIFY(bitunixPositions > 0);
    QVERIFY2(err.contains("exdash.net") || err.contains("qt.network"), "no debug output from the process");

    QList<QByteArray> secrets = collector.signs;
    secrets.append(exsim.bitunixApiSecret());
    qInfo("%d signs and the secret checked against %lld bytes of stdout and %lld of stderr",
          int(collector.signs.size()), qint64(out.size()), qint64(err.size()));
    QVERIFY2(leakIn(out, secrets).isEmpty(), qPrintable(QStringLiteral("stdout: ") + leakIn(out, secrets)));
    QVERIFY2(leakIn(err, secrets).isEmpty(), qPrintable(QStringLiteral("stderr: ") + leakIn(err, secrets)));
    int files = 0;
    const QByteArray written = filesUnder(home.path(), &files);
    QVERIFY2(leakIn(written, secrets).isEmpty(),
             qPrintable(QStringLiteral("files: ") + leakIn(written, secrets)));
}

void tst_Secrets::executableOnceDemoLeaksNothing()
{
    // The demo's credentials are made inside the process, so the test cannot know them: it checks instead
    // that nothing credential-shaped comes out. The secret and the nonce are 32 hex digits, a sign 64; the
    // one long hex run allowed is an address (0x and 40 digits).
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcess exdash;
    exdash.setProcessEnvironment(processEnvironment(home.path()));
    QSignalSpy finished(&exdash, &QProcess::finished);
    exdash.start(QStringLiteral(EXDASH_BINARY),
                 {QStringLiteral("--once"), QStringLiteral("--json"), QStringLiteral("--demo"),
                  QStringLiteral("--rtt"), QStringLiteral("0")});
    QVERIFY(finished.wait(60'000));
    const QByteArray out = exdash.readAllStandardOutput();
    const QByteArray err = exdash.readAllStandardError();
    QCOMPARE(exdash.exitStatus(), QProcess::NormalExit);
    QVERIFY2(exdash.exitCode() == 0, (out + err).right(4000).constData());
    const QJsonDocument document = QJsonDocument::fromJson(out);
    QVERIFY(document.isObject());
    QSet<QString> bitunixEndpoints;
    for (const QJsonValue &r : document[QLatin1String("requests")].toArray()) {
        if (r[QLatin1String("exchange")].toString() == QLatin1String("bitunix"))
            bitunixEndpoints.insert(r[QLatin1String("endpoint")].toString());
    }
    QVERIFY(bitunixEndpoints.contains(QStringLiteral("positions"))); // signed requests did go out
    QVERIFY(bitunixEndpoints.contains(QStringLiteral("account")));
    QVERIFY2(err.contains("exdash.net") || err.contains("qt.network"), "no debug output from the process");

    static const QRegularExpression longHex(QStringLiteral("(?<![0-9A-Za-z])(0x)?[0-9a-fA-F]{32,}"));
    QVERIFY(longHex.match(QStringLiteral("sign: 0123456789abcdef0123456789ABCDEF")).hasMatch());
    QCOMPARE(longHex.match(QStringLiteral("\"0x00000000000000000000000000000000000000a7\"")).capturedLength(),
             42);
    for (const auto &[name, text] : {std::pair {"stdout", &out}, std::pair {"stderr", &err}}) {
        auto matches = longHex.globalMatch(QString::fromUtf8(*text));
        while (matches.hasNext()) {
            const QRegularExpressionMatch match = matches.next();
            const bool address = !match.captured(1).isEmpty() && match.capturedLength() == 42;
            QVERIFY2(address, qPrintable(QStringLiteral("%1: %2").arg(name, match.captured())));
        }
    }
}

QTEST_GUILESS_MAIN(tst_Secrets)
#include "tst_secrets.moc"
