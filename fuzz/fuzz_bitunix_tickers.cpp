#include "exchanges/bitunix/bitunixparser.h"
#include "fuzzcheck.h"

// tickers, tradingPairs and fundingRates read the same shape (an envelope around an array of per-symbol
// objects), so one corpus serves all three, and the envelope must fail them alike.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = fuzzBytes(data, size);

    const Parsed<QList<Ticker>> tickers = BitunixParser::tickers(body);
    checkOutcome(tickers, [](const QList<Ticker> &value) { return value.isEmpty(); });
    for (const Ticker &ticker : tickers.value) {
        FUZZ_CHECK(ticker.exchange == Exchange::Bitunix);
        FUZZ_CHECK(!ticker.symbol.isEmpty());
        checkRequiredDecimal(ticker.last);
        checkRequiredDecimal(ticker.mark);
        for (const Decimal *optional :
             {&ticker.open24h, &ticker.high24h, &ticker.low24h, &ticker.volumeBase, &ticker.volumeQuote})
            checkDecimal(*optional);
        // Not in Bitunix's ticker: they stay absent rather than made up.
        FUZZ_CHECK(ticker.funding.text.isEmpty() && ticker.openInterest.text.isEmpty()
                   && ticker.oracle.text.isEmpty());
        FUZZ_CHECK(ticker.priceDecimals == -1 && ticker.sizeDecimals == -1);
    }

    const auto pairs = BitunixParser::tradingPairs(body);
    checkOutcome(pairs,
                 [](const QHash<QString, BitunixParser::Precision> &value) { return value.isEmpty(); });
    for (auto it = pairs.value.cbegin(); it != pairs.value.cend(); ++it) {
        FUZZ_CHECK(!it.key().isEmpty());
        // The ticker model pads prices to these places: they must stay small.
        FUZZ_CHECK(it->priceDecimals >= 0 && it->priceDecimals <= 18);
        FUZZ_CHECK(it->sizeDecimals >= 0 && it->sizeDecimals <= 18);
    }

    const auto funding = BitunixParser::fundingRates(body);
    checkOutcome(funding, [](const QList<BitunixParser::FundingRate> &value) { return value.isEmpty(); });
    for (const BitunixParser::FundingRate &rate : funding.value) {
        FUZZ_CHECK(!rate.symbol.isEmpty());
        checkRequiredDecimal(rate.rate);
        checkDecimal(rate.markPrice);
        FUZZ_CHECK(rate.intervalHours >= 0 && rate.intervalHours <= 24);
        FUZZ_CHECK(rate.nextFundingMs >= 0);
    }

    FUZZ_CHECK(tickers.apiCode == pairs.apiCode);
    FUZZ_CHECK(tickers.apiCode == funding.apiCode);
    return 0;
}
