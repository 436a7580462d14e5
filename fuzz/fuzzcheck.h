#pragma once

#include "exchanges/jsonreader.h"
#include "exchanges/marketdata.h"
#include "exchanges/parsed.h"

#include <QByteArray>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Every target defines this; libFuzzer calls it, and so does replaymain.cpp in builds without libFuzzer.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// An invariant that does not hold is a finding: abort, so that libFuzzer saves the input and a replay fails.
#define FUZZ_CHECK(condition)                                                                                \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition);           \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (false)

inline QByteArray fuzzBytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// A Decimal is absent (empty text) or a finite number whose text is a decimal the value was read from.
inline void checkDecimal(const Decimal &decimal)
{
    if (decimal.text.isEmpty())
        return;
    FUZZ_CHECK(std::isfinite(decimal.value));
    FUZZ_CHECK(isDecimalText(decimal.text));
    FUZZ_CHECK(decimal.text.toDouble() == decimal.value);
}

inline void checkRequiredDecimal(const Decimal &decimal)
{
    FUZZ_CHECK(decimal.isValid());
    checkDecimal(decimal);
}

// parsed.h: a failure carries a message and no value; an API code only comes with a failure.
template<typename T, typename IsDefault>
void checkOutcome(const Parsed<T> &parsed, IsDefault isDefault)
{
    if (!parsed.ok())
        FUZZ_CHECK(isDefault(parsed.value));
    if (parsed.apiCode != 0)
        FUZZ_CHECK(!parsed.ok());
}
