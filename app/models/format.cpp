#include "format.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>

namespace {

// A decimal as sign and digit strings, so that rounding and scaling by powers of ten are exact.
struct Digits
{
    bool negative = false;
    QString integer = QStringLiteral("0"); // no leading zeros, at least one digit
    QString fraction;

    bool isZero() const
    {
        return integer == QLatin1String("0")
            && std::all_of(fraction.cbegin(), fraction.cend(), [](QChar c) { return c == u'0'; });
    }
};

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

void stripLeadingZeros(Digits &d)
{
    qsizetype zeros = 0;
    while (zeros < d.integer.size() - 1 && d.integer.at(zeros) == u'0')
        ++zeros;
    d.integer.remove(0, zeros);
    if (d.integer.isEmpty())
        d.integer = QStringLiteral("0");
}

// "[+-]digits[.digits]", as the exchanges write decimals; anything else (exponents, spaces) is not plain.
std::optional<Digits> parsePlain(QStringView text)
{
    Digits d;
    qsizetype i = 0;
    const qsizetype n = text.size();
    if (i < n && (text[i] == u'+' || text[i] == u'-')) {
        d.negative = text[i] == u'-';
        ++i;
    }
    const qsizetype integerStart = i;
    while (i < n && isAsciiDigit(text[i]))
        ++i;
    d.integer = text.mid(integerStart, i - integerStart).toString();
    if (i < n && text[i] == u'.') {
        const qsizetype fractionStart = ++i;
        while (i < n && isAsciiDigit(text[i]))
            ++i;
        d.fraction = text.mid(fractionStart, i - fractionStart).toString();
    }
    if (i != n || (d.integer.isEmpty() && d.fraction.isEmpty()))
        return std::nullopt;
    stripLeadingZeros(d);
    return d;
}

// Valid decimals only. The text when it is plain, else the shortest text that reads back as the value.
Digits digitsOf(const Decimal &value)
{
    if (auto plain = parsePlain(value.text))
        return *plain;
    return *parsePlain(QString::number(value.value, 'f', QLocale::FloatingPointShortest));
}

Digits digitsOf(double value, int decimals)
{
    return *parsePlain(QString::number(value, 'f', decimals));
}

// Multiplies by 10^places.
void shiftLeft(Digits &d, int places)
{
    if (d.fraction.size() < places)
        d.fraction += QString(places - d.fraction.size(), u'0');
    d.integer += d.fraction.left(places);
    d.fraction.remove(0, places);
    stripLeadingZeros(d);
}

// Half away from zero, on the digits.
void roundTo(Digits &d, int decimals)
{
    if (d.fraction.size() <= decimals) {
        d.fraction += QString(decimals - d.fraction.size(), u'0');
        return;
    }
    const bool up = d.fraction.at(decimals) >= u'5';
    d.fraction.truncate(decimals);
    if (!up)
        return;
    QString all = d.integer + d.fraction;
    qsizetype i = all.size() - 1;
    for (; i >= 0; --i) {
        if (all[i] != u'9') {
            all[i] = QChar(all[i].unicode() + 1);
            break;
        }
        all[i] = u'0';
    }
    if (i < 0)
        all.prepend(u'1');
    d.integer = all.left(all.size() - decimals);
    d.fraction = all.right(decimals);
}

QString render(const Digits &d, SignStyle sign, DigitGrouping grouping)
{
    QString out;
    if (!d.isZero()) {
        if (d.negative)
            out += u'-';
        else if (sign == SignStyle::Always)
            out += u'+';
    }
    if (grouping == DigitGrouping::Grouped && d.integer.size() > 3) {
        const qsizetype head = d.integer.size() % 3;
        for (qsizetype i = 0; i < d.integer.size(); ++i) {
            if (i > 0 && (i - head) % 3 == 0)
                out += digitGroupSeparator();
            out += d.integer.at(i);
        }
    } else {
        out += d.integer;
    }
    if (!d.fraction.isEmpty()) {
        out += u'.';
        out += d.fraction;
    }
    return out;
}

bool isAbsent(double value)
{
    return !std::isfinite(value);
}

} // namespace

QString absentText()
{
    return QStringLiteral("—");
}

QChar digitGroupSeparator()
{
    return QChar(0x202F);
}

