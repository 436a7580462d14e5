#include "settingsdialog.h"

#include "windowplacement.h"

#include "config/credentialstore.h"
#include "config/settings.h"
#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "refresh/pollplan.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QScreen>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

const QString envNote =
    QStringLiteral("BITUNIX_API_KEY and BITUNIX_API_SECRET, when set, take precedence over "
                   "these.");

QColor errorColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x8a, 0x80)
                                                             : QColor(0xb3, 0x26, 0x1e);
}

// wrap: for the long notes, which go under a form, not in it (a form lays word-wrapped rows out loosely).
QLabel *makeMessage(QWidget *parent, const QString &objectName, bool wrap = false)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(wrap);
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred); // as wide as the fields
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setVisible(false);
    return label;
}

// Only the roles set here are the widget's own; the others follow the application's palette.
void setErrorPalette(QLabel *label, bool error)
{
    QPalette palette;
    if (error)
        palette.setColor(QPalette::WindowText, errorColor(label->window()->palette()));
    label->setPalette(palette);
}

// A message row of a form, shown or hidden with its spacing.
void showRow(QLabel *label, bool visible)
{
    if (label->parentWidget()) {
        for (QFormLayout *form : label->parentWidget()->findChildren<QFormLayout *>()) {
            if (form->indexOf(label) >= 0) {
                form->setRowVisible(label, visible);
                return;
            }
        }
    }
    label->setVisible(visible);
}

QString seconds(int ms)
{
    return QLocale().toString(ms / 1000.0, 'g', 3);
}

// "" is valid (the default); otherwise an http(s) URL with a host.
bool isValidOrigin(const QString &text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
        && !url.host().isEmpty();
}

QStringList splitWatchlist(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

} // namespace

