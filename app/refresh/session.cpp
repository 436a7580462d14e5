#include "session.h"

#include "config/settings.h"

#include <QFile>
#include <QSslCertificate>

SessionConfig configFromSettings(const Settings &settings)
{
    SessionConfig config;
    config.demo = settings.mode() == Settings::Mode::Demo;
    config.exsim.rttMs = settings.demoRttMs();
    // A real path's delay varies a little; without it the two simulated exchanges' points coincide.
    config.exsim.jitterMs = demoJitterMs;
    config.bitunixUrl = settings.bitunixUrl();
    config.hyperliquidUrl = settings.hyperliquidUrl();
    config.caFile = settings.caFile();
    config.hyperliquidAddress = settings.hyperliquidAddress();
    config.watchlist = settings.watchlist();
    config.sharePercent = settings.sharePercent();
    config.reuse = settings.reuseMode();
    config.alerts = settings.alertSettings();
    return config;
}

Session::Session(DemoStarter startDemo, QObject *parent)
    : QObject(parent)
    , m_startDemo(std::move(startDemo))
{ }

Session::~Session()
{
    // Clients and refresher first: they hold callbacks into each other and into the HttpClient.
    m_refresher.reset();
    m_bitunix.reset();
    m_hyperliquid.reset();
    m_http.reset();
    m_demo.reset();
}

bool Session::start(const SessionConfig &config, QString *error)
{
    m_config = config;
    m_http = std::make_unique<HttpClient>();
    m_http->setReuseMode(config.reuse);
    m_http->setDefaultTimeout(config.timeoutMs);
    m_bitunix = std::make_unique<BitunixClient>(m_http.get());
    m_hyperliquid = std::make_unique<HyperliquidClient>(m_http.get());

    if (config.demo) {
        if (!m_startDemo) {
            if (error)
                *error = QStringLiteral("this build has no simulator: demo mode is not available");
            return false;
        }
        m_demo = m_startDemo(config.exsim, error);
        if (!m_demo)
            return false;
        const DemoEndpoints endpoints = m_demo->endpoints();
        m_bitunix->setBaseUrl(endpoints.bitunix);
        m_hyperliquid->setBaseUrl(endpoints.hyperliquid);
        // The demo CA is trusted for the simulator's origins alone.
        m_http->setCaCertificates(endpoints.bitunix, {endpoints.ca});
        m_http->setCaCertificates(endpoints.hyperliquid, {endpoints.ca});
        if (config.accountData) {
            m_bitunix->setCredentials(endpoints.bitunixApiKey, endpoints.bitunixApiSecret);
            m_hyperliquid->setAddress(endpoints.hyperliquidAddress);
        }
    } else {
        m_bitunix->setBaseUrl(config.bitunixUrl);
        m_hyperliquid->setBaseUrl(config.hyperliquidUrl);
        if (!config.caFile.isEmpty()) {
            const QList<QSslCertificate> cas = QSslCertificate::fromPath(config.caFile);
            if (cas.isEmpty()) {
                if (error)
                    *error = QStringLiteral("no certificate in %1").arg(config.caFile);
                return false;
            }
            m_http->setCaCertificates(config.bitunixUrl, cas);
            m_http->setCaCertificates(config.hyperliquidUrl, cas);
        }
        if (config.accountData)
            m_bitunix->setCredentials(config.bitunix.apiKey, config.bitunix.secret);
        if (config.accountData && !m_hyperliquid->setAddress(config.hyperliquidAddress)) {
            if (error)
                *error = QStringLiteral("not a Hyperliquid address (0x and 40 hex digits): %1")
                             .arg(config.hyperliquidAddress);
            return false;
        }
    }
    m_bitunix->setWatchlist(config.watchlist);
    m_hyperliquid->setWatchlist(config.watchlist);

    m_refresher = std::make_unique<Refresher>(m_http.get());
    m_refresher->addClient(m_bitunix.get());
    m_refresher->addClient(m_hyperliquid.get());
    m_refresher->setSharePercent(config.sharePercent);
    for (DataKind kind : allDataKinds) {
        if (config.cadenceMs[int(kind)] > 0)
            m_refresher->setCadence(kind, config.cadenceMs[int(kind)]);
    }
    return true;
}

void Session::setDemoRttMs(double ms)
{
    m_config.exsim.rttMs = ms;
    if (m_demo)
        m_demo->setRttMs(ms);
}
