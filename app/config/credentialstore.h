#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

struct BitunixCredentials
{
    QByteArray apiKey;
    QByteArray secret;
    QString source; // "environment", "keychain", or empty when there are none

    bool isComplete() const { return !apiKey.isEmpty() && !secret.isEmpty(); }
};

// The Bitunix key and secret: BITUNIX_API_KEY / BITUNIX_API_SECRET take precedence, else the OS keychain
// (qt6keychain). Without a keychain service (headless machines) it says so once and goes on with the
// environment. Secrets are never logged and never touch QSettings.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(const QString &service = QStringLiteral("exdash"), QObject *parent = nullptr);

    static BitunixCredentials fromEnvironment();

    // Emits bitunixLoaded once done (synchronously when the environment has both values).
    void loadBitunix();
    // Emits saveFinished(ok, error).
    void saveBitunix(const QByteArray &apiKey, const QByteArray &secret);
    void clearBitunix();

    bool keychainUnavailable() const { return !m_keychainError.isEmpty(); }
    QString keychainError() const { return m_keychainError; }

signals:
    void bitunixLoaded(const BitunixCredentials &credentials);
    void saveFinished(bool ok, const QString &error);
    void keychainFailed(const QString &reason); // once per store

private:
    void noteKeychainFailure(const QString &reason);

    QString m_service;
    QString m_keychainError;
};
