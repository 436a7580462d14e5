#include "config/credentialstore.h"
#include "config/settings.h"
#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

// Settings over a QSettings on a temporary INI file.
class tst_Settings : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void defaults();
    void alertSettingsRoundTripAndAreValidated();
    void setterRoundTrips_data();
    void setterRoundTrips();
    void sameValueIsNoChange_data();
    void sameValueIsNoChange();
    void settingTheDefaultIsNoChange_data();
    void settingTheDefaultIsNoChange();
    void clampsOutOfRangeValues();
    void invalidAddressIsRefused_data();
    void invalidAddressIsRefused();
    void environmentAddressTakesPrecedence();
    void watchlistIsNormalised();
    void noSecretInTheFile();

private:
    std::unique_ptr<Settings> open();
    // The saved file, as the next run of the app sees it. QSettings caches parsed files per process (values
    // keep the types they were set with); a copy under a new name is read from disk, as after a restart.
    std::unique_ptr<Settings> reopen();
    QByteArray fileContents();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;
    std::list<std::unique_ptr<QSettings>> m_stores;
    int m_reopened = 0;
};

using Setter = std::function<void(Settings &)>;
using Check = std::function<bool(const Settings &)>;
Q_DECLARE_METATYPE(Setter)
Q_DECLARE_METATYPE(Check)

static const QString validAddress = QStringLiteral("0x00000000000000000000000000000000000000A1");
static const QString otherAddress = QStringLiteral("0x2222222222222222222222222222222222222222");

void tst_Settings::init()
{
    qunsetenv("HYPERLIQUID_ADDRESS");
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->filePath(QStringLiteral("exdash.ini"));
}

void tst_Settings::cleanup()
{
    qunsetenv("HYPERLIQUID_ADDRESS");
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    m_stores.clear();
    m_dir.reset();
}

void tst_Settings::alertSettingsRoundTripAndAreValidated()
{
    auto settings = open();
    QVERIFY(settings->alertSettings() == AlertSettings());
    AlertSettings mine;
    mine.liquidationDistancePct = 7.5;
    mine.failuresInARow = 5;
    mine.slowP95Ms = 400;
    mine.latencyWindowS = 120;
    mine.reuseCollapseShare = 0.6;
    mine.minCalls = 20;
    mine.equityEnabled = true;
    mine.equityDropPct = 3;
    mine.equityWindowMinutes = 30;
    mine.quietS = 60;
    mine.silenced = {AlertKind::Latency, AlertKind::Reuse};
    QSignalSpy changed(settings.get(), &Settings::changed);
    QVERIFY(settings->setAlertSettings(mine));
    QCOMPARE(changed.count(), 1);
    QVERIFY(settings->setAlertSettings(mine)); // the same again: no change
    QCOMPARE(changed.count(), 1);
    settings->sync();
    QVERIFY(reopen()->alertSettings() == mine);

    // Nonsense is refused, with the reason, and nothing is stored.
    AlertSettings bad = mine;
    bad.latencyWindowS = 0;
    QString problem;
    QVERIFY(!settings->setAlertSettings(bad, &problem));
    QCOMPARE(problem, QStringLiteral("the latency window must be 1 s or more"));
    QVERIFY(reopen()->alertSettings() == mine);

    // A file edited into nonsense reads back as the defaults; unknown silenced names are ignored.
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(QStringLiteral("alerts/silenced"),
                      QStringList {QStringLiteral("latency"), QStringLiteral("bogus")});
        file.sync();
    }
    QCOMPARE(reopen()->alertSettings().silenced, (QSet<AlertKind> {AlertKind::Latency}));
    {
        QSettings file(m_file, QSettings::IniFormat);
        file.setValue(QStringLiteral("alerts/slowP95Ms"), -3);
        file.setValue(QStringLiteral("alerts/quietS"), QStringLiteral("soon"));
        file.sync();
    }
    QVERIFY(reopen()->alertSettings() == AlertSettings());
}

std::unique_ptr<Settings> tst_Settings::open()
{
    m_stores.push_back(std::make_unique<QSettings>(m_file, QSettings::IniFormat));
    return std::make_unique<Settings>(m_stores.back().get());
}

std::unique_ptr<Settings> tst_Settings::reopen()
{
    const QString copy = m_dir->filePath(QStringLiteral("exdash-%1.ini").arg(++m_reopened));
    if (!QFile::copy(m_file, copy))
        qFatal("cannot copy %s", qPrintable(m_file));
    m_file = copy;
    return open();
}

