#include "exsimthread.h"

#include <pthread.h>

ExsimThread::ExsimThread(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("exsim"));
    m_anchor.moveToThread(&m_thread);
}

ExsimThread::~ExsimThread()
{
    if (m_exsim)
        QMetaObject::invokeMethod(
            m_exsim, [exsim = m_exsim] { delete exsim; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool ExsimThread::start(const ExsimOptions &options, QString *error)
{
    if (m_exsim)
        return true;
    m_thread.start();
    bool started = false;
    QString failure;
    QMetaObject::invokeMethod(
        &m_anchor,
        [this, &options, &started, &failure] {
            m_hasCpuClock = pthread_getcpuclockid(pthread_self(), &m_cpuClock) == 0;
            auto *exsim = new Exsim(options);
            started = exsim->start(&failure);
            if (!started) {
                delete exsim;
                return;
            }
            m_exsim = exsim;
            m_endpoints = {exsim->url(SimExchange::Bitunix),
                           exsim->url(SimExchange::Hyperliquid),
                           exsim->ca(),
                           exsim->bitunixApiKey(),
                           exsim->bitunixApiSecret(),
                           exsim->hyperliquidAddress()};
        },
        Qt::BlockingQueuedConnection);
    if (!started && error)
        *error = failure;
    return started;
}

void ExsimThread::setRttMs(double ms)
{
    if (m_exsim)
        QMetaObject::invokeMethod(m_exsim, [exsim = m_exsim, ms] { exsim->setRttMs(ms); });
}

void ExsimThread::setFault(SimExchange exchange, const Fault &fault)
{
    if (m_exsim)
        QMetaObject::invokeMethod(m_exsim,
                                  [exsim = m_exsim, exchange, fault] { exsim->setFault(exchange, fault); });
}

void ExsimThread::holdPrice(const QString &base, double price)
{
    if (m_exsim)
        QMetaObject::invokeMethod(
            m_exsim, [exsim = m_exsim, base, price] { exsim->market().holdPrice(base, price); },
            Qt::BlockingQueuedConnection);
}

void ExsimThread::releasePrice(const QString &base)
{
    if (m_exsim)
        QMetaObject::invokeMethod(
            m_exsim, [exsim = m_exsim, base] { exsim->market().releasePrice(base); },
            Qt::BlockingQueuedConnection);
}

double ExsimThread::cpuMs() const
{
    timespec spent {};
    if (!m_hasCpuClock || clock_gettime(m_cpuClock, &spent) != 0)
        return 0;
    return double(spent.tv_sec) * 1e3 + double(spent.tv_nsec) / 1e6;
}

ExsimOptions exsimOptionsFor(const DemoConfig &config)
{
    ExsimOptions options;
    options.rttMs = config.rttMs;
    options.jitterMs = config.jitterMs;
    options.http2 = config.http2;
    options.enforceRateLimits = config.enforceRateLimits;
    options.bitunixPort = config.bitunixPort;
    options.fullMarket = config.fullMarket;
    return options;
}

DemoStarter exsimStarter()
{
    return [](const DemoConfig &config, QString *error) -> std::unique_ptr<DemoExchanges> {
        auto exsim = std::make_unique<ExsimThread>();
        if (!exsim->start(exsimOptionsFor(config), error))
            return nullptr;
        return exsim;
    };
}
