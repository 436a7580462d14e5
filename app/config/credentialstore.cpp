#include "credentialstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <qt6keychain/keychain.h>

Q_LOGGING_CATEGORY(lcCredentials, "exdash.credentials", QtWarningMsg)

namespace {

const QString bitunixEntry = QStringLiteral("bitunix");

} // namespace

CredentialStore::CredentialStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{ }

BitunixCredentials CredentialStore::fromEnvironment()
{
    BitunixCredentials credentials;
    credentials.apiKey = qgetenv("BITUNIX_API_KEY").trimmed();
    credentials.secret = qgetenv("BITUNIX_API_SECRET").trimmed();
    if (credentials.isComplete())
        credentials.source = QStringLiteral("environment");
    else
        credentials = {};
    return credentials;
}

void CredentialStore::noteKeychainFailure(const QString &reason)
{
    if (!m_keychainError.isEmpty())
        return;
    m_keychainError = reason;
    qCWarning(lcCredentials).noquote() << "no keychain service available (" + reason
            + "): using BITUNIX_API_KEY and BITUNIX_API_SECRET only";
    emit keychainFailed(reason);
}

void CredentialStore::loadBitunix()
{
    const BitunixCredentials environment = fromEnvironment();
    if (environment.isComplete()) {
        emit bitunixLoaded(environment);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(bitunixEntry);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        BitunixCredentials credentials;
        if (job->error() == QKeychain::NoError) {
            const QJsonObject stored = QJsonDocument::fromJson(job->binaryData()).object();
            credentials.apiKey = stored.value(QStringLiteral("apiKey")).toString().toUtf8();
            credentials.secret = stored.value(QStringLiteral("secret")).toString().toUtf8();
            if (credentials.isComplete())
                credentials.source = QStringLiteral("keychain");
            else
                credentials = {};
        } else if (job->error() != QKeychain::EntryNotFound) {
            noteKeychainFailure(job->errorString());
        }
        emit bitunixLoaded(credentials);
    });
    job->start();
}

void CredentialStore::saveBitunix(const QByteArray &apiKey, const QByteArray &secret)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(bitunixEntry);
    const QJsonObject entry {{QStringLiteral("apiKey"), QString::fromUtf8(apiKey.trimmed())},
                             {QStringLiteral("secret"), QString::fromUtf8(secret.trimmed())}};
    job->setBinaryData(QJsonDocument(entry).toJson(QJsonDocument::Compact));
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        const bool ok = job->error() == QKeychain::NoError;
        if (!ok)
            noteKeychainFailure(job->errorString());
        emit saveFinished(ok, ok ? QString() : job->errorString());
    });
    job->start();
}

void CredentialStore::clearBitunix()
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(bitunixEntry);
    job->start();
}
