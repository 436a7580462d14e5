#include "marketdata.h"

#include <QLocale>

QString nameOf(Exchange exchange)
{
    switch (exchange) {
    case Exchange::Bitunix:
        return QStringLiteral("bitunix");
    case Exchange::Hyperliquid:
        return QStringLiteral("hyperliquid");
    }
    return {};
}

QString shortNameOf(Exchange exchange)
{
    switch (exchange) {
    case Exchange::Bitunix:
        return QStringLiteral("BX");
    case Exchange::Hyperliquid:
        return QStringLiteral("HL");
    }
    return {};
}

QString displayNameOf(Exchange exchange)
{
    switch (exchange) {
    case Exchange::Bitunix:
        return QStringLiteral("Bitunix");
    case Exchange::Hyperliquid:
        return QStringLiteral("Hyperliquid");
    }
    return {};
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
