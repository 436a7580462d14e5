#include "config/credentialstore.h"
#include "config/settings.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// SettingsDialog over a Settings on a temporary INI file, with the headless keychain (no D-Bus session bus,
// as in CI): what OK writes, what Cancel does not, the address check, and that no key or secret reaches the
// file.
class tst_SettingsDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsTheSettings();
    void roundTrip();
    void cancelChangesNothing();
    void okWithoutChangesWritesNothing();
    void addressIsValidatedAsYouType_data();
    void addressIsValidatedAsYouType();
    void customUrlOnlyForCustom();
    void urlsAreValidated();
    void credentialsNeverReachTheFile();
    void credentialsNeedBoth();
    void closedWhileSaving();
    void environmentCredentialsTakePrecedence();
    void render_data();
    void render();

private:
    std::unique_ptr<Settings> open();
    std::unique_ptr<Settings> reopen(); // as the next run sees the file (see tst_settings)
    QByteArray fileContents() const;
    template<typename T>
    static T *child(const QObject &parent, const char *name)
    {
        T *widget = parent.findChild<T *>(QLatin1String(name));
        if (!widget)
            qFatal("no %s", name);
        return widget;
    }
    static QPushButton *ok(const SettingsDialog &dialog)
    {
        return child<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Ok);
    }
    static QPushButton *cancel(const SettingsDialog &dialog)
    {
        return child<QDialogButtonBox>(dialog, "buttons")->button(QDialogButtonBox::Cancel);
    }
    static void setEverything(SettingsDialog &dialog, const QString &caFile);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;
    std::list<std::unique_ptr<QSettings>> m_stores;
    int m_reopened = 0;
    const QString m_service = QStringLiteral("exdash-tst-settingsdialog");
};

