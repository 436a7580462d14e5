#pragma once

#include "exchanges/marketdata.h"

#include <QString>

// Every number the dashboard shows goes through these functions, so the tables, the chart labels and a CSV
// export agree. They are pure, locale-independent ('.' as decimal point) and never round-trip a received
// decimal through double when its text can be used: rounding is done on the digits as received (half away
// from zero).
//
// Absent values (an invalid Decimal, NaN) are shown as absentText(). Digit groups are separated by a narrow
// no-break space (U+202F) so that a number is never wrapped or mistaken for two; DigitGrouping::None gives
// plain text for machines (CSV). Units follow an ordinary space ("+2.12 %", "1.23 B").

enum class DigitGrouping { Grouped, None };
enum class SignStyle { NegativeOnly, Always }; // Always: "+" on positive values; zero never gets a sign

QString absentText(); // "—"
QChar digitGroupSeparator(); // U+202F

// `decimals` fixed decimals (padded or rounded). decimals < 0: the decimals of the text as received.
QString formatDecimal(const Decimal &value, int decimals = -1, SignStyle sign = SignStyle::NegativeOnly,
                      DigitGrouping grouping = DigitGrouping::Grouped);

// A price with the instrument's display precision. decimals < 0 (unknown): six significant figures, and never
// more decimals than the exchange wrote ("97010.5" -> "97 010.5", "0.00002311" -> "0.00002311",
// "1.23456789" -> "1.23457").
QString formatPrice(const Decimal &price, int decimals = -1, DigitGrouping grouping = DigitGrouping::Grouped);

// A quantity exactly as received, grouped.
QString formatSize(const Decimal &size, DigitGrouping grouping = DigitGrouping::Grouped);

// An amount of USD/USDT with two decimals.
QString formatMoney(const Decimal &amount, SignStyle sign = SignStyle::NegativeOnly,
                    DigitGrouping grouping = DigitGrouping::Grouped);

// A value that already is a percentage: formatPercent(2.1234) == "+2.12 %".
QString formatPercent(double percent, int decimals = 2, SignStyle sign = SignStyle::Always);

// A fraction shown as a percentage, exactly from its text: formatFractionAsPercent({"0.2"}) == "+20.00 %".
QString formatFractionAsPercent(const Decimal &fraction, int decimals = 2,
                                SignStyle sign = SignStyle::Always);

// An hourly funding rate (a fraction) as percent per hour: "0.0000125" -> "+0.0013 %".
QString formatFunding(const Decimal &hourlyRate);

// Large magnitudes with a suffix: 1.23e9 -> "1.23 B", 4.567e8 -> "456.7 M", 12345 -> "12.3 k", 950 ->
// "950.0". Two decimals below 10 of the unit, one above. Suffixes k, M, B, T.
QString formatCompact(double value);

// "10× cross", "5× isolated"; leverage <= 0: the margin mode alone.
QString formatLeverage(int leverage, bool isolated);

QString formatSide(Position::Side side); // "long", "short"

// A duration: "0.85 ms", "52.5 ms", "1.23 s".
QString formatMs(double ms);

// -1, 0 or +1 for a text made by the functions above: the sign as shown, so that a colour never contradicts
// the digits (-0.001 % is shown, and signed, as 0.00 %).
int signOfFormatted(const QString &text);
