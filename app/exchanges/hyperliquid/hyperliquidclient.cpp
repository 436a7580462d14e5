#include "hyperliquidclient.h"

#include <QRegularExpression>

namespace {

// docs/exchange-apis.md#hyperliquid-rate-limits.
constexpr int allMidsWeight = 2;
constexpr int metaAndAssetCtxsWeight = 20;
constexpr int userStateWeight = 2;

} // namespace

HyperliquidClient::HyperliquidClient(HttpClient *http, QObject *parent)
    : ExchangeClient(Exchange::Hyperliquid, http, parent)
{
    setBaseUrl(QUrl(QString::fromLatin1(mainnetUrl)));
}

QString HyperliquidClient::rateLimitText() const
{
    return tr("%1 weight per minute per IP").arg(weightPerMinute);
}

bool HyperliquidClient::isValidAddress(const QString &address)
{
    static const QRegularExpression pattern(QStringLiteral("^0x[0-9a-fA-F]{40}$"));
    return pattern.match(address).hasMatch();
}

bool HyperliquidClient::setAddress(const QString &address)
{
    const QString trimmed = address.trimmed();
    if (!trimmed.isEmpty() && !isValidAddress(trimmed))
        return false;
    if (trimmed.toLower() != m_address) {
        m_address = trimmed.toLower();
        ++m_account;
        m_havePerp = false;
        m_spotUsdc = {};
        m_spotUsdcAvailable = {};
    }
    return true;
}

int HyperliquidClient::weight(DataKind kind) const
{
    switch (kind) {
    case DataKind::Tickers:
        return allMidsWeight;
    case DataKind::MarketStats:
        return metaAndAssetCtxsWeight;
    case DataKind::Positions:
    case DataKind::Account:
        return userStateWeight;
    }
    return 0;
}

HttpRequest HyperliquidClient::info(const QString &endpoint, const QByteArray &body) const
{
    HttpRequest r = request(endpoint, QStringLiteral("/info"));
    r.method = "POST";
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}};
    // /info only reads: a POST that reaches the server twice changes nothing, so one that found its
    // kept-alive connection dead may go again. (Never so for /exchange, which places orders.)
    r.retrySafe = true;
    return r;
}

FetchError HyperliquidClient::infoError(const HttpResponse &response)
{
    FetchError error = transportError(response);
    if (!error.ok())
        return error;
    // A 2xx that is not JSON is not an answer (docs/exchange-apis.md#hyperliquid-errors: check before
    // parsing).
    const QByteArray type = response.header("content-type").toLower();
    if (!type.isEmpty() && !type.contains("json"))
        return {FetchErrorKind::Parse, QStringLiteral("expected JSON, got %1").arg(QString::fromLatin1(type)),
                -1};
    return error;
}

void HyperliquidClient::fetch(DataKind kind)
{
    if (kind == DataKind::Tickers) {
        m_http->send(info(QStringLiteral("allMids"), R"({"type":"allMids"})"), this,
                     [this](const HttpResponse &response) { onMids(response); });
        return;
    }
    if (kind == DataKind::MarketStats) {
        m_http->send(info(QStringLiteral("metaAndAssetCtxs"), R"({"type":"metaAndAssetCtxs"})"), this,
                     [this](const HttpResponse &response) { onContexts(response); });
        return;
    }
    if (!hasCredentials()) {
        finish(kind, {FetchErrorKind::NoCredentials, tr("no Hyperliquid address: open Settings"), -1});
        return;
    }
    const QByteArray user = m_address.toLatin1();
    if (kind == DataKind::Positions) {
        m_http->send(info(QStringLiteral("clearinghouseState"),
                          R"({"type":"clearinghouseState","user":")" + user + "\"}"),
                     this, [this, account = m_account](const HttpResponse &response) {
                         if (account == m_account)
                             onState(response);
                         else
                             finish(DataKind::Positions, discarded());
                     });
        return;
    }
    m_http->send(info(QStringLiteral("spotClearinghouseState"),
                      R"({"type":"spotClearinghouseState","user":")" + user + "\"}"),
                 this, [this, account = m_account](const HttpResponse &response) {
                     if (account == m_account)
                         onSpot(response);
                     else
                         finish(DataKind::Account, discarded());
                 });
}

FetchError HyperliquidClient::discarded()
{
    return {FetchErrorKind::Other, tr("discarded: the address changed meanwhile"), -1};
}

