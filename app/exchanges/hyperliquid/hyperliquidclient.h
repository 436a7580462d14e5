#pragma once

#include "exchanges/exchangeclient.h"

#include "hyperliquidparser.h"

#include <QHash>

// Hyperliquid POST /info: prices from allMids (weight 2) joined to the marks, funding, open interest and 24 h
// volume of metaAndAssetCtxs (weight 20, fetched less often); positions and perp equity from
// clearinghouseState, the spot USDC balance for unified accounts. Read-only, by wallet address: no key, ever.
class HyperliquidClient : public ExchangeClient
{
    Q_OBJECT
public:
    static constexpr const char *mainnetUrl = "https://api.hyperliquid.xyz";
    static constexpr const char *testnetUrl = "https://api.hyperliquid-testnet.xyz";
    static constexpr int weightPerMinute = 1200; // per IP, all info requests together

    explicit HyperliquidClient(HttpClient *http, QObject *parent = nullptr);

    static bool isValidAddress(const QString &address); // 0x + 40 hex digits
    // An invalid address is refused (returns false) and the previous one kept.
    bool setAddress(const QString &address);
    QString address() const { return m_address; }
    bool hasCredentials() const override { return !m_address.isEmpty(); }

    void fetch(DataKind kind) override;
    int weight(DataKind kind) const override;
    QString budgetName(DataKind) const override { return QStringLiteral("ip"); }
    int budgetCapacity() const override { return weightPerMinute; }
    qint64 budgetWindowMs() const override { return 60'000; }
    QString budgetUnit() const override { return QStringLiteral("weight/min"); }
    QString rateLimitText() const override;

private:
    HttpRequest info(const QString &endpoint, const QByteArray &body) const;
    // The HTTP part plus /info's own errors (422 text/plain, 500 null): None when there is JSON to parse.
    static FetchError infoError(const HttpResponse &response);
    void onMids(const HttpResponse &response);
    void onContexts(const HttpResponse &response);
    void emitTickers();
    void onState(const HttpResponse &response);
    void onSpot(const HttpResponse &response);
    void emitAccount();
    static FetchError discarded();

    QString m_address;
    QList<Ticker> m_contexts; // the last good metaAndAssetCtxs, every asset
    bool m_haveContexts = false;
    QHash<QString, Decimal> m_mids; // the last good allMids
    AccountSummary m_perp;
    bool m_havePerp = false;
    Decimal m_spotUsdc;
    Decimal m_spotUsdcAvailable;
    quint64 m_account = 0; // bumped when the address changes: answers for the old one are dropped
};
