#pragma once

#include <QDialog>

class CredentialStore;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class Settings;
struct BitunixCredentials;

// Edits the Settings and the Bitunix key and secret. The widgets are the working copy: nothing is written
// until OK, and then only through the Settings setters (Cancel changes nothing). The key and secret go to the
// keychain (CredentialStore::saveBitunix), only when they were changed, never anywhere else.
//
// OK: writes the settings, then, if the key or secret changed, saves them and waits for the keychain's
// answer. On success the dialog closes; on failure it stays open with the reason inline (the settings are
// written by then, so Cancel becomes Close). applied() is emitted once something was written (settings
// changed or credentials stored), so the owner can rebuild its session.
//
// Widgets have object names for tests: mode, bitunixUrl, hyperliquidNetwork, hyperliquidCustomUrl, caFile,
// caBrowse, caFileError, bitunixUrlError, customUrlError, bitunixApiKey, bitunixApiSecret, credentialsNote,
// credentialsStatus, credentialsPairError, hyperliquidAddress, addressError, addressNote, watchlist,
// rateShare, sharePlan, demoRtt, buttons.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(Settings *settings, CredentialStore *credentials, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    bool isInputValid() const; // OK is enabled
    bool credentialsChanged() const;
    bool isSaving() const { return m_saving; } // waiting for the keychain
    QString credentialsStatusText() const; // the inline keychain message, empty when hidden

    void accept() override;
    void reject() override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

signals:
    void applied();

private:
    void buildUi();
    void load();
    void validate();
    bool writeSettings(); // true if any setting changed
    void onCredentialsLoaded(const BitunixCredentials &credentials);
    void onSaveFinished(bool ok, const QString &error);
    void showCredentialsStatus(const QString &text, bool error);
    void browseCaFile();
    void fitHeight();
    void showSharePlan();
    static void markInvalid(QLineEdit *edit, QLabel *error, const QString &message);

    Settings *m_settings;
    CredentialStore *m_credentials;

    QComboBox *m_mode = nullptr;
    QLineEdit *m_bitunixUrl = nullptr;
    QComboBox *m_network = nullptr;
    QLineEdit *m_customUrl = nullptr;
    QLabel *m_bitunixUrlError = nullptr;
    QLabel *m_customUrlError = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLabel *m_caFileError = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QLineEdit *m_apiSecret = nullptr;
    QLabel *m_credentialsNote = nullptr;
    QLabel *m_credentialsStatus = nullptr;
    QLabel *m_pairError = nullptr;
    QLineEdit *m_address = nullptr;
    QLabel *m_addressError = nullptr;
    QLabel *m_addressNote = nullptr;
    QLineEdit *m_watchlist = nullptr;
    QSpinBox *m_share = nullptr;
    QLabel *m_sharePlan = nullptr;
    QSpinBox *m_demoRtt = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    // What the key and secret fields held when loaded (from the keychain), to tell a change.
    QString m_loadedKey;
    QString m_loadedSecret;
    bool m_credentialsEdited = false; // the user typed in either field
    bool m_saving = false;
    bool m_closedWhileSaving = false;
    bool m_settingsWritten = false;
};