namespace {

const QString validAddress = QStringLiteral("0x00000000000000000000000000000000000000A1");
const QByteArray apiKey = "tst-dialog-api-key-7c21";
const QByteArray apiSecret = "tst-dialog-secret-e93f0b";

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

void tst_SettingsDialog::initTestCase()
{
    // Headless: no session bus, whatever the developer's shell has (CTest also sets this).
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qRegisterMetaType<BitunixCredentials>();
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
}

void tst_SettingsDialog::init()
{
    qunsetenv("HYPERLIQUID_ADDRESS");
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->filePath(QStringLiteral("exdash.ini"));
}

void tst_SettingsDialog::cleanup()
{
    qunsetenv("HYPERLIQUID_ADDRESS");
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    QApplication::setPalette(QApplication::style()->standardPalette());
    m_stores.clear();
    m_dir.reset();
}

std::unique_ptr<Settings> tst_SettingsDialog::open()
{
    m_stores.push_back(std::make_unique<QSettings>(m_file, QSettings::IniFormat));
    return std::make_unique<Settings>(m_stores.back().get());
}

std::unique_ptr<Settings> tst_SettingsDialog::reopen()
{
    const QString copy = m_dir->filePath(QStringLiteral("exdash-%1.ini").arg(++m_reopened));
    if (!QFile::copy(m_file, copy))
        qFatal("cannot copy %s", qPrintable(m_file));
    m_file = copy;
    return open();
}

QByteArray tst_SettingsDialog::fileContents() const
{
    QFile file(m_file);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Through the widgets, as a user would leave them (setters that emit the widgets' own change signals).
void tst_SettingsDialog::setEverything(SettingsDialog &dialog, const QString &caFile)
{
    auto *mode = child<QComboBox>(dialog, "mode");
    mode->setCurrentIndex(mode->findData(int(Settings::Mode::Live)));
    child<QLineEdit>(dialog, "bitunixUrl")->setText(QStringLiteral("https://bitunix.example:8443"));
    auto *network = child<QComboBox>(dialog, "hyperliquidNetwork");
    network->setCurrentIndex(network->findData(int(Settings::Network::Custom)));
    child<QLineEdit>(dialog, "hyperliquidCustomUrl")->setText(QStringLiteral("https://127.0.0.1:9999"));
    child<QLineEdit>(dialog, "caFile")->setText(caFile);
    child<QLineEdit>(dialog, "hyperliquidAddress")->setText(validAddress);
    child<QLineEdit>(dialog, "watchlist")->setText(QStringLiteral("btc, eth  sol,,pepe"));
    child<QSpinBox>(dialog, "rateShare")->setValue(30);
    child<QSpinBox>(dialog, "demoRtt")->setValue(120);
}

void tst_SettingsDialog::showsTheSettings()
{
    auto s = open();
    SettingsDialog dialog(s.get(), nullptr);
    QCOMPARE(child<QComboBox>(dialog, "mode")->currentData().toInt(), int(Settings::Mode::Demo));
    QCOMPARE(child<QLineEdit>(dialog, "bitunixUrl")->text(), QStringLiteral("https://fapi.bitunix.com"));
    QCOMPARE(child<QComboBox>(dialog, "hyperliquidNetwork")->currentData().toInt(),
             int(Settings::Network::Mainnet));
    QVERIFY(!child<QLineEdit>(dialog, "hyperliquidCustomUrl")->isEnabled());
    QVERIFY(child<QLineEdit>(dialog, "caFile")->text().isEmpty());
    QVERIFY(child<QLineEdit>(dialog, "hyperliquidAddress")->text().isEmpty());
    QVERIFY(child<QLineEdit>(dialog, "watchlist")->text().isEmpty());
    QCOMPARE(child<QSpinBox>(dialog, "rateShare")->value(), 15);
    QCOMPARE(child<QSpinBox>(dialog, "rateShare")->minimum(), 5);
    QCOMPARE(child<QSpinBox>(dialog, "rateShare")->maximum(), 100);
    // What the share becomes, before OK.
    const QString plan = child<QLabel>(dialog, "sharePlan")->text();
    QVERIFY2(plan.contains(QStringLiteral("Prices every 2 s")) && plan.contains(QStringLiteral("every 15 s"))
                 && plan.contains(QStringLiteral("every 10 s"))
                 && plan.contains(QStringLiteral("180 of its 1200")),
             qPrintable(plan));
    child<QSpinBox>(dialog, "rateShare")->setValue(30);
    QVERIFY2(child<QLabel>(dialog, "sharePlan")->text().contains(QStringLiteral("Prices every 1 s")),
             qPrintable(child<QLabel>(dialog, "sharePlan")->text()));
    child<QSpinBox>(dialog, "rateShare")->setValue(15);
    QCOMPARE(child<QSpinBox>(dialog, "demoRtt")->value(), 50);
    QCOMPARE(child<QSpinBox>(dialog, "demoRtt")->minimum(), 0);
    QCOMPARE(child<QSpinBox>(dialog, "demoRtt")->maximum(), 2000);
    QCOMPARE(child<QLineEdit>(dialog, "bitunixApiSecret")->echoMode(), QLineEdit::Password);
    QCOMPARE(child<QLineEdit>(dialog, "bitunixApiKey")->echoMode(), QLineEdit::Normal);
    QVERIFY(child<QLabel>(dialog, "credentialsNote")->text().contains(QStringLiteral("BITUNIX_API_KEY")));
    QVERIFY(dialog.isInputValid());
}

void tst_SettingsDialog::roundTrip()
{
    const QString caFile = m_dir->filePath(QStringLiteral("corp ca.pem"));
    {
        QFile ca(caFile);
        QVERIFY(ca.open(QIODevice::WriteOnly));
    }
    {
        auto s = open();
        SettingsDialog dialog(s.get(), nullptr);
        QSignalSpy applied(&dialog, &SettingsDialog::applied);
        QSignalSpy changed(s.get(), &Settings::changed);
        setEverything(dialog, caFile);
        QCOMPARE(changed.size(), 0); // nothing before OK
        QVERIFY(dialog.isInputValid());
        ok(dialog)->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(applied.size(), 1);
        QCOMPARE(changed.size(),
                 9); // mode, url, network, custom url, ca, address, watchlist, share, rtt
        QCOMPARE(s->mode(), Settings::Mode::Live);
        QCOMPARE(s->bitunixUrl(), QUrl(QStringLiteral("https://bitunix.example:8443")));
        QCOMPARE(s->hyperliquidNetwork(), Settings::Network::Custom);
        QCOMPARE(s->hyperliquidCustomUrl(), QUrl(QStringLiteral("https://127.0.0.1:9999")));
        QCOMPARE(s->hyperliquidUrl(), QUrl(QStringLiteral("https://127.0.0.1:9999")));
        QCOMPARE(s->caFile(), caFile);
        QCOMPARE(s->storedHyperliquidAddress(), validAddress.toLower());
        QCOMPARE(s->watchlist(), (QStringList {"BTC", "ETH", "SOL", "PEPE"}));
        QCOMPARE(s->sharePercent(), 30);
        QCOMPARE(s->demoRttMs(), 120);
        s->sync();
    }
    // Reopened (as after a restart), the dialog shows them.
    auto s = reopen();
    SettingsDialog dialog(s.get(), nullptr);
    QCOMPARE(child<QComboBox>(dialog, "mode")->currentData().toInt(), int(Settings::Mode::Live));
    QCOMPARE(child<QLineEdit>(dialog, "bitunixUrl")->text(), QStringLiteral("https://bitunix.example:8443"));
    QCOMPARE(child<QComboBox>(dialog, "hyperliquidNetwork")->currentData().toInt(),
             int(Settings::Network::Custom));
    QVERIFY(child<QLineEdit>(dialog, "hyperliquidCustomUrl")->isEnabled());
    QCOMPARE(child<QLineEdit>(dialog, "hyperliquidCustomUrl")->text(),
             QStringLiteral("https://127.0.0.1:9999"));
    QCOMPARE(child<QLineEdit>(dialog, "caFile")->text(), caFile);
    QCOMPARE(child<QLineEdit>(dialog, "hyperliquidAddress")->text(), validAddress.toLower());
    QCOMPARE(child<QLineEdit>(dialog, "watchlist")->text(), QStringLiteral("BTC, ETH, SOL, PEPE"));
    QCOMPARE(child<QSpinBox>(dialog, "rateShare")->value(), 30);
    QCOMPARE(child<QSpinBox>(dialog, "demoRtt")->value(), 120);
    QVERIFY(!child<QLabel>(dialog, "caFileError")->isVisibleTo(&dialog)); // the file exists

    // Back to the defaults through the dialog: every getter follows.
    setEverything(dialog, QString());
    auto *network = child<QComboBox>(dialog, "hyperliquidNetwork");
    network->setCurrentIndex(network->findData(int(Settings::Network::Testnet)));
    child<QLineEdit>(dialog, "hyperliquidAddress")->clear();
    child<QLineEdit>(dialog, "watchlist")->clear();
    ok(dialog)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(s->hyperliquidNetwork(), Settings::Network::Testnet);
    QCOMPARE(s->hyperliquidUrl(), QUrl(QStringLiteral("https://api.hyperliquid-testnet.xyz")));
    QVERIFY(s->storedHyperliquidAddress().isEmpty());
    QVERIFY(s->watchlist().isEmpty());
    QVERIFY(s->caFile().isEmpty());
}

void tst_SettingsDialog::cancelChangesNothing()
{
    {
        auto s = open();
        s->setDemoRttMs(80);
        s->setWatchlist({QStringLiteral("BTC")});
        s->sync();
    }
    auto s = reopen();
    const QByteArray before = fileContents();
    QVERIFY(!before.isEmpty());
    CredentialStore store(m_service);
    SettingsDialog dialog(s.get(), &store);
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    QSignalSpy changed(s.get(), &Settings::changed);
    QSignalSpy saved(&store, &CredentialStore::saveFinished);
    setEverything(dialog, QStringLiteral("/nonexistent/ca.pem"));
    QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiKey"), QString::fromLatin1(apiKey));
    QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiSecret"), QString::fromLatin1(apiSecret));
    QVERIFY(dialog.credentialsChanged());
    cancel(dialog)->click();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!dialog.isSaving()); // no keychain write was started
    QCOMPARE(saved.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(applied.size(), 0);
    QCOMPARE(s->demoRttMs(), 80);
    QCOMPARE(s->mode(), Settings::Mode::Demo);
    s->sync();
    QCOMPARE(fileContents(), before);
}

void tst_SettingsDialog::okWithoutChangesWritesNothing()
{
    auto s = open();
    SettingsDialog dialog(s.get(), nullptr);
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    QSignalSpy changed(s.get(), &Settings::changed);
    ok(dialog)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(changed.size(), 0); // the defaults it showed are not written as changes
    QCOMPARE(applied.size(), 0); // so nobody rebuilds a session for nothing
    s->sync();
    QVERIFY(fileContents().trimmed().isEmpty());
}

void tst_SettingsDialog::addressIsValidatedAsYouType_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("valid");
    QTest::newRow("too short") << QStringLiteral("0x123") << false;
    QTest::newRow("41 hex digits") << QStringLiteral("0x") + QString(41, QLatin1Char('1')) << false;
    QTest::newRow("39 hex digits") << QStringLiteral("0x") + QString(39, QLatin1Char('1')) << false;
    QTest::newRow("not hex") << QStringLiteral("abc") << false;
    QTest::newRow("non-hex digit") << QStringLiteral("0x") + QString(39, QLatin1Char('1')) + QLatin1Char('g')
                                   << false;
    QTest::newRow("no 0x") << QString(40, QLatin1Char('1')) << false;
    QTest::newRow("space inside") << QStringLiteral("0x") + QString(20, QLatin1Char('1')) + QLatin1Char(' ')
            + QString(20, QLatin1Char('1'))
                                  << false;
    QTest::newRow("valid") << validAddress << true;
    QTest::newRow("valid lower case") << validAddress.toLower() << true;
    QTest::newRow("valid with spaces around")
        << QStringLiteral("  ") + validAddress + QStringLiteral(" ") << true;
    QTest::newRow("empty: none") << QString() << true;
}

void tst_SettingsDialog::addressIsValidatedAsYouType()
{
    QFETCH(QString, address);
    QFETCH(bool, valid);
    auto s = open();
    QVERIFY(s->setHyperliquidAddress(QStringLiteral("0x2222222222222222222222222222222222222222")));
    SettingsDialog dialog(s.get(), nullptr);
    auto *edit = child<QLineEdit>(dialog, "hyperliquidAddress");
    auto *error = child<QLabel>(dialog, "addressError");
    edit->clear();
    QTest::keyClicks(edit, address); // typed, key by key
    QCOMPARE(edit->text(), address);
    QCOMPARE(dialog.isInputValid(), valid);
    QCOMPARE(ok(dialog)->isEnabled(), valid);
    QCOMPARE(error->isVisibleTo(&dialog), !valid);
    QCOMPARE(edit->property("invalid").toBool(), !valid);
    if (!valid) {
        QVERIFY2(error->text().contains(QStringLiteral("0x followed by 40 hex digits")),
                 qPrintable(error->text()));
        // Marked: its base colour is not the normal one.
        QVERIFY(edit->palette().color(QPalette::Base) != dialog.palette().color(QPalette::Base));
        // OK does nothing (Enter in a field included).
        QSignalSpy changed(s.get(), &Settings::changed);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(s->storedHyperliquidAddress(), QStringLiteral("0x2222222222222222222222222222222222222222"));
        return;
    }
    QCOMPARE(edit->palette().color(QPalette::Base), dialog.palette().color(QPalette::Base));
    ok(dialog)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(s->storedHyperliquidAddress(), address.trimmed().toLower());
}

void tst_SettingsDialog::customUrlOnlyForCustom()
{
    auto s = open();
    SettingsDialog dialog(s.get(), nullptr);
    auto *network = child<QComboBox>(dialog, "hyperliquidNetwork");
    auto *url = child<QLineEdit>(dialog, "hyperliquidCustomUrl");
    for (Settings::Network n : {Settings::Network::Mainnet, Settings::Network::Testnet,
                                Settings::Network::Custom, Settings::Network::Mainnet}) {
        network->setCurrentIndex(network->findData(int(n)));
        QCOMPARE(url->isEnabled(), n == Settings::Network::Custom);
    }
    // Custom needs a URL.
    network->setCurrentIndex(network->findData(int(Settings::Network::Custom)));
    QVERIFY(!dialog.isInputValid());
    QVERIFY(child<QLabel>(dialog, "customUrlError")->isVisibleTo(&dialog));
    url->setText(QStringLiteral("https://hl.example"));
    QVERIFY(dialog.isInputValid());
    QVERIFY(!child<QLabel>(dialog, "customUrlError")->isVisibleTo(&dialog));
    // A custom URL typed, then another network chosen: the URL is not checked, not stored.
    url->setText(QStringLiteral("not a url"));
    QVERIFY(!dialog.isInputValid());
    network->setCurrentIndex(network->findData(int(Settings::Network::Testnet)));
    QVERIFY(dialog.isInputValid());
    ok(dialog)->click();
    QCOMPARE(s->hyperliquidNetwork(), Settings::Network::Testnet);
    QVERIFY(s->hyperliquidCustomUrl().isEmpty());
}

void tst_SettingsDialog::urlsAreValidated()
{
    auto s = open();
    SettingsDialog dialog(s.get(), nullptr);
    auto *url = child<QLineEdit>(dialog, "bitunixUrl");
    for (const QString &bad : {QStringLiteral("fapi.bitunix.com"), QStringLiteral("ftp://fapi.bitunix.com"),
                               QStringLiteral("https://"), QStringLiteral("https://exa mple.com")}) {
        url->setText(bad);
        QVERIFY2(!dialog.isInputValid(), qPrintable(bad));
        QVERIFY(child<QLabel>(dialog, "bitunixUrlError")->isVisibleTo(&dialog));
    }
    url->clear(); // empty: the default
    QVERIFY(dialog.isInputValid());
    ok(dialog)->click();
    QCOMPARE(s->bitunixUrl(), QUrl(QStringLiteral("https://fapi.bitunix.com")));
    s->sync();
    QVERIFY(fileContents().trimmed().isEmpty()); // the default was not written as a change
}

void tst_SettingsDialog::credentialsNeverReachTheFile()
{
    auto s = open();
    CredentialStore store(m_service);
    SettingsDialog dialog(s.get(), &store);
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    QSignalSpy saved(&store, &CredentialStore::saveFinished);
    // The dialog asked the keychain what it holds when it opened; headless, that fails and says so.
    if (!store.keychainUnavailable()) {
        QSignalSpy failed(&store, &CredentialStore::keychainFailed);
        QVERIFY(failed.wait(30'000));
    }
    QVERIFY2(dialog.credentialsStatusText().contains(QStringLiteral("BITUNIX_API_KEY")),
             qPrintable(dialog.credentialsStatusText()));

    setEverything(dialog, QString());
    QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiKey"), QString::fromLatin1(apiKey));
    QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiSecret"), QString::fromLatin1(apiSecret));
    QVERIFY(dialog.credentialsChanged());
    ok(dialog)->click();
    QVERIFY(dialog.isSaving());
    QVERIFY(!ok(dialog)->isEnabled()); // no second save while the first is pending
    QVERIFY(saved.wait(30'000));
    QCOMPARE(saved.first().at(0).toBool(), false);
    QVERIFY(!dialog.isSaving());

    // The failure is said inline, the dialog stays open to read it, the rest of the settings are saved.
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    const QString status = dialog.credentialsStatusText();
    QVERIFY2(status.contains(QStringLiteral("NOT stored")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("BITUNIX_API_KEY"))
                 && status.contains(QStringLiteral("BITUNIX_API_SECRET")),
             qPrintable(status));
    QVERIFY(!status.contains(QString::fromLatin1(apiSecret)));
    QCOMPARE(cancel(dialog)->text(), QStringLiteral("Close"));
    QCOMPARE(applied.size(), 1);
    QCOMPARE(s->mode(), Settings::Mode::Live);
    QVERIFY(ok(dialog)->isEnabled()); // one may try again

    s->sync();
    const QByteArray contents = fileContents();
    QVERIFY(!contents.isEmpty());
    QVERIFY2(!contents.contains(apiKey), contents.constData());
    QVERIFY2(!contents.contains(apiSecret), contents.constData());
    QVERIFY(!contents.toLower().contains("secret"));
    QVERIFY(!contents.toLower().contains("apikey"));

    // Closing now leaves things as they are.
    QSignalSpy changed(s.get(), &Settings::changed);
    cancel(dialog)->click();
    QCOMPARE(changed.size(), 0);
    s->sync();
    QCOMPARE(fileContents(), contents);
}

void tst_SettingsDialog::credentialsNeedBoth()
{
    auto s = open();
    CredentialStore store(m_service);
    SettingsDialog dialog(s.get(), &store);
    auto *key = child<QLineEdit>(dialog, "bitunixApiKey");
    auto *secret = child<QLineEdit>(dialog, "bitunixApiSecret");
    auto *error = child<QLabel>(dialog, "credentialsPairError");
    QTest::keyClicks(key, QStringLiteral("k"));
    QVERIFY(!dialog.isInputValid());
    QVERIFY(error->isVisibleTo(&dialog));
    QTest::keyClicks(secret, QStringLiteral("s"));
    QVERIFY(dialog.isInputValid());
    QVERIFY(!error->isVisibleTo(&dialog));
    key->clear();
    QVERIFY(!dialog.isInputValid());
    secret->clear();
    QVERIFY(dialog.isInputValid()); // nothing typed: nothing to save
    QVERIFY(!dialog.credentialsChanged());
}

void tst_SettingsDialog::closedWhileSaving()
{
    auto s = open();
    CredentialStore store(m_service);
    SettingsDialog dialog(s.get(), &store);
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    QSignalSpy saved(&store, &CredentialStore::saveFinished);
    child<QSpinBox>(dialog, "demoRtt")->setValue(75);
    QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiKey"), QString::fromLatin1(apiKey));
    QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiSecret"), QString::fromLatin1(apiSecret));
    ok(dialog)->click();
    QVERIFY(dialog.isSaving());
    dialog.reject(); // the window closed, or Escape
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(applied.size(), 1); // the settings OK wrote are in effect: the owner must know
    QCOMPARE(s->demoRttMs(), 75);
    QVERIFY(saved.wait(30'000));
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // the failed save reopens nothing
    QCOMPARE(applied.size(), 1);
    s->sync();
    QVERIFY(!fileContents().contains(apiKey));
    QVERIFY(!fileContents().contains(apiSecret));
}

void tst_SettingsDialog::environmentCredentialsTakePrecedence()
{
    qputenv("BITUNIX_API_KEY", apiKey);
    qputenv("BITUNIX_API_SECRET", apiSecret);
    qputenv("HYPERLIQUID_ADDRESS", validAddress.toLatin1());
    auto s = open();
    CredentialStore store(m_service);
    SettingsDialog dialog(s.get(), &store);
    // Said, and the environment's values are neither shown nor copied into the fields.
    QVERIFY(child<QLabel>(dialog, "credentialsNote")->text().contains(QStringLiteral("are set")));
    QVERIFY(child<QLineEdit>(dialog, "bitunixApiKey")->text().isEmpty());
    QVERIFY(child<QLineEdit>(dialog, "bitunixApiSecret")->text().isEmpty());
    QVERIFY(!dialog.credentialsChanged());
    QVERIFY(child<QLabel>(dialog, "addressNote")->isVisibleTo(&dialog));
    QVERIFY(child<QLineEdit>(dialog, "hyperliquidAddress")->text().isEmpty()); // the stored one: none
    ok(dialog)->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    s->sync();
    QVERIFY(!fileContents().contains(validAddress.toLower().toLatin1()));
}

void tst_SettingsDialog::render_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("state");
    for (bool dark : {false, true}) {
        const char *palette = dark ? "dark" : "light";
        QTest::addRow("%s invalid address", palette) << dark << QStringLiteral("invalid");
        QTest::addRow("%s save failed", palette) << dark << QStringLiteral("save-failed");
        QTest::addRow("%s environment", palette) << dark << QStringLiteral("environment");
    }
}

void tst_SettingsDialog::render()
{
    QFETCH(bool, dark);
    QFETCH(QString, state);
    const QPalette palette = dark ? darkPalette() : QApplication::style()->standardPalette();
    QApplication::setPalette(palette);
    if (state == QLatin1String("environment")) {
        qputenv("BITUNIX_API_KEY", apiKey);
        qputenv("BITUNIX_API_SECRET", apiSecret);
        qputenv("HYPERLIQUID_ADDRESS", validAddress.toLatin1());
    }
    auto s = open();
    CredentialStore store(m_service);
    SettingsDialog dialog(s.get(), &store);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    if (state == QLatin1String("invalid")) {
        if (!store.keychainUnavailable()) {
            QSignalSpy failed(&store, &CredentialStore::keychainFailed);
            QVERIFY(failed.wait(30'000));
        }
        QVERIFY(dialog.credentialsStatusText().contains(QStringLiteral("No keychain")));
        child<QLineEdit>(dialog, "hyperliquidAddress")->setText(QStringLiteral("0x123"));
        child<QLineEdit>(dialog, "bitunixApiKey")->setText(QString::fromLatin1(apiKey));
        child<QLineEdit>(dialog, "bitunixApiSecret")->setText(QString::fromLatin1(apiSecret));
        child<QLineEdit>(dialog, "bitunixUrl")->setText(QStringLiteral("fapi.bitunix.com"));
        QVERIFY(!dialog.isInputValid());
    } else if (state == QLatin1String("save-failed")) {
        child<QComboBox>(dialog, "mode")->setCurrentIndex(1);
        QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiKey"), QString::fromLatin1(apiKey));
        QTest::keyClicks(child<QLineEdit>(dialog, "bitunixApiSecret"), QString::fromLatin1(apiSecret));
        QSignalSpy saved(&store, &CredentialStore::saveFinished);
        ok(dialog)->click();
        QVERIFY(saved.wait(30'000));
        QVERIFY(dialog.credentialsStatusText().contains(QStringLiteral("NOT stored")));
    }
    QCoreApplication::sendPostedEvents();
    const QImage image = dialog.grab().toImage();
    QVERIFY(!image.isNull());
    // Everything fits: the dialog is no smaller than its layout wants, and no wrapped message is squeezed.
    QVERIFY2(dialog.width() >= dialog.minimumSizeHint().width(),
             qPrintable(QStringLiteral("%1 < %2").arg(dialog.width()).arg(dialog.minimumSizeHint().width())));
    QVERIFY(dialog.height() >= dialog.minimumSizeHint().height());
    for (const QLabel *label : dialog.findChildren<QLabel *>()) {
        if (label->isVisible() && label->wordWrap()) {
            QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                     qPrintable(label->objectName() + QStringLiteral(": ") + label->text()));
        }
        if (label->isVisible() && !label->wordWrap()) {
            QVERIFY2(label->width() >= label->sizeHint().width(),
                     qPrintable(label->objectName() + QStringLiteral(": ") + label->text()));
        }
        QVERIFY2(!label->text().contains(QLatin1Char('&')) || label->buddy(), qPrintable(label->text()));
    }
    // Error texts are legible on the window in both palettes.
    const QColor window = palette.color(QPalette::Window);
    for (const char *name : {"addressError", "credentialsStatus", "bitunixUrlError"}) {
        const auto *label = child<QLabel>(dialog, name);
        if (label->isVisible() && state != QLatin1String("environment")) {
            const QColor color = label->palette().color(QPalette::WindowText);
            QVERIFY2(qAbs(color.lightness() - window.lightness()) > 80, name);
        }
    }
    const QString dir = qEnvironmentVariable("EXDASH_GRAB_DIR");
    if (!dir.isEmpty()) {
        QVERIFY(image.save(QDir(dir).filePath(
            QStringLiteral("settingsdialog-%1-%2.png").arg(dark ? "dark" : "light", state))));
    }
}

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
