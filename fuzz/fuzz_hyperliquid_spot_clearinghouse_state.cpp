#include "exchanges/hyperliquid/hyperliquidparser.h"
#include "fuzzcheck.h"

// spotMeta rides along: its tokens[] entries and the balances[] here are both lists of token objects keyed by
// the same token index, so one corpus serves both.
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

    const auto tokens = HyperliquidParser::spotMeta(body);
    checkOutcome(tokens, [](const QHash<int, QString> &value) { return value.isEmpty(); });
    for (const QString &name : tokens.value)
        FUZZ_CHECK(!name.isEmpty());
    return 0;
}
