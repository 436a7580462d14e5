#include "exchangeclient.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcExchanges, "exdash.exchanges", QtWarningMsg)

QString nameOf(DataKind kind)
{
    switch (kind) {
    case DataKind::Tickers:
        return QStringLiteral("tickers");
    case DataKind::MarketStats:
        return QStringLiteral("stats");
    case DataKind::Positions:
        return QStringLiteral("positions");
    case DataKind::Account:
        return QStringLiteral("account");
    }
    return {};
}

QString nameOf(FetchErrorKind kind)
{
    switch (kind) {
    case FetchErrorKind::None:
        return QStringLiteral("none");
    case FetchErrorKind::NoCredentials:
        return QStringLiteral("no-credentials");
    case FetchErrorKind::Auth:
        return QStringLiteral("auth");
    case FetchErrorKind::RateLimit:
        return QStringLiteral("rate-limit");
    case FetchErrorKind::Network:
        return QStringLiteral("network");
    case FetchErrorKind::Tls:
        return QStringLiteral("tls");
    case FetchErrorKind::Timeout:
        return QStringLiteral("timeout");
    case FetchErrorKind::Http:
        return QStringLiteral("http");
    case FetchErrorKind::Parse:
        return QStringLiteral("parse");
    case FetchErrorKind::Other:
        return QStringLiteral("other");
    }
    return {};
}

bool FetchError::backOff() const
{
    switch (kind) {
    case FetchErrorKind::RateLimit:
    case FetchErrorKind::Network:
    case FetchErrorKind::Timeout:
    case FetchErrorKind::Http:
        return true;
    default:
        return false;
    }
}

QDateTime httpDate(const QByteArray &value)
{
    // An HTTP-date ends in "GMT", which Qt 6.4's RFC 2822 parser refuses; it takes "+0000".
    QString date = QString::fromLatin1(value.trimmed());
    if (date.endsWith(QLatin1String(" GMT")))
        date = date.chopped(4) + QStringLiteral(" +0000");
    return QDateTime::fromString(date, Qt::RFC2822Date);
}

ExchangeClient::ExchangeClient(Exchange exchange, HttpClient *http, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_exchange(exchange)
{
    qRegisterMetaType<FetchError>();
}

void ExchangeClient::setWatchlist(const QStringList &bases)
{
    m_watchlist.clear();
    for (const QString &base : bases) {
        if (!base.trimmed().isEmpty())
            m_watchlist.append(base.trimmed().toUpper());
    }
}

QString ExchangeClient::baseAsset(Exchange exchange, const QString &symbol)
{
    QString base = symbol;
    if (exchange == Exchange::Bitunix) {
        if (base.endsWith(QLatin1String("USDT")))
            base.chop(4);
        if (base.startsWith(QLatin1String("1000")) && base.size() > 4)
            base.remove(0, 4);
    } else if (base.size() > 1 && base.at(0) == QLatin1Char('k') && base.at(1).isUpper()) {
        base.remove(0, 1); // kPEPE: 1000 PEPE
    }
    return base.toUpper();
}

bool ExchangeClient::watched(const QString &symbol) const
{
    return m_watchlist.isEmpty() || m_watchlist.contains(baseAsset(m_exchange, symbol));
}

HttpRequest ExchangeClient::request(const QString &endpoint, const QString &pathAndQuery) const
{
    HttpRequest r;
    r.exchange = nameOf(m_exchange);
    r.endpoint = endpoint;
    QUrl url = m_baseUrl;
    const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0)
                + (q < 0 ? pathAndQuery : pathAndQuery.left(q)));
    url.setQuery(q < 0 ? QString() : pathAndQuery.mid(q + 1));
    r.url = url;
    return r;
}

FetchError ExchangeClient::transportError(const HttpResponse &response)
{
    const RequestSample &s = response.sample;
    FetchError error;
    switch (s.error) {
    case NetError::None:
        return error;
    case NetError::HttpStatus:
        if (s.httpStatus == 429) {
            error.kind = FetchErrorKind::RateLimit;
            const QByteArray retryAfter = response.header("retry-after").trimmed();
            bool seconds = false;
            const double value = retryAfter.toDouble(&seconds);
            if (seconds && value >= 0) {
                error.retryAfterMs = qint64(value * 1000);
            } else if (!retryAfter.isEmpty()) {
                const QDateTime at = httpDate(retryAfter);
                if (at.isValid())
                    error.retryAfterMs = std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at));
            }
            error.message = QStringLiteral("rate limited (HTTP 429)");
        } else {
            error.kind = FetchErrorKind::Http;
            const QByteArray body = response.body.left(120).simplified();
            error.message =
                s.errorText + (body.isEmpty() ? QString() : QStringLiteral(": ") + QString::fromUtf8(body));
        }
        return error;
    case NetError::Timeout:
        error.kind = FetchErrorKind::Timeout;
        break;
    case NetError::Tls:
        error.kind = FetchErrorKind::Tls;
        break;
    case NetError::TooLarge:
        error.kind = FetchErrorKind::Parse;
        break;
    case NetError::ConnectionRefused:
    case NetError::HostNotFound:
    case NetError::ConnectionClosed:
    case NetError::Network:
        error.kind = FetchErrorKind::Network;
        break;
    case NetError::Canceled:
        error.kind = FetchErrorKind::Other;
        break;
    }
    error.message = s.errorText;
    return error;
}

void ExchangeClient::finish(DataKind kind, const FetchError &error)
{
    if (!error.ok())
        qCDebug(lcExchanges).noquote()
            << nameOf(m_exchange) << nameOf(kind) << nameOf(error.kind) << error.message;
    emit fetched(m_exchange, kind, error);
}
