#include "exsimprocess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>

ExsimProcess::ExsimProcess(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel); // its warnings reach the terminal
}

ExsimProcess::~ExsimProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000))
        m_process.kill();
    m_process.waitForFinished(1000);
}

bool ExsimProcess::start(const QString &binary, const DemoConfig &config, QString *error)
{
    const auto failed = [&](const QString &message) {
        if (error)
            *error = QStringLiteral("exsim (%1): %2").arg(binary, message);
        m_process.kill();
        m_process.waitForFinished(1000);
        return false;
    };
    // --commands: exsim reads "rtt MS" from its stdin, and quits when it ends, with this process, however
    // that ends.
    QStringList arguments {QStringLiteral("--commands"), QStringLiteral("--rtt"),
                           QString::number(config.rttMs), QStringLiteral("--jitter"),
                           QString::number(config.jitterMs)};
    if (!config.http2)
        arguments << QStringLiteral("--no-h2");
    if (!config.enforceRateLimits)
        arguments << QStringLiteral("--no-rate-limits");
    if (config.fullMarket)
        arguments << QStringLiteral("--full-market");
    if (config.bitunixPort != 0)
        arguments << QStringLiteral("--bitunix-port") << QString::number(config.bitunixPort);
    m_process.start(binary, arguments);
    if (!m_process.waitForStarted(startTimeoutMs))
        return failed(m_process.errorString());

    QDeadlineTimer deadline(startTimeoutMs);
    while (!m_process.canReadLine()) {
        if (m_process.state() == QProcess::NotRunning)
            return failed(QStringLiteral("exited with code %1 before printing its endpoints")
                              .arg(m_process.exitCode()));
        if (deadline.hasExpired())
            return failed(QStringLiteral("printed no endpoints within %1 s").arg(startTimeoutMs / 1000));
        m_process.waitForReadyRead(int(deadline.remainingTime())); // or until it exits
    }
    const QJsonObject description = QJsonDocument::fromJson(m_process.readLine()).object();
    const QList<QSslCertificate> ca =
        QSslCertificate::fromPath(description.value(QStringLiteral("caFile")).toString());
    m_endpoints = {QUrl(description.value(QStringLiteral("bitunix")).toString()),
                   QUrl(description.value(QStringLiteral("hyperliquid")).toString()),
                   ca.value(0),
                   description.value(QStringLiteral("bitunixApiKey")).toString().toLatin1(),
                   description.value(QStringLiteral("bitunixApiSecret")).toString().toLatin1(),
                   description.value(QStringLiteral("hyperliquidAddress")).toString()};
    if (!m_endpoints.bitunix.isValid() || !m_endpoints.hyperliquid.isValid() || m_endpoints.ca.isNull())
        return failed(QStringLiteral("its first line is not the description of its endpoints"));
    // Nothing follows the endpoints on stdout, but a pipe nobody reads must never block exsim.
    connect(&m_process, &QProcess::readyReadStandardOutput, this,
            [this] { m_process.readAllStandardOutput(); });
    return true;
}

void ExsimProcess::setRttMs(double ms)
{
    m_process.write(QByteArrayLiteral("rtt ") + QByteArray::number(ms) + '\n');
    m_process.waitForBytesWritten(1000); // in the pipe now, not when this thread's event loop next runs
}

DemoStarter exsimProcessStarter(const QString &binary)
{
    return [binary](const DemoConfig &config, QString *error) -> std::unique_ptr<DemoExchanges> {
        auto exsim = std::make_unique<ExsimProcess>();
        if (!exsim->start(binary, config, error))
            return nullptr;
        return exsim;
    };
}