QByteArray tst_Settings::fileContents()
{
    QFile file(m_file);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void tst_Settings::defaults()
{
    auto s = open();
    QCOMPARE(s->mode(), Settings::Mode::Demo);
    QCOMPARE(s->bitunixUrl(), QUrl(QStringLiteral("https://fapi.bitunix.com")));
    QCOMPARE(s->hyperliquidNetwork(), Settings::Network::Mainnet);
    QCOMPARE(s->hyperliquidUrl(), QUrl(QStringLiteral("https://api.hyperliquid.xyz")));
    QVERIFY(s->hyperliquidCustomUrl().isEmpty());
    QVERIFY(s->caFile().isEmpty());
    QVERIFY(s->watchlist().isEmpty());
    QCOMPARE(s->sharePercent(), 15);
    QCOMPARE(s->demoRttMs(), Settings::defaultDemoRttMs);
    QCOMPARE(s->demoRttMs(), 50);
    QCOMPARE(s->reuseMode(), ReuseMode::Pooled);
    QCOMPARE(s->palette(), QStringLiteral("system"));
    QVERIFY(s->hyperliquidAddress().isEmpty());
    QVERIFY(s->storedHyperliquidAddress().isEmpty());
    QVERIFY(s->windowState().isEmpty());
    QVERIFY(s->windowGeometry().isEmpty());
    QVERIFY(!s->windowNormalGeometry().isValid());
    // Reading writes nothing.
    s->sync();
    QVERIFY(fileContents().trimmed().isEmpty());
}

void tst_Settings::setterRoundTrips_data()
{
    QTest::addColumn<Setter>("set");
    QTest::addColumn<Check>("check");
    QTest::addColumn<int>("changes"); // changed() signals for one call of the setter
    QTest::addColumn<int>("repeatChanges"); // for the same call again

    const QUrl bitunix(QStringLiteral("https://bitunix.example:8443/base"));
    const QUrl custom(QStringLiteral("https://127.0.0.1:9999"));
    static constexpr char blobBytes[] = "\x00\x01\xff state \n=;\"";
    const QByteArray blob(blobBytes, sizeof blobBytes - 1); // the NUL inside counts, the terminator does not
    QTest::newRow("mode live") << Setter([](Settings &s) { s.setMode(Settings::Mode::Live); })
                               << Check([](const Settings &s) { return s.mode() == Settings::Mode::Live; })
                               << 1 << 0;
    QTest::newRow("mode back to demo") << Setter([](Settings &s) {
        s.setMode(Settings::Mode::Live);
        s.setMode(Settings::Mode::Demo);
    }) << Check([](const Settings &s) { return s.mode() == Settings::Mode::Demo; })
                                       << 2 << 2;
    QTest::newRow("bitunix url") << Setter([bitunix](Settings &s) { s.setBitunixUrl(bitunix); })
                                 << Check([bitunix](const Settings &s) { return s.bitunixUrl() == bitunix; })
                                 << 1 << 0;
    QTest::newRow("testnet") << Setter([](Settings &s) {
        s.setHyperliquidNetwork(Settings::Network::Testnet);
    }) << Check([](const Settings &s) {
        return s.hyperliquidNetwork() == Settings::Network::Testnet
            && s.hyperliquidUrl() == QUrl(QStringLiteral("https://api.hyperliquid-testnet.xyz"));
    }) << 1 << 0;
    QTest::newRow("custom network") << Setter([custom](Settings &s) {
        s.setHyperliquidNetwork(Settings::Network::Custom);
        s.setHyperliquidCustomUrl(custom);
    }) << Check([custom](const Settings &s) {
        return s.hyperliquidNetwork() == Settings::Network::Custom && s.hyperliquidCustomUrl() == custom
            && s.hyperliquidUrl() == custom;
    }) << 2 << 0;
    QTest::newRow("custom network without url falls back to mainnet") << Setter([](Settings &s) {
        s.setHyperliquidNetwork(Settings::Network::Custom);
    }) << Check([](const Settings &s) {
        return s.hyperliquidNetwork() == Settings::Network::Custom
            && s.hyperliquidUrl() == QUrl(QStringLiteral("https://api.hyperliquid.xyz"));
    }) << 1 << 0;
    QTest::newRow("ca file") << Setter([](Settings &s) {
        s.setCaFile(QStringLiteral("/etc/ssl/corp ca.pem"));
    }) << Check([](const Settings &s) { return s.caFile() == QLatin1String("/etc/ssl/corp ca.pem"); })
                             << 1 << 0;
    QTest::newRow("watchlist") << Setter([](Settings &s) {
        s.setWatchlist({QStringLiteral("BTC"), QStringLiteral("ETH")});
    }) << Check([](const Settings &s) {
        return s.watchlist() == QStringList {"BTC", "ETH"};
    }) << 1 << 0;
    QTest::newRow("watchlist of one")
        << Setter([](Settings &s) { s.setWatchlist({QStringLiteral("BTC")}); })
        << Check([](const Settings &s) { return s.watchlist() == QStringList {"BTC"}; }) << 1 << 0;
    QTest::newRow("watchlist emptied") << Setter([](Settings &s) {
        s.setWatchlist({QStringLiteral("BTC"), QStringLiteral("ETH")});
        s.setWatchlist({});
    }) << Check([](const Settings &s) { return s.watchlist().isEmpty(); })
                                       << 2 << 2;
    QTest::newRow("rate share") << Setter([](Settings &s) { s.setSharePercent(40); })
                                << Check([](const Settings &s) { return s.sharePercent() == 40; }) << 1 << 0;
    QTest::newRow("demo rtt") << Setter([](Settings &s) { s.setDemoRttMs(120); })
                              << Check([](const Settings &s) { return s.demoRttMs() == 120; }) << 1 << 0;
    QTest::newRow("demo rtt 0") << Setter([](Settings &s) { s.setDemoRttMs(0); })
                                << Check([](const Settings &s) { return s.demoRttMs() == 0; }) << 1 << 0;
    QTest::newRow("reuse no-reuse") << Setter([](Settings &s) {
        s.setReuseMode(ReuseMode::NoReuse);
    }) << Check([](const Settings &s) { return s.reuseMode() == ReuseMode::NoReuse; })
                                    << 1 << 0;
    QTest::newRow("reuse interleaved")
        << Setter([](Settings &s) { s.setReuseMode(ReuseMode::Interleaved); })
        << Check([](const Settings &s) { return s.reuseMode() == ReuseMode::Interleaved; }) << 1 << 0;
    QTest::newRow("palette dark") << Setter([](Settings &s) {
        s.setPalette(QStringLiteral("dark"));
    }) << Check([](const Settings &s) { return s.palette() == QLatin1String("dark"); })
                                  << 1 << 0;
    QTest::newRow("address") << Setter([](Settings &s) { s.setHyperliquidAddress(validAddress); })
                             << Check([](const Settings &s) {
                                    return s.storedHyperliquidAddress() == validAddress.toLower()
                                        && s.hyperliquidAddress() == validAddress.toLower();
                                })
                             << 1 << 0;
    QTest::newRow("address cleared") << Setter([](Settings &s) {
        s.setHyperliquidAddress(validAddress);
        s.setHyperliquidAddress(QString());
    }) << Check([](const Settings &s) { return s.storedHyperliquidAddress().isEmpty(); })
                                     << 2 << 2;
    QTest::newRow("window state") << Setter([blob](Settings &s) { s.setWindowState(blob); })
                                  << Check([blob](const Settings &s) { return s.windowState() == blob; }) << 1
                                  << 0;
    QTest::newRow("window geometry") << Setter([blob](Settings &s) {
        s.setWindowGeometry(blob + "g");
    }) << Check([blob](const Settings &s) { return s.windowGeometry() == blob + "g"; })
                                     << 1 << 0;
    QTest::newRow("window normal geometry")
        << Setter([](Settings &s) { s.setWindowNormalGeometry(QRect(2, 30, 1362, 736)); })
        << Check([](const Settings &s) { return s.windowNormalGeometry() == QRect(2, 30, 1362, 736); }) << 1
        << 0;
}

void tst_Settings::setterRoundTrips()
{
    QFETCH(Setter, set);
    QFETCH(Check, check);
    QFETCH(int, changes);
    {
        auto s = open();
        QSignalSpy changed(s.get(), &Settings::changed);
        set(*s);
        QVERIFY(check(*s));
        QCOMPARE(changed.size(), changes);
        s->sync();
    }
    auto reopened = reopen();
    QVERIFY2(check(*reopened), fileContents().constData());
}

void tst_Settings::sameValueIsNoChange_data()
{
    setterRoundTrips_data();
}

void tst_Settings::sameValueIsNoChange()
{
    // Setting what is already there is no change: neither in the same session nor after a restart, when the
    // values come back from the file as text. (Rows that go there and back change twice, every time.)
    // The INI file gives values back as other types (a one-element list as a QString): an unchanged value
    // must still compare equal.
    QFETCH(Setter, set);
    QFETCH(Check, check);
    QFETCH(int, repeatChanges);
    {
        auto s = open();
        set(*s);
        QSignalSpy changed(s.get(), &Settings::changed);
        set(*s);
        QCOMPARE(changed.size(), repeatChanges);
        s->sync();
    }
    auto reopened = reopen();
    QSignalSpy changed(reopened.get(), &Settings::changed);
    set(*reopened);
    QVERIFY(check(*reopened));
    QStringList keys;
    for (const QList<QVariant> &args : changed)
        keys << args.first().toString();
    QVERIFY2(changed.size() == repeatChanges,
             qPrintable(QStringLiteral("after a restart, changed() for ") + keys.join(QStringLiteral(", "))));
}

void tst_Settings::settingTheDefaultIsNoChange_data()
{
    QTest::addColumn<Setter>("set");
    QTest::newRow("mode demo") << Setter([](Settings &s) { s.setMode(Settings::Mode::Demo); });
    QTest::newRow("demo rtt 50") << Setter([](Settings &s) { s.setDemoRttMs(Settings::defaultDemoRttMs); });
    QTest::newRow("rate share 15 %") << Setter([](Settings &s) { s.setSharePercent(15); });
    QTest::newRow("reuse pooled") << Setter([](Settings &s) { s.setReuseMode(ReuseMode::Pooled); });
    QTest::newRow("empty watchlist") << Setter([](Settings &s) { s.setWatchlist({}); });
    QTest::newRow("no address") << Setter([](Settings &s) { s.setHyperliquidAddress(QString()); });
}

void tst_Settings::settingTheDefaultIsNoChange()
{
    // A settings dialog that applies what it shows must not fire changed() for keys never saved before when
    // the value is the default: no getter returns anything new.
    QFETCH(Setter, set);
    auto s = open();
    QSignalSpy changed(s.get(), &Settings::changed);
    set(*s);
    QStringList keys;
    for (const QList<QVariant> &args : changed)
        keys << args.first().toString();
    QVERIFY2(changed.isEmpty(),
             qPrintable(QStringLiteral("changed() for ") + keys.join(QStringLiteral(", "))));
}

void tst_Settings::clampsOutOfRangeValues()
{
    auto s = open();
    s->setSharePercent(1);
    QCOMPARE(s->sharePercent(), 5);
    s->setSharePercent(250);
    QCOMPARE(s->sharePercent(), 100);
    s->setDemoRttMs(-5);
    QCOMPARE(s->demoRttMs(), 0);
    s->setDemoRttMs(100'000);
    QCOMPARE(s->demoRttMs(), 2000);
    // Garbage in the file reads as the default.
    s->store()->setValue(QStringLiteral("refresh/sharePercent"), QStringLiteral("lots"));
    QCOMPARE(s->sharePercent(), 15);
    s->store()->setValue(QStringLiteral("reuseMode"), QStringLiteral("sometimes"));
    QCOMPARE(s->reuseMode(), ReuseMode::Pooled);
    s->store()->setValue(QStringLiteral("palette"), QStringLiteral("purple"));
    QCOMPARE(s->palette(), QStringLiteral("system"));
    s->setPalette(QStringLiteral("neon")); // unknown names are "system", the default: no change
    QCOMPARE(s->palette(), QStringLiteral("system"));
    s->store()->setValue(QStringLiteral("mode"), QStringLiteral("LIVE!"));
    QCOMPARE(s->mode(), Settings::Mode::Demo);
    s->store()->setValue(QStringLiteral("hyperliquid/address"), QStringLiteral("0x123"));
    QVERIFY(s->storedHyperliquidAddress().isEmpty());
}

void tst_Settings::invalidAddressIsRefused_data()
{
    QTest::addColumn<QString>("address");
    QTest::newRow("too short") << QStringLiteral("0x123");
    QTest::newRow("not hex") << QStringLiteral("abc");
    QTest::newRow("41 hex digits") << QStringLiteral("0x") + QString(41, QLatin1Char('1'));
    QTest::newRow("no 0x") << QString(40, QLatin1Char('1'));
}

void tst_Settings::invalidAddressIsRefused()
{
    QFETCH(QString, address);
    {
        auto s = open();
        QVERIFY(s->setHyperliquidAddress(otherAddress));
        QSignalSpy changed(s.get(), &Settings::changed);
        QVERIFY(!s->setHyperliquidAddress(address));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(s->storedHyperliquidAddress(), otherAddress);
        s->sync();
    }
    QVERIFY(!fileContents().contains(address.toLatin1()));
    QCOMPARE(reopen()->storedHyperliquidAddress(), otherAddress);
}

void tst_Settings::environmentAddressTakesPrecedence()
{
    auto s = open();
    QVERIFY(s->setHyperliquidAddress(otherAddress));
    qputenv("HYPERLIQUID_ADDRESS", " " + validAddress.toLatin1() + " ");
    QCOMPARE(s->hyperliquidAddress(), validAddress.toLower());
    QCOMPARE(s->storedHyperliquidAddress(), otherAddress); // the environment is not stored
    s->sync();
    QVERIFY(!fileContents().contains(validAddress.toLower().toLatin1()));
    // An invalid one in the environment is ignored.
    qputenv("HYPERLIQUID_ADDRESS", "0x123");
    QCOMPARE(s->hyperliquidAddress(), otherAddress);
    qunsetenv("HYPERLIQUID_ADDRESS");
    QCOMPARE(s->hyperliquidAddress(), otherAddress);
}

void tst_Settings::watchlistIsNormalised()
{
    auto s = open();
    QSignalSpy changed(s.get(), &Settings::changed);
    s->setWatchlist({QStringLiteral(" btc"), QStringLiteral("ETH "), QStringLiteral("Btc"), QString(),
                     QStringLiteral("   "), QStringLiteral("pepe")});
    QCOMPARE(s->watchlist(), (QStringList {"BTC", "ETH", "PEPE"}));
    QCOMPARE(changed.size(), 1);
    s->setWatchlist(
        {QStringLiteral("BTC"), QStringLiteral("eth"), QStringLiteral("PEPE")}); // same, normalised
    QCOMPARE(changed.size(), 1);
    s->sync();
    QCOMPARE(reopen()->watchlist(), (QStringList {"BTC", "ETH", "PEPE"}));
}

void tst_Settings::noSecretInTheFile()
{
    // The Settings API has no setter for a Bitunix key or secret (only the keychain and the environment hold
    // them): with both in the environment and every setting saved, neither reaches the file.
    const QByteArray key = "tst-settings-api-key-4f1c";
    const QByteArray secret = "tst-settings-secret-9b2e7d";
    qputenv("BITUNIX_API_KEY", key);
    qputenv("BITUNIX_API_SECRET", secret);
    {
        auto s = open();
        CredentialStore store(QStringLiteral("exdash-tst-settings"));
        QSignalSpy loaded(&store, &CredentialStore::bitunixLoaded);
        store.loadBitunix();
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.first().first().value<BitunixCredentials>().secret, secret);
        QSignalSpy setterRows(s.get(), &Settings::changed);
        // Every setter, once, each to a value other than the default (so that each one writes).
        s->setMode(Settings::Mode::Live);
        s->setBitunixUrl(QUrl(QStringLiteral("https://bitunix.example.test")));
        s->setHyperliquidNetwork(Settings::Network::Custom);
        s->setHyperliquidCustomUrl(QUrl(QStringLiteral("https://127.0.0.1:1")));
        s->setCaFile(QStringLiteral("/tmp/ca.pem"));
        s->setWatchlist({QStringLiteral("BTC")});
        s->setSharePercent(30);
        s->setDemoRttMs(10);
        s->setReuseMode(ReuseMode::Interleaved);
        s->setPalette(QStringLiteral("dark"));
        s->setHyperliquidAddress(validAddress);
        s->setWindowState("state");
        s->setWindowGeometry("geometry");
        // Thirteen setters, thirteen keys written.
        QSet<QString> keys;
        for (const QList<QVariant> &row : std::as_const(setterRows))
            keys.insert(row.first().toString());
        QCOMPARE(setterRows.size(), 13);
        QCOMPARE(keys.size(), 13);
        s->sync();
    }
    const QByteArray contents = fileContents();
    QVERIFY(!contents.isEmpty());
    QVERIFY2(!contents.contains(secret), contents.constData());
    QVERIFY2(!contents.contains(key), contents.constData());
    QVERIFY(!contents.toLower().contains("secret"));
}

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