SettingsDialog::SettingsDialog(Settings *settings, CredentialStore *credentials, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_credentials(credentials)
{
    setWindowTitle(tr("exdash settings"));
    buildUi();
    load();
    if (m_credentials) {
        connect(m_credentials, &CredentialStore::bitunixLoaded, this, &SettingsDialog::onCredentialsLoaded);
        connect(m_credentials, &CredentialStore::saveFinished, this, &SettingsDialog::onSaveFinished);
        connect(m_credentials, &CredentialStore::keychainFailed, this, [this] {
            if (!m_saving)
                showCredentialsStatus(
                    tr("No keychain service is available here: a key and secret entered here "
                       "cannot be stored. Set BITUNIX_API_KEY and BITUNIX_API_SECRET in the "
                       "environment instead."),
                    true);
        });
        if (m_credentials->keychainUnavailable()) {
            showCredentialsStatus(tr("No keychain service is available here: a key and secret entered here "
                                     "cannot be stored. Set BITUNIX_API_KEY and BITUNIX_API_SECRET in the "
                                     "environment instead."),
                                  true);
        }
        m_credentials->loadBitunix(); // shows what the keychain holds, if anything
    } else {
        m_apiKey->setEnabled(false);
        m_apiSecret->setEnabled(false);
    }
    validate();
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::buildUi()
{
    auto *outer = new QVBoxLayout(this);

    // General
    auto *general = new QGroupBox(tr("General"), this);
    auto *generalForm = new QFormLayout(general);
    m_mode = new QComboBox(general);
    m_mode->setObjectName(QStringLiteral("mode"));
    m_mode->addItem(tr("Demo (simulated exchanges, no keys)"), int(Settings::Mode::Demo));
    m_mode->addItem(tr("Live"), int(Settings::Mode::Live));
    generalForm->addRow(tr("&Mode:"), m_mode);
    m_watchlist = new QLineEdit(general);
    m_watchlist->setObjectName(QStringLiteral("watchlist"));
    m_watchlist->setPlaceholderText(tr("every market"));
    m_watchlist->setToolTip(tr("Base assets, separated by commas or spaces: BTC, ETH, SOL"));
    generalForm->addRow(tr("&Watchlist:"), m_watchlist);
    m_share = new QSpinBox(general);
    m_share->setObjectName(QStringLiteral("rateShare"));
    m_share->setRange(PollPlan::minSharePercent, PollPlan::maxSharePercent);
    m_share->setSingleStep(5);
    m_share->setSuffix(QStringLiteral(" %"));
    m_share->setToolTip(
        tr("The exchanges' rate limits are per IP: whatever exdash uses, a trading bot on the "
           "same machine cannot. The refresh cadences follow from this share."));
    generalForm->addRow(tr("&Share of each exchange's rate limit:"), m_share);
    m_sharePlan = new QLabel(general);
    m_sharePlan->setObjectName(QStringLiteral("sharePlan"));
    m_sharePlan->setWordWrap(true);
    generalForm->addRow(QString(), m_sharePlan);
    connect(m_share, &QSpinBox::valueChanged, this, &SettingsDialog::showSharePlan);
    m_demoRtt = new QSpinBox(general);
    m_demoRtt->setObjectName(QStringLiteral("demoRtt"));
    m_demoRtt->setRange(0, 2000);
    m_demoRtt->setSingleStep(10);
    m_demoRtt->setSuffix(QStringLiteral(" ms"));
    m_demoRtt->setToolTip(tr("Round-trip time of the emulated network link to the simulated exchanges"));
    generalForm->addRow(tr("Demo &RTT:"), m_demoRtt);
    outer->addWidget(general);

    // Bitunix
    auto *bitunix = new QGroupBox(tr("Bitunix (live)"), this);
    auto *bitunixLayout = new QVBoxLayout(bitunix);
    auto *bitunixForm = new QFormLayout;
    bitunixLayout->addLayout(bitunixForm);
    m_bitunixUrl = new QLineEdit(bitunix);
    m_bitunixUrl->setObjectName(QStringLiteral("bitunixUrl"));
    m_bitunixUrl->setPlaceholderText(QString::fromLatin1(BitunixClient::defaultUrl));
    bitunixForm->addRow(tr("&URL:"), m_bitunixUrl);
    m_bitunixUrlError = makeMessage(bitunix, QStringLiteral("bitunixUrlError"));
    bitunixForm->addRow(QString(), m_bitunixUrlError);
    m_apiKey = new QLineEdit(bitunix);
    m_apiKey->setObjectName(QStringLiteral("bitunixApiKey"));
    m_apiKey->setPlaceholderText(tr("none"));
    bitunixForm->addRow(tr("API &key:"), m_apiKey);
    m_apiSecret = new QLineEdit(bitunix);
    m_apiSecret->setObjectName(QStringLiteral("bitunixApiSecret"));
    m_apiSecret->setEchoMode(QLineEdit::Password);
    m_apiSecret->setPlaceholderText(tr("none"));
    bitunixForm->addRow(tr("API &secret:"), m_apiSecret);
    m_pairError = makeMessage(bitunix, QStringLiteral("credentialsPairError"));
    bitunixForm->addRow(QString(), m_pairError);
    m_credentialsNote = new QLabel(bitunix);
    m_credentialsNote->setObjectName(QStringLiteral("credentialsNote"));
    m_credentialsNote->setWordWrap(true);
    m_credentialsNote->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    // The long notes under the form, full width.
    bitunixLayout->addWidget(m_credentialsNote);
    m_credentialsStatus = makeMessage(bitunix, QStringLiteral("credentialsStatus"), true);
    bitunixLayout->addWidget(m_credentialsStatus);
    outer->addWidget(bitunix);

    // Hyperliquid
    auto *hyperliquid = new QGroupBox(tr("Hyperliquid (live)"), this);
    auto *hyperliquidLayout = new QVBoxLayout(hyperliquid);
    auto *hyperliquidForm = new QFormLayout;
    hyperliquidLayout->addLayout(hyperliquidForm);
    m_network = new QComboBox(hyperliquid);
    m_network->setObjectName(QStringLiteral("hyperliquidNetwork"));
    m_network->addItem(tr("Mainnet"), int(Settings::Network::Mainnet));
    m_network->addItem(tr("Testnet"), int(Settings::Network::Testnet));
    m_network->addItem(tr("Custom"), int(Settings::Network::Custom));
    m_customUrl = new QLineEdit(hyperliquid);
    m_customUrl->setObjectName(QStringLiteral("hyperliquidCustomUrl"));
    m_customUrl->setPlaceholderText(QStringLiteral("https://host:port"));
    auto *network = new QHBoxLayout;
    network->addWidget(m_network);
    network->addWidget(m_customUrl, 1);
    auto *networkLabel = new QLabel(tr("&Network:"), hyperliquid);
    networkLabel->setBuddy(m_network);
    hyperliquidForm->addRow(networkLabel, network);
    m_customUrlError = makeMessage(hyperliquid, QStringLiteral("customUrlError"));
    hyperliquidForm->addRow(QString(), m_customUrlError);
    m_address = new QLineEdit(hyperliquid);
    m_address->setObjectName(QStringLiteral("hyperliquidAddress"));
    m_address->setPlaceholderText(tr("none (0x followed by 40 hex digits)"));
    m_address->setMaxLength(60);
    hyperliquidForm->addRow(tr("&Address:"), m_address);
    m_addressError = makeMessage(hyperliquid, QStringLiteral("addressError"));
    hyperliquidForm->addRow(QString(), m_addressError);
    m_addressNote = makeMessage(hyperliquid, QStringLiteral("addressNote"), true);
    hyperliquidLayout->addWidget(m_addressNote);
    outer->addWidget(hyperliquid);

    // TLS
    auto *tls = new QGroupBox(tr("TLS (live)"), this);
    auto *tlsForm = new QFormLayout(tls);
    m_caFile = new QLineEdit(tls);
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("system CAs only"));
    m_caFile->setToolTip(tr("Extra CA certificates (PEM) trusted for the live origins, e.g. a corporate CA"));
    auto *browse = new QPushButton(tr("&Browse…"), tls);
    browse->setObjectName(QStringLiteral("caBrowse"));
    browse->setAutoDefault(false);
    auto *ca = new QHBoxLayout;
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    auto *caLabel = new QLabel(tr("&CA file:"), tls);
    caLabel->setBuddy(m_caFile);
    tlsForm->addRow(caLabel, ca);
    m_caFileError = makeMessage(tls, QStringLiteral("caFileError"));
    tlsForm->addRow(QString(), m_caFileError);
    outer->addWidget(tls);

    for (QLabel *message : {m_bitunixUrlError, m_pairError, m_credentialsStatus, m_customUrlError,
                            m_addressError, m_addressNote, m_caFileError})
        showRow(message, false);

    outer->addStretch(1); // a taller dialog leaves the space at the bottom, not between the lines
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("buttons"));
    outer->addWidget(m_buttons);

    for (QFormLayout *form : {generalForm, bitunixForm, hyperliquidForm, tlsForm})
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow); // text fields, not spin boxes

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseCaFile);
    connect(m_network, &QComboBox::currentIndexChanged, this, &SettingsDialog::validate);
    for (QLineEdit *edit : {m_bitunixUrl, m_customUrl, m_address, m_caFile})
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    for (QLineEdit *edit : {m_apiKey, m_apiSecret}) {
        connect(edit, &QLineEdit::textEdited, this, [this] { m_credentialsEdited = true; });
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    }
}

