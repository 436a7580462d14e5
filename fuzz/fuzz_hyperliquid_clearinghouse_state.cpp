#include "exchanges/hyperliquid/hyperliquidparser.h"
#include "fuzzcheck.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto parsed = HyperliquidParser::clearinghouseState(fuzzBytes(data, size));
    checkOutcome(parsed, [](const HyperliquidParser::UserState &value) {
        return value.positions.isEmpty() && value.timeMs == 0 && value.account.equity.text.isEmpty()
            && value.account.available.text.isEmpty() && value.account.unrealizedPnl.text.isEmpty()
            && value.account.marginUsed.text.isEmpty();
    });
    if (!parsed.ok())
        return 0;
    for (const Position &position : parsed.value.positions) {
        FUZZ_CHECK(position.exchange == Exchange::Hyperliquid);
        FUZZ_CHECK(!position.symbol.isEmpty());
        // Unsigned, and closed positions (szi 0) are dropped; the side carries the sign.
        checkRequiredDecimal(position.size);
        FUZZ_CHECK(position.size.value > 0);
        FUZZ_CHECK(!position.size.text.startsWith(QLatin1Char('-'))
                   && !position.size.text.startsWith(QLatin1Char('+')));
        checkDecimal(position.entryPrice);
        checkRequiredDecimal(position.positionValue);
        checkRequiredDecimal(position.unrealizedPnl);
        checkRequiredDecimal(position.returnOnEquity);
        checkRequiredDecimal(position.margin);
        checkDecimal(position.liquidationPrice);
        checkDecimal(position.markPrice);
    }
    FUZZ_CHECK(parsed.value.account.exchange == Exchange::Hyperliquid);
    checkRequiredDecimal(parsed.value.account.equity);
    checkDecimal(parsed.value.account.available); // absent in some shapes: withdrawable is optional
    checkRequiredDecimal(parsed.value.account.marginUsed);
    checkDecimal(parsed.value.account.unrealizedPnl);
    return 0;
}