void HyperliquidClient::onMids(const HttpResponse &response)
{
    if (const FetchError error = infoError(response); !error.ok()) {
        finish(DataKind::Tickers, error);
        return;
    }
    const auto parsed = HyperliquidParser::allMids(response.body);
    if (!parsed.ok()) {
        finish(DataKind::Tickers, {FetchErrorKind::Parse, parsed.error, -1});
        return;
    }
    m_mids = parsed.value;
    emitTickers();
    finish(DataKind::Tickers, {});
}

void HyperliquidClient::onContexts(const HttpResponse &response)
{
    if (const FetchError error = infoError(response); !error.ok()) {
        finish(DataKind::MarketStats, error);
        return;
    }
    const auto parsed = HyperliquidParser::metaAndAssetCtxs(response.body);
    if (!parsed.ok()) {
        finish(DataKind::MarketStats, {FetchErrorKind::Parse, parsed.error, -1});
        return;
    }
    m_contexts = parsed.value;
    m_haveContexts = true;
    emitTickers();
    finish(DataKind::MarketStats, {});
}

void HyperliquidClient::emitTickers()
{
    // allMids alone does not say which names are perps, nor their precision: rows wait for the contexts.
    if (!m_haveContexts)
        return;
    QList<Ticker> shown;
    for (Ticker ticker : std::as_const(m_contexts)) {
        if (!watched(ticker.symbol))
            continue;
        // The mid is fresher than the contexts' own; a delisted asset has none.
        const Decimal mid = m_mids.value(ticker.symbol);
        if (mid.isValid() && !ticker.delisted)
            ticker.last = mid;
        shown.append(ticker);
    }
    emit tickersUpdated(Exchange::Hyperliquid, shown);
}

void HyperliquidClient::onState(const HttpResponse &response)
{
    if (const FetchError error = infoError(response); !error.ok()) {
        finish(DataKind::Positions, error);
        return;
    }
    const auto parsed = HyperliquidParser::clearinghouseState(response.body);
    if (!parsed.ok()) {
        finish(DataKind::Positions, {FetchErrorKind::Parse, parsed.error, -1});
        return;
    }
    emit positionsUpdated(Exchange::Hyperliquid, parsed.value.positions);
    m_perp = parsed.value.account;
    m_havePerp = true;
    emitAccount();
    finish(DataKind::Positions, {});
}

void HyperliquidClient::onSpot(const HttpResponse &response)
{
    if (const FetchError error = infoError(response); !error.ok()) {
        finish(DataKind::Account, error);
        return;
    }
    const auto parsed = HyperliquidParser::spotClearinghouseState(response.body);
    if (!parsed.ok()) {
        finish(DataKind::Account, {FetchErrorKind::Parse, parsed.error, -1});
        return;
    }
    m_spotUsdc = Decimal::fromValue(0);
    m_spotUsdcAvailable = Decimal::fromValue(0);
    for (const auto &balance : parsed.value) {
        // Token 0 is USDC, and each balance names its coin: no spotMeta (weight 20) is needed to find it.
        if (balance.token == 0 || balance.coin == QLatin1String("USDC")) {
            m_spotUsdc = balance.total;
            if (balance.total.isValid() && balance.hold.isValid())
                m_spotUsdcAvailable = Decimal::fromValue(balance.total.value - balance.hold.value);
        }
    }
    emitAccount();
    finish(DataKind::Account, {});
}

void HyperliquidClient::emitAccount()
{
    // Without a perp state (none yet, or none that parsed) there is no equity to show: the spot balance is
    // only the equity of an account whose perp side reads empty.
    if (!m_havePerp)
        return;
    AccountSummary account = m_perp;
    account.exchange = Exchange::Hyperliquid;
    // Unified and portfolio-margin accounts keep their collateral in spot: the perp summary then reads zero
    // (docs/exchange-apis.md#hyperliquid-user-state).
    const bool perpEmpty = !account.equity.isValid() || account.equity.value == 0;
    if (perpEmpty && !m_spotUsdc.isValid())
        return; // not a zero equity until spot says so: the spot answer is on its way
    if (perpEmpty) {
        account.equity = m_spotUsdc;
        account.available = m_spotUsdcAvailable;
    }
    if (account.equity.isValid())
        emit accountUpdated(account);
}
