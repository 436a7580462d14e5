#include "marketdata.h"

#include <QLocale>

namespace {

struct ExchangeNames
{
    const char *id;
    const char *shortName;
    const char *displayName;
};

ExchangeNames namesOf(Exchange exchange)
{
    switch (exchange) {
    case Exchange::Bitunix:
        return {"bitunix", "BX", "Bitunix"};
    case Exchange::Hyperliquid:
        return {"hyperliquid", "HL", "Hyperliquid"};
    }
    return {"", "", ""};
}

} // namespace

QString nameOf(Exchange exchange)
{
    return QString::fromLatin1(namesOf(exchange).id);
}

QString shortNameOf(Exchange exchange)
{
    return QString::fromLatin1(namesOf(exchange).shortName);
}

QString displayNameOf(Exchange exchange)
{
    return QString::fromLatin1(namesOf(exchange).displayName);
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