void SettingsDialog::load()
{
    const Settings &s = *m_settings;
    m_mode->setCurrentIndex(m_mode->findData(int(s.mode())));
    m_watchlist->setText(s.watchlist().join(QStringLiteral(", ")));
    m_share->setValue(s.sharePercent());
    showSharePlan();
    m_demoRtt->setValue(s.demoRttMs());
    m_bitunixUrl->setText(s.bitunixUrl().toString());
    m_network->setCurrentIndex(m_network->findData(int(s.hyperliquidNetwork())));
    m_customUrl->setText(s.hyperliquidCustomUrl().toString());
    m_address->setText(s.storedHyperliquidAddress());
    m_caFile->setText(s.caFile());

    const bool environment = CredentialStore::fromEnvironment().isComplete();
    m_credentialsNote->setText(
        environment
            ? tr("BITUNIX_API_KEY and BITUNIX_API_SECRET are set: exdash uses them, not these.")
            : envNote + QLatin1Char(' ') + tr("Stored in the system keychain, never in the settings file."));
    const QString envAddress = qEnvironmentVariable("HYPERLIQUID_ADDRESS").trimmed();
    if (HyperliquidClient::isValidAddress(envAddress)) {
        m_addressNote->setText(
            tr("HYPERLIQUID_ADDRESS is set (%1): exdash uses it, not this one.").arg(envAddress.toLower()));
        showRow(m_addressNote, true);
    }
}

