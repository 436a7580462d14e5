#include "exchanges/hyperliquid/hyperliquidparser.h"
#include "fuzzcheck.h"

// allMids rides along: both are small objects read every few seconds, so one corpus serves both.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body = fuzzBytes(data, size);

    const auto balances = HyperliquidParser::spotClearinghouseState(body);
    checkOutcome(balances,
                 [](const QList<HyperliquidParser::SpotBalance> &value) { return value.isEmpty(); });
    for (const HyperliquidParser::SpotBalance &balance : balances.value) {
        FUZZ_CHECK(!balance.coin.isEmpty());
        checkRequiredDecimal(balance.total);
        checkRequiredDecimal(balance.hold);
    }

    const auto mids = HyperliquidParser::allMids(body);
    checkOutcome(mids, [](const QHash<QString, Decimal> &value) { return value.isEmpty(); });
    for (const Decimal &mid : mids.value)
        checkRequiredDecimal(mid); // a null mid is left out, never kept as an absent price
    return 0;
}
