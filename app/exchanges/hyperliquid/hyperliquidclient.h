#pragma once

#include "exchanges/exchangeclient.h"

#include "hyperliquidparser.h"

#include <QHash>

// Hyperliquid POST /info: tickers from metaAndAssetCtxs, positions and perp equity from clearinghouseState,
// spot balances (and token names, once) for unified accounts. Read-only, by wallet address: no key, ever.
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

private:
    HttpRequest info(const QString &endpoint, const QByteArray &body) const;
    // The HTTP part plus /info's own errors (422 text/plain, 500 null): None when there is JSON to parse.
    static FetchError infoError(const HttpResponse &response);
    void onTickers(const HttpResponse &response);
    void onState(const HttpResponse &response);
    void onSpot(const HttpResponse &response);
    void emitAccount();
    static FetchError discarded();

    QString m_address;
    QHash<int, QString> m_tokens; // spotMeta: index -> name
    bool m_tokensRequested = false;
    AccountSummary m_perp;
    bool m_havePerp = false;
    Decimal m_spotUsdc;
    Decimal m_spotUsdcAvailable;
    quint64 m_account = 0; // bumped when the address changes: answers for the old one are dropped
};
