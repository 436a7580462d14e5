#include "bitunixclient.h"
#include "bitunixsigner.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QUrlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcExchanges)

namespace {

// Date has a resolution of one second, and the answer took some time to arrive: smaller skews are noise.
constexpr qint64 clockSkewToCorrectMs = 2000;

} // namespace

BitunixClient::BitunixClient(HttpClient *http, QObject *parent)
    : ExchangeClient(Exchange::Bitunix, http, parent)
{
    setBaseUrl(QUrl(QString::fromLatin1(defaultUrl)));
}

QString BitunixClient::rateLimitText() const
{
    return tr("%1 calls per second per endpoint (shown: the busiest endpoint)")
        .arg(requestsPerSecondPerEndpoint);
}

void BitunixClient::setCredentials(const QByteArray &apiKey, const QByteArray &secret)
{
    if (apiKey.trimmed() == m_apiKey && secret.trimmed() == m_secret)
        return;
    m_apiKey = apiKey.trimmed();
    m_secret = secret.trimmed();
    ++m_account;
    m_positions.clear();
    m_havePositions = false;
}

void BitunixClient::fetch(DataKind kind)
{
    if (kind == DataKind::Tickers)
        fetchTickers();
    else if (kind == DataKind::MarketStats)
        fetchFunding();
    else
        fetchPrivate(kind);
}

template<typename T>
bool BitunixClient::failed(DataKind kind, const Parsed<T> &parsed)
{
    if (parsed.ok())
        return false;
    FetchError error;
    error.message = parsed.error;
    switch (BitunixParser::classify(parsed.apiCode)) {
    case BitunixParser::ErrorKind::None:
        error.kind = FetchErrorKind::Parse;
        break;
    case BitunixParser::ErrorKind::Auth:
        error.kind = FetchErrorKind::Auth;
        break;
    case BitunixParser::ErrorKind::RateLimit:
        error.kind = FetchErrorKind::RateLimit;
        break;
    default:
        error.kind = FetchErrorKind::Other;
        break;
    }
    // A rejected timestamp is the computer's clock, not a malformed request: readServerClock() has corrected
    // it for the next call by now.
    const bool clock = parsed.error.contains(QLatin1String("timestamp"), Qt::CaseInsensitive);
    if (parsed.apiCode != 0)
        error.message += QStringLiteral(" (%1)").arg(
            clock ? tr("this computer's clock is off: the next signed call uses Bitunix's time")
                  : BitunixParser::describe(BitunixParser::classify(parsed.apiCode)));
    finish(kind, error);
    return true;
}

void BitunixClient::fetchTickers()
{
    if (!m_precisionRequested) {
        // Precision is static: once per session, alongside the first tickers.
        m_precisionRequested = true;
        m_http->send(
            request(QStringLiteral("trading_pairs"), QStringLiteral("/api/v1/futures/market/trading_pairs")),
            this, [this](const HttpResponse &response) {
                readServerClock(response);
                const auto parsed = BitunixParser::tradingPairs(response.body);
                if (transportError(response).ok() && parsed.ok())
                    m_precision = parsed.value;
                else
                    m_precisionRequested = false; // try again with the next tickers
            });
    }
    QString path = QStringLiteral("/api/v1/futures/market/tickers");
    if (!watchlist().isEmpty()) {
        // The server may ignore the filter (docs/exchange-apis.md#bitunix-tickers); the answer is filtered
        // here as well.
        QStringList symbols;
        for (const QString &base : watchlist()) {
            symbols << base + QStringLiteral("USDT");
            if (base == QLatin1String("PEPE") || base == QLatin1String("SHIB")
                || base == QLatin1String("BONK"))
                symbols << QStringLiteral("1000") + base + QStringLiteral("USDT");
        }
        // Open positions need their marks even when their symbol is not watched.
        for (const Position &p : std::as_const(m_positions)) {
            if (!symbols.contains(p.symbol))
                symbols << p.symbol;
        }
        path += QStringLiteral("?symbols=") + symbols.join(QLatin1Char(','));
    }
    m_http->send(request(QStringLiteral("tickers"), path), this,
                 [this](const HttpResponse &response) { onTickers(response); });
}

void BitunixClient::readServerClock(const HttpResponse &response)
{
    const QByteArray date = response.header("date").trimmed();
    if (date.isEmpty() || response.sample.startedAtMsSinceEpoch <= 0)
        return;
    const QDateTime at = httpDate(date);
    if (!at.isValid())
        return;
    // The server wrote Date somewhere in the second it names, before its first byte reached us.
    const double receivedAfterMs =
        response.sample.firstByteMs >= 0 ? response.sample.firstByteMs : response.sample.finishedMs;
    const qint64 offset =
        at.toMSecsSinceEpoch() + 500 - response.sample.startedAtMsSinceEpoch - qint64(receivedAfterMs);
    const qint64 corrected = std::abs(offset) > clockSkewToCorrectMs ? offset : 0;
    if (std::abs(corrected - m_clockOffsetMs) > clockSkewToCorrectMs
        || (corrected == 0) != (m_clockOffsetMs == 0)) {
        qCInfo(lcExchanges).noquote()
            << (corrected == 0
                    ? QStringLiteral("Bitunix's clock agrees with this computer's again")
                    : QStringLiteral("Bitunix's clock is %1 s %2 this computer's: signed calls "
                                     "use the server's time")
                          .arg(std::abs(corrected) / 1000.0, 0, 'f', 1)
                          .arg(corrected > 0 ? QStringLiteral("ahead of") : QStringLiteral("behind")));
        m_clockOffsetMs = corrected;
    }
}

