#include "exsim.h"
#include "httpsserver.h"
#include "wanlink.h"

#include <QDateTime>
#include <QLocale>
#include <QLoggingCategory>
#include <QRandomGenerator>

Q_DECLARE_LOGGING_CATEGORY(lcSim)

namespace {

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return raw.toHex();
}

int indexOf(SimExchange exchange)
{
    return exchange == SimExchange::Bitunix ? 0 : 1;
}

} // namespace

Exsim::Exsim(const ExsimOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_market(options.seed ? options.seed : QRandomGenerator::system()->generate(),
               options.fullMarket ? SimMarket::Size::Full : SimMarket::Size::Demo)
{
    m_bitunix = std::make_unique<BitunixSim>(&m_market, randomHex(16), randomHex(16));
    m_hyperliquid = std::make_unique<HyperliquidSim>(
        &m_market, QStringLiteral("0x") + QString::fromLatin1(randomHex(20)));
    m_rateLimits = std::make_unique<SimRateLimits>();
    m_ticker.setInterval(std::max(10, options.tickMs));
    connect(&m_ticker, &QTimer::timeout, this,
            [this] { m_market.tick(double(m_sinceTick.restart()) / 1000.0); });
}

Exsim::~Exsim() = default;

bool Exsim::start(QString *error)
{
    QString certificateError;
    m_certificates = DemoCertificates::generate(QStringLiteral("exsim demo CA"), 30, &certificateError);
    if (m_certificates.isNull()) {
        if (error)
            *error = certificateError;
        return false;
    }
    for (SimExchange exchange : {SimExchange::Bitunix, SimExchange::Hyperliquid}) {
        const int i = indexOf(exchange);
        m_servers[i] =
            std::make_unique<HttpsServer>(m_certificates, [this, exchange](const SimRequest &request) {
                return answer(exchange, request);
            });
        HttpsServer *server = m_servers[i].get();
        server->setHttp2Enabled(m_options.http2);
        server->setMaxRequestsPerConnection(m_options.maxRequestsPerConnection);
        server->setKeepAliveIdleMs(m_options.keepAliveSeconds * 1000);
        if (!server->listen(0)) {
            if (error)
                *error = QStringLiteral("exsim: cannot listen for %1: %2")
                             .arg(nameOf(exchange), server->errorString());
            return false;
        }
        m_links[i] = std::make_unique<WanLink>();
        m_links[i]->setRttMs(m_options.rttMs);
        m_links[i]->setJitterMs(m_options.jitterMs);
        const quint16 port =
            exchange == SimExchange::Bitunix ? m_options.bitunixPort : m_options.hyperliquidPort;
        if (!m_links[i]->listen(server->port(), port)) {
            if (error)
                *error = QStringLiteral("exsim: cannot listen on 127.0.0.1:%1 for %2: %3")
                             .arg(port)
                             .arg(nameOf(exchange), m_links[i]->errorString());
            return false;
        }
        setFault(exchange,
                 exchange == SimExchange::Bitunix ? m_options.bitunixFault : m_options.hyperliquidFault);
    }
    m_sinceTick.start();
    m_ticker.start();
    return true;
}

QUrl Exsim::url(SimExchange exchange) const
{
    const WanLink *l = link(exchange);
    return l ? QUrl(QStringLiteral("https://127.0.0.1:%1").arg(l->port())) : QUrl();
}

QJsonObject Exsim::describe(const QString &caFile) const
{
    return QJsonObject {
        {QStringLiteral("bitunix"), url(SimExchange::Bitunix).toString()},
        {QStringLiteral("hyperliquid"), url(SimExchange::Hyperliquid).toString()},
        {QStringLiteral("caFile"), caFile},
        {QStringLiteral("bitunixApiKey"), QString::fromLatin1(bitunixApiKey())},
        {QStringLiteral("bitunixApiSecret"), QString::fromLatin1(bitunixApiSecret())},
        {QStringLiteral("hyperliquidAddress"), hyperliquidAddress()},
        {QStringLiteral("rttMs"), m_options.rttMs},
        {QStringLiteral("http2"), m_options.http2},
    };
}

void Exsim::setRttMs(double ms)
{
    m_options.rttMs = std::max(0.0, ms);
    for (const auto &l : m_links) {
        if (l)
            l->setRttMs(m_options.rttMs);
    }
}

void Exsim::setJitterMs(double ms)
{
    m_options.jitterMs = std::max(0.0, ms);
    for (const auto &l : m_links) {
        if (l)
            l->setJitterMs(m_options.jitterMs);
    }
}

void Exsim::setFault(SimExchange exchange, const Fault &fault)
{
    Fault &current = indexOf(exchange) == 0 ? m_options.bitunixFault : m_options.hyperliquidFault;
    current = fault;
    if (HttpsServer *s = server(exchange)) {
        const bool early = fault.kind == Fault::Kind::CloseIdleEarly;
        s->setKeepAliveIdleMs(early ? fault.argOrDefault() : m_options.keepAliveSeconds * 1000);
    }
    qCDebug(lcSim) << nameOf(exchange) << "fault:" << fault.toString();
    emit faultChanged(exchange, fault);
}

Fault Exsim::fault(SimExchange exchange) const
{
    return indexOf(exchange) == 0 ? m_options.bitunixFault : m_options.hyperliquidFault;
}

void Exsim::setRateLimitClock(std::function<qint64()> clockMs)
{
    m_rateLimits = std::make_unique<SimRateLimits>(std::move(clockMs));
}

HttpsServer *Exsim::server(SimExchange exchange) const
{
    return m_servers[indexOf(exchange)].get();
}

WanLink *Exsim::link(SimExchange exchange) const
{
    return m_links[indexOf(exchange)].get();
}

std::optional<SimResponse> Exsim::control(SimExchange exchange, const SimRequest &request)
{
    // A back door for scripts driving a stand-alone exsim: POST /exsim/fault with NAME[:ARG] (or "none"),
    // POST /exsim/price with "BASE PRICE" (held there) or "BASE release".
    if (request.path() == "/exsim/price") {
        if (request.method != "POST")
            return SimResponse::text("POST BASE PRICE or BASE release to move the market", 405);
        const QList<QByteArray> words = request.body.simplified().split(' ');
        const QString base = QString::fromUtf8(words.value(0));
        bool ok = false;
        const double price = words.value(1).toDouble(&ok);
        const bool done =
            words.value(1) == "release" ? m_market.releasePrice(base) : ok && m_market.holdPrice(base, price);
        return done ? SimResponse::text(request.body.simplified(), 200)
                    : SimResponse::text("not BASE PRICE (above 0) or BASE release for a listed asset", 400);
    }
    if (request.path() != "/exsim/fault")
        return std::nullopt;
    if (request.method != "POST")
        return SimResponse::text("POST NAME[:ARG] to set this origin's fault", 405);
    QString error;
    const std::optional<Fault> fault = Fault::parse(QString::fromUtf8(request.body.trimmed()), &error);
    if (!fault)
        return SimResponse::text(error.toUtf8(), 400);
    setFault(exchange, *fault);
    return SimResponse::text(fault->toString().toUtf8(), 200);
}

SimResponse Exsim::answer(SimExchange exchange, const SimRequest &request)
{
    if (auto response = control(exchange, request))
        return *response;
    const Fault current = fault(exchange);
    const qint64 now = QDateTime::currentMSecsSinceEpoch() + current.clockOffsetMs();
    const std::optional<SimResponse> refusal =
        m_options.enforceRateLimits ? m_rateLimits->admit(exchange, request) : std::nullopt;
    SimResponse response = refusal         ? *refusal
        : exchange == SimExchange::Bitunix ? m_bitunix->handle(request, now)
                                           : m_hyperliquid->handle(request, now);
    response.delayMs = m_options.serverMs;
    if (!refusal)
        response = applyFault(current, exchange, response);
    // As every real origin does (RFC 9110 6.6.1): what a client can read the server's clock from.
    response.headers.append({"Date",
                             QLocale::c()
                                 .toString(QDateTime::fromMSecsSinceEpoch(now, Qt::UTC),
                                           QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                                 .toLatin1()});
    return response;
}
