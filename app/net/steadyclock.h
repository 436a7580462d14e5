#pragma once

#include <QtGlobal>

#include <chrono>

// Nanoseconds on the machine's monotonic clock (CLOCK_MONOTONIC on Linux): one time line for every thread and
// every process on this machine, so that the client's marks and exsim's can be compared.
inline qint64 steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