void SettingsDialog::onCredentialsLoaded(const BitunixCredentials &credentials)
{
    // Only what the keychain holds (the environment's are not ours to show or to copy), and never over what
    // the user has typed meanwhile.
    if (credentials.source != QLatin1String("keychain") || m_credentialsEdited || m_saving)
        return;
    m_loadedKey = QString::fromUtf8(credentials.apiKey);
    m_loadedSecret = QString::fromUtf8(credentials.secret);
    m_apiKey->setText(m_loadedKey);
    m_apiSecret->setText(m_loadedSecret);
}

bool SettingsDialog::credentialsChanged() const
{
    return m_credentials
        && (m_apiKey->text().trimmed() != m_loadedKey.trimmed()
            || m_apiSecret->text().trimmed() != m_loadedSecret.trimmed());
}

void SettingsDialog::markInvalid(QLineEdit *edit, QLabel *error, const QString &message)
{
    const bool invalid = !message.isEmpty();
    edit->setProperty("invalid", invalid);
    QPalette palette;
    if (invalid) {
        const QPalette current = edit->window()->palette();
        const QColor base = current.color(QPalette::Base);
        const QColor red = errorColor(current);
        palette.setColor(QPalette::Base,
                         QColor::fromRgbF(base.redF() * 0.75 + red.redF() * 0.25,
                                          base.greenF() * 0.75 + red.greenF() * 0.25,
                                          base.blueF() * 0.75 + red.blueF() * 0.25));
    }
    edit->setPalette(palette);
    error->setText(message);
    setErrorPalette(error, true);
    showRow(error, invalid);
}

void SettingsDialog::validate()
{
    const bool custom = m_network->currentData().toInt() == int(Settings::Network::Custom);
    m_customUrl->setEnabled(custom);

    const QString bitunixUrl = m_bitunixUrl->text().trimmed();
    const QString bitunixError = bitunixUrl.isEmpty() || isValidOrigin(bitunixUrl)
        ? QString()
        : tr("An https:// URL, such as %1").arg(QString::fromLatin1(BitunixClient::defaultUrl));
    markInvalid(m_bitunixUrl, m_bitunixUrlError, bitunixError);

    const QString customUrl = m_customUrl->text().trimmed();
    QString customError;
    if (custom && customUrl.isEmpty())
        customError = tr("Enter the URL of the custom network");
    else if (custom && !isValidOrigin(customUrl))
        customError = tr("An https:// URL, such as https://host:port");
    markInvalid(m_customUrl, m_customUrlError, customError);

    const QString address = m_address->text().trimmed();
    QString addressError;
    if (!address.isEmpty() && !HyperliquidClient::isValidAddress(address)) {
        static const QRegularExpression hex(QStringLiteral("^0x[0-9a-fA-F]*$"));
        addressError = tr("0x followed by 40 hex digits");
        if (hex.match(address).hasMatch())
            addressError += tr(" (%1 typed)").arg(address.size() - 2);
        else if (address.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            addressError += tr(" (0-9, a-f only)");
    }
    markInvalid(m_address, m_addressError, addressError);

    const QString caFile = m_caFile->text().trimmed();
    m_caFileError->setText(tr("No such file"));
    setErrorPalette(m_caFileError, true);
    showRow(m_caFileError,
            !caFile.isEmpty() && !QFileInfo(caFile).isFile()); // a warning: it may be mounted later

    const bool keyEmpty = m_apiKey->text().trimmed().isEmpty();
    const bool secretEmpty = m_apiSecret->text().trimmed().isEmpty();
    const bool pairError = credentialsChanged() && keyEmpty != secretEmpty;
    m_pairError->setText(keyEmpty ? tr("Enter the API key too") : tr("Enter the API secret too"));
    setErrorPalette(m_pairError, true);
    showRow(m_pairError, pairError);

    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_saving && bitunixError.isEmpty() && customError.isEmpty() && addressError.isEmpty()
                     && !pairError);
    fitHeight();
}

