#pragma once

#include <QString>

// What a response parser returns: the value, or a message that names the JSON path at fault
// ("$.data[3].markPrice: expected a decimal string or number, got an object"). Parsers never return
// half-parsed data: on error, value is default-constructed.
template<typename T>
struct Parsed
{
    T value {};
    QString error; // empty on success
    int apiCode = 0; // Bitunix: the non-zero "code" of an error envelope (10007, ...); 0 otherwise

    bool ok() const { return error.isEmpty(); }
};

// Bodies beyond these are refused before parsing (the HTTP client caps bodies at 8 MiB already).
constexpr qsizetype maxParsedBodyBytes = 16 * 1024 * 1024;
constexpr qsizetype maxParsedItems = 20'000;
