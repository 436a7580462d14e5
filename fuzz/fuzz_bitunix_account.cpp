#include "exchanges/bitunix/bitunixparser.h"
#include "fuzzcheck.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto parsed = BitunixParser::account(fuzzBytes(data, size));
    checkOutcome(parsed, [](const AccountSummary &value) {
        return value.equity.text.isEmpty() && value.available.text.isEmpty()
            && value.unrealizedPnl.text.isEmpty() && value.marginUsed.text.isEmpty();
    });
    if (parsed.ok()) {
        FUZZ_CHECK(parsed.value.exchange == Exchange::Bitunix);
        checkRequiredDecimal(parsed.value.available);
        checkRequiredDecimal(parsed.value.marginUsed);
        // Sums of valid terms: absent only when they overflow a double.
        checkDecimal(parsed.value.unrealizedPnl);
        checkDecimal(parsed.value.equity);
    }
    return 0;
}
