#pragma once

#include "refresh/session.h"
#include "sim/exsim.h"

#include <QTemporaryFile>

// exsim in the test's thread at RTT 0, and what a user in live mode would point exdash at: its two URLs, its
// CA in a file (as --ca-file), its demo address; the Bitunix key and secret only when asked for.
class LiveExsim
{
public:
    LiveExsim()
        : m_exsim(rttZero())
    { }

    bool start(QString *error)
    {
        if (!m_exsim.start(error))
            return false;
        if (!m_ca.open() || m_ca.write(m_exsim.caPem()) != m_exsim.caPem().size() || !m_ca.flush()) {
            *error = QStringLiteral("cannot write the CA file");
            return false;
        }
        return true;
    }

    Exsim &exsim() { return m_exsim; }
    QString caFile() const { return m_ca.fileName(); }

    SessionConfig config() const
    {
        SessionConfig config;
        config.demo = false;
        config.bitunixUrl = m_exsim.url(SimExchange::Bitunix);
        config.hyperliquidUrl = m_exsim.url(SimExchange::Hyperliquid);
        config.caFile = m_ca.fileName();
        return config;
    }
    SessionConfig configWithCredentials(const QByteArray &secret) const
    {
        SessionConfig config = this->config();
        config.bitunix = {m_exsim.bitunixApiKey(), secret, QStringLiteral("environment")};
        config.hyperliquidAddress = m_exsim.hyperliquidAddress();
        return config;
    }

private:
    static ExsimOptions rttZero()
    {
        ExsimOptions options;
        options.rttMs = 0;
        return options;
    }

    Exsim m_exsim;
    QTemporaryFile m_ca;
};
