#include "marketdata.h"

#include <QLocale>

QString nameOf(Exchange exchange)
{
    return exchange == Exchange::Bitunix ? QStringLiteral("bitunix") : QStringLiteral("hyperliquid");
}

QString shortNameOf(Exchange exchange)
{
    return exchange == Exchange::Bitunix ? QStringLiteral("BX") : QStringLiteral("HL");
}

Decimal Decimal::fromValue(double value)
{
    Decimal d;
    if (std::isfinite(value)) {
        d.value = value;
        d.text = QString::number(value, 'f', QLocale::FloatingPointShortest);
    }
    return d;
}

double Ticker::change24hPercent() const
{
    const Decimal &now = last.isValid() ? last : mark;
    if (!now.isValid() || !open24h.isValid() || open24h.value == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return (now.value - open24h.value) / open24h.value * 100.0;
}
