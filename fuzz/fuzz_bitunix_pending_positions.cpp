#include "exchanges/bitunix/bitunixparser.h"
#include "fuzzcheck.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto parsed = BitunixParser::pendingPositions(fuzzBytes(data, size));
    checkOutcome(parsed, [](const QList<Position> &value) { return value.isEmpty(); });
    for (const Position &position : parsed.value) {
        FUZZ_CHECK(position.exchange == Exchange::Bitunix);
        FUZZ_CHECK(!position.symbol.isEmpty());
        FUZZ_CHECK(!position.positionId.isEmpty());
        checkRequiredDecimal(position.size);
        FUZZ_CHECK(position.size.value >= 0);
        checkRequiredDecimal(position.entryPrice);
        checkRequiredDecimal(position.unrealizedPnl);
        checkRequiredDecimal(position.margin);
        // The client joins these from the ticker.
        FUZZ_CHECK(position.markPrice.text.isEmpty() && position.positionValue.text.isEmpty());
        checkDecimal(position.liquidationPrice);
        FUZZ_CHECK(position.liquidationPrice.text.isEmpty() || position.liquidationPrice.value > 0);
        checkDecimal(position.returnOnEquity);
        FUZZ_CHECK(position.returnOnEquity.text.isEmpty() || position.margin.value > 0);
    }
    return 0;
}