void BitunixClient::onTickers(const HttpResponse &response)
{
    readServerClock(response);
    if (const FetchError error = transportError(response); !error.ok()) {
        finish(DataKind::Tickers, error);
        return;
    }
    auto parsed = BitunixParser::tickers(response.body);
    if (failed(DataKind::Tickers, parsed))
        return;
    QList<Ticker> shown;
    for (Ticker &ticker : parsed.value) {
        m_marks.insert(ticker.symbol, ticker.mark);
        if (!watched(ticker.symbol))
            continue;
        const auto precision = m_precision.constFind(ticker.symbol);
        if (precision != m_precision.constEnd()) {
            ticker.priceDecimals = precision->priceDecimals;
            ticker.sizeDecimals = precision->sizeDecimals;
        }
        addFunding(ticker);
        shown.append(ticker);
    }
    m_tickers = shown;
    emit tickersUpdated(Exchange::Bitunix, shown);
    if (m_havePositions)
        emitPositions(); // new marks
    finish(DataKind::Tickers, {});
}

void BitunixClient::fetchFunding()
{
    m_http->send(
        request(QStringLiteral("funding_rate"), QStringLiteral("/api/v1/futures/market/funding_rate/batch")),
        this, [this](const HttpResponse &response) { onFunding(response); });
}

void BitunixClient::onFunding(const HttpResponse &response)
{
    readServerClock(response);
    if (const FetchError error = transportError(response); !error.ok()) {
        finish(DataKind::MarketStats, error);
        return;
    }
    const auto parsed = BitunixParser::fundingRates(response.body);
    if (failed(DataKind::MarketStats, parsed))
        return;
    m_funding.clear();
    for (const BitunixParser::FundingRate &rate : parsed.value)
        m_funding.insert(rate.symbol, rate);
    if (!m_tickers.isEmpty()) {
        for (Ticker &ticker : m_tickers)
            addFunding(ticker);
        emit tickersUpdated(Exchange::Bitunix, m_tickers);
    }
    finish(DataKind::MarketStats, {});
}

void BitunixClient::addFunding(Ticker &ticker) const
{
    const auto funding = m_funding.constFind(ticker.symbol);
    if (funding == m_funding.constEnd())
        return;
    ticker.fundingIntervalHours = funding->intervalHours;
    ticker.nextFundingMs = funding->nextFundingMs;
    // Shown per hour, as Hyperliquid's is; without the interval's length there is no hourly rate to show.
    ticker.funding = funding->rate.isValid() && funding->intervalHours > 0
        ? Decimal::fromValue(funding->rate.value / funding->intervalHours)
        : Decimal {};
}

void BitunixClient::fetchPrivate(DataKind kind)
{
    if (!hasCredentials()) {
        finish(kind, {FetchErrorKind::NoCredentials, tr("no Bitunix API key and secret: open Settings"), -1});
        return;
    }
    const bool positions = kind == DataKind::Positions;
    const QString path = positions ? QStringLiteral("/api/v1/futures/position/get_pending_positions")
                                   : QStringLiteral("/api/v1/futures/account?marginCoin=USDT");
    HttpRequest r = request(positions ? QStringLiteral("positions") : QStringLiteral("account"), path);
    const QByteArray nonce = BitunixSigner::makeNonce();
    const QByteArray timestamp = QByteArray::number(QDateTime::currentMSecsSinceEpoch() + m_clockOffsetMs);
    const QByteArray canonical = BitunixSigner::canonicalQuery(QUrlQuery(r.url.query()));
    r.headers = {{"api-key", m_apiKey},
                 {"nonce", nonce},
                 {"timestamp", timestamp},
                 {"sign", BitunixSigner::sign(nonce, timestamp, m_apiKey, canonical, {}, m_secret)},
                 {"language", "en-US"}};
    m_http->send(r, this, [this, positions, account = m_account](const HttpResponse &response) {
        if (account != m_account) {
            finish(positions ? DataKind::Positions : DataKind::Account,
                   {FetchErrorKind::Other, tr("discarded: the credentials changed meanwhile"), -1});
            return;
        }
        readServerClock(response);
        positions ? onPositions(response) : onAccount(response);
    });
}

void BitunixClient::onPositions(const HttpResponse &response)
{
    if (const FetchError error = transportError(response); !error.ok()) {
        finish(DataKind::Positions, error);
        return;
    }
    const auto parsed = BitunixParser::pendingPositions(response.body);
    if (failed(DataKind::Positions, parsed))
        return;
    m_positions = parsed.value;
    m_havePositions = true;
    emitPositions();
    finish(DataKind::Positions, {});
}

void BitunixClient::emitPositions()
{
    QList<Position> joined = m_positions;
    for (Position &p : joined) {
        // No mark in Bitunix positions: the ticker of the same symbol has it
        // (docs/exchange-apis.md#bitunix-positions).
        const Decimal mark = m_marks.value(p.symbol);
        if (mark.isValid()) {
            p.markPrice = mark;
            if (p.size.isValid())
                p.positionValue = Decimal::fromValue(p.size.value * mark.value);
        }
    }
    emit positionsUpdated(Exchange::Bitunix, joined);
}

void BitunixClient::onAccount(const HttpResponse &response)
{
    if (const FetchError error = transportError(response); !error.ok()) {
        finish(DataKind::Account, error);
        return;
    }
    const auto parsed = BitunixParser::account(response.body);
    if (failed(DataKind::Account, parsed))
        return;
    emit accountUpdated(parsed.value);
    finish(DataKind::Account, {});
}
