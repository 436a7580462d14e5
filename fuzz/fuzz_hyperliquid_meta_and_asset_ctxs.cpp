#include "exchanges/hyperliquid/hyperliquidparser.h"
#include "fuzzcheck.h"

#include <algorithm>

// allMids rides along: like metaAndAssetCtxs it maps coins to decimal prices, so the same seeds reach it.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = fuzzBytes(data, size);

    const auto tickers = HyperliquidParser::metaAndAssetCtxs(body);
    checkOutcome(tickers, [](const QList<Ticker> &value) { return value.isEmpty(); });
    for (const Ticker &ticker : tickers.value) {
        FUZZ_CHECK(ticker.exchange == Exchange::Hyperliquid);
        FUZZ_CHECK(!ticker.symbol.isEmpty());
        FUZZ_CHECK(ticker.sizeDecimals >= 0);
        FUZZ_CHECK(ticker.priceDecimals == std::max(0, 6 - ticker.sizeDecimals));
        for (const Decimal *required : {&ticker.last, &ticker.mark, &ticker.open24h, &ticker.volumeQuote,
                                        &ticker.funding, &ticker.openInterest, &ticker.oracle})
            checkRequiredDecimal(*required);
        checkDecimal(ticker.volumeBase);
        FUZZ_CHECK(ticker.high24h.text.isEmpty() && ticker.low24h.text.isEmpty());
    }

    const auto mids = HyperliquidParser::allMids(body);
    checkOutcome(mids, [](const QHash<QString, Decimal> &value) { return value.isEmpty(); });
    for (const Decimal &mid : mids.value)
        checkRequiredDecimal(mid);
    return 0;
}