bool SettingsDialog::isInputValid() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

QString SettingsDialog::credentialsStatusText() const
{
    return m_credentialsStatus->isVisibleTo(this) ? m_credentialsStatus->text() : QString();
}

void SettingsDialog::showCredentialsStatus(const QString &text, bool error)
{
    m_credentialsStatus->setText(text);
    setErrorPalette(m_credentialsStatus, error);
    showRow(m_credentialsStatus, !text.isEmpty());
    fitHeight();
}

void SettingsDialog::showSharePlan()
{
    const int share = m_share->value();
    const PollPlan::Limit hyperliquid = PollPlan::share({HyperliquidClient::weightPerMinute, 60'000}, share);
    const PollPlan::Limit bitunix =
        PollPlan::share({BitunixClient::requestsPerSecondPerEndpoint, 1'000}, share);
    m_sharePlan->setText(
        tr("Prices every %1 s; marks, funding and open interest every %2 s; positions and account every %3 "
           "s. "
           "Hyperliquid: at most %4 of its %5 weight/min. Bitunix: at most %6 calls per %7 s per endpoint.")
            .arg(seconds(PollPlan::cadenceMs(DataKind::Tickers, share)),
                 seconds(PollPlan::cadenceMs(DataKind::MarketStats, share)),
                 seconds(PollPlan::cadenceMs(DataKind::Positions, share)))
            .arg(hyperliquid.capacity)
            .arg(HyperliquidClient::weightPerMinute)
            .arg(bitunix.capacity)
            .arg(seconds(int(bitunix.windowMs))));
}

void SettingsDialog::fitHeight()
{
    // A top-level layout takes no account of word-wrapped labels in its minimum size: without this, a message
    // that appears (or a narrower dialog) squeezes them into each other.
    QLayout *outer = layout();
    outer->activate();
    const int needed =
        outer->hasHeightForWidth() ? outer->totalHeightForWidth(width()) : outer->totalSizeHint().height();
    setMinimumHeight(needed);
    if (height() < needed)
        resize(width(), needed);
    // Grown by a message that came after it was placed: still on the screen.
    if (isVisible())
        WindowPlacement::fitOnScreen(this);
}

void SettingsDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (event->oldSize().width() != event->size().width())
        fitHeight();
}

void SettingsDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeight();
    // On a short screen (a 1280x720 laptop), wider: the notes wrap into fewer lines.
    const QRect available = screen()->availableGeometry();
    const QMargins frame = WindowPlacement::knownFrame(this).value_or(WindowPlacement::assumedFrame);
    const int roomHeight = available.height() - frame.top() - frame.bottom();
    const int roomWidth = available.width() * 3 / 4;
    while (minimumHeight() > roomHeight && width() < roomWidth) {
        const int before = width();
        resize(std::min(roomWidth, width() + fontMetrics().averageCharWidth() * 10), height());
        if (width() == before) // held by a maximum, or the platform
            break;
        fitHeight();
    }
    // The size hint of a word-wrapped label assumes it narrow, hence tall: start at the height it needs,
    // then keep it on the screen (Qt placed it, centred on its parent, before it knew that height).
    resize(width(), minimumHeight());
    WindowPlacement::fitOnScreen(this);
}

void SettingsDialog::browseCaFile()
{
    const QString current = m_caFile->text().trimmed();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("CA certificates"), current.isEmpty() ? QString() : QFileInfo(current).absolutePath(),
        tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    if (!path.isEmpty())
        m_caFile->setText(path);
}

bool SettingsDialog::writeSettings()
{
    int changes = 0;
    const auto connection = connect(m_settings, &Settings::changed, this, [&changes] { ++changes; });
    Settings &s = *m_settings;
    s.setMode(Settings::Mode(m_mode->currentData().toInt()));
    s.setWatchlist(splitWatchlist(m_watchlist->text()));
    s.setSharePercent(m_share->value());
    s.setDemoRttMs(m_demoRtt->value());
    const QString bitunixUrl = m_bitunixUrl->text().trimmed();
    s.setBitunixUrl(QUrl(bitunixUrl.isEmpty() ? QString::fromLatin1(BitunixClient::defaultUrl) : bitunixUrl));
    const auto network = Settings::Network(m_network->currentData().toInt());
    s.setHyperliquidNetwork(network);
    if (network == Settings::Network::Custom)
        s.setHyperliquidCustomUrl(QUrl(m_customUrl->text().trimmed()));
    s.setHyperliquidAddress(m_address->text().trimmed());
    s.setCaFile(m_caFile->text().trimmed());
    disconnect(connection);
    return changes > 0;
}

void SettingsDialog::accept()
{
    validate();
    if (!isInputValid())
        return;
    m_settingsWritten = writeSettings() || m_settingsWritten;
    if (!credentialsChanged()) {
        if (m_settingsWritten)
            emit applied();
        QDialog::accept();
        return;
    }
    const QByteArray key = m_apiKey->text().trimmed().toUtf8();
    const QByteArray secret = m_apiSecret->text().trimmed().toUtf8();
    if (key.isEmpty() && secret.isEmpty()) {
        m_credentials->clearBitunix();
        emit applied();
        QDialog::accept();
        return;
    }
    m_saving = true;
    showCredentialsStatus(tr("Saving the key and secret to the keychain…"), false);
    validate(); // OK disabled until the keychain answers
    m_credentials->saveBitunix(key, secret);
}

void SettingsDialog::reject()
{
    if (m_saving) {
        // Closed while the keychain is busy: the settings are written already, the save goes on.
        m_closedWhileSaving = true;
        if (m_settingsWritten)
            emit applied();
        m_settingsWritten = false;
    }
    QDialog::reject();
}

void SettingsDialog::onSaveFinished(bool ok, const QString &error)
{
    if (!m_saving)
        return; // someone else's save
    m_saving = false;
    if (m_closedWhileSaving) {
        if (ok)
            emit applied(); // the new key and secret are there now
        return;
    }
    if (ok) {
        m_loadedKey = m_apiKey->text();
        m_loadedSecret = m_apiSecret->text();
        showCredentialsStatus(QString(), false);
        emit applied();
        QDialog::accept();
        return;
    }
    QString message = tr("The API key and secret were NOT stored (keychain: %1). Set BITUNIX_API_KEY and "
                         "BITUNIX_API_SECRET in the environment instead.")
                          .arg(error.isEmpty() ? tr("no keychain available") : error);
    if (m_settingsWritten)
        message += QLatin1Char(' ') + tr("The other settings were saved.");
    showCredentialsStatus(message, true);
    if (m_settingsWritten) {
        // The rest is saved: say so, and Cancel would no longer cancel anything.
        emit applied();
        m_settingsWritten = false;
        m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
    }
    validate();
}