QString formatDecimal(const Decimal &value, int decimals, SignStyle sign, DigitGrouping grouping)
{
    if (!value.isValid())
        return absentText();
    Digits d = digitsOf(value);
    if (decimals >= 0)
        roundTo(d, decimals);
    return render(d, sign, grouping);
}

QString formatPrice(const Decimal &price, int decimals, DigitGrouping grouping)
{
    if (!price.isValid())
        return absentText();
    Digits d = digitsOf(price);
    if (decimals < 0) {
        constexpr int significant = 6;
        int wanted;
        if (d.integer != QLatin1String("0")) {
            wanted = std::max<int>(0, significant - d.integer.size());
        } else {
            qsizetype zeros = 0;
            while (zeros < d.fraction.size() && d.fraction.at(zeros) == u'0')
                ++zeros;
            wanted = int(zeros) + significant;
        }
        decimals = std::min<int>(wanted, d.fraction.size());
    }
    roundTo(d, decimals);
    return render(d, SignStyle::NegativeOnly, grouping);
}

QString formatSize(const Decimal &size, DigitGrouping grouping)
{
    return formatDecimal(size, -1, SignStyle::NegativeOnly, grouping);
}

QString formatMoney(const Decimal &amount, SignStyle sign, DigitGrouping grouping)
{
    return formatDecimal(amount, 2, sign, grouping);
}

QString formatPercent(double percent, int decimals, SignStyle sign)
{
    if (isAbsent(percent))
        return absentText();
    return render(digitsOf(percent, decimals), sign, DigitGrouping::Grouped) + QStringLiteral(" %");
}

QString formatFractionAsPercent(const Decimal &fraction, int decimals, SignStyle sign)
{
    if (!fraction.isValid())
        return absentText();
    Digits d = digitsOf(fraction);
    shiftLeft(d, 2);
    roundTo(d, decimals);
    return render(d, sign, DigitGrouping::Grouped) + QStringLiteral(" %");
}

QString formatFunding(const Decimal &hourlyRate)
{
    return formatFractionAsPercent(hourlyRate, 4, SignStyle::Always);
}

QString formatCompact(double value)
{
    if (isAbsent(value))
        return absentText();
    static const char *const suffixes[] = {"", " k", " M", " B", " T"};
    constexpr int lastUnit = int(std::size(suffixes)) - 1;
    double magnitude = std::abs(value);
    int unit = 0;
    while (unit < lastUnit && magnitude >= 1000) {
        magnitude /= 1000;
        ++unit;
    }
    // Rounding can carry into the next decimal or unit: 9.996 is "10.0", 999.96 k is "1.00 M".
    Digits d = digitsOf(magnitude, magnitude < 10 ? 2 : 1);
    if (d.integer.size() >= 4 && unit < lastUnit) {
        magnitude = d.integer.toDouble() / 1000;
        ++unit;
        d = digitsOf(magnitude, 2);
    } else if (d.integer.size() >= 2 && d.fraction.size() == 2) {
        d = digitsOf(magnitude, 1);
    }
    d.negative = value < 0;
    return render(d, SignStyle::NegativeOnly, DigitGrouping::Grouped) + QLatin1String(suffixes[unit]);
}

QString formatLeverage(int leverage, bool isolated)
{
    const QString mode = isolated ? QStringLiteral("isolated") : QStringLiteral("cross");
    if (leverage <= 0)
        return mode;
    return QString::number(leverage) + QStringLiteral("× ") + mode;
}

QString formatSide(Position::Side side)
{
    return side == Position::Side::Long ? QStringLiteral("long") : QStringLiteral("short");
}

QString formatMs(double ms)
{
    if (isAbsent(ms))
        return absentText();
    const double magnitude = std::abs(ms);
    if (magnitude < 1)
        return render(digitsOf(ms, 2), SignStyle::NegativeOnly, DigitGrouping::Grouped)
            + QStringLiteral(" ms");
    Digits d = digitsOf(ms, 1);
    if (d.integer.size() < 4)
        return render(d, SignStyle::NegativeOnly, DigitGrouping::Grouped) + QStringLiteral(" ms");
    return render(digitsOf(ms / 1000, 2), SignStyle::NegativeOnly, DigitGrouping::Grouped)
        + QStringLiteral(" s");
}

int signOfFormatted(const QString &text)
{
    if (text.startsWith(u'+'))
        return 1;
    if (text.startsWith(u'-'))
        return -1;
    return 0;
}
