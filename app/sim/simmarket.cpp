#include "simmarket.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

namespace {

struct Listing
{
    const char *base;
    double price; // USD, late 2026-ish
    double dailyBaseVolume;
    int szDecimals;
    int maxLeverage;
    int quotePrecision;
    int basePrecision;
    bool onBitunix;
    bool onHyperliquid;
};

// Enough variety to exercise precision: five-figure prices, sub-cent prices, thousand-unit contracts, an
// asset only one exchange lists, and one Hyperliquid has delisted.
constexpr Listing listings[] = {
    {"BTC", 97010.0, 48000, 5, 40, 1, 4, true, true},
    {"ETH", 3620.0, 510000, 4, 25, 2, 3, true, true},
    {"SOL", 212.4, 4100000, 2, 20, 3, 2, true, true},
    {"XRP", 2.384, 260000000, 0, 20, 4, 0, true, true},
    {"DOGE", 0.3912, 1900000000, 0, 10, 5, 0, true, true},
    {"BNB", 702.3, 90000, 3, 10, 2, 2, true, true},
    {"ADA", 1.0315, 380000000, 0, 10, 4, 0, true, true},
    {"AVAX", 48.72, 6200000, 2, 10, 3, 1, true, true},
    {"LINK", 27.91, 9800000, 1, 10, 3, 1, true, true},
    {"DOT", 9.874, 21000000, 1, 10, 3, 1, true, true},
    {"LTC", 128.65, 1500000, 2, 10, 2, 2, true, true},
    {"BCH", 512.8, 210000, 3, 10, 2, 2, true, true},
    {"TRX", 0.2671, 900000000, 0, 10, 5, 0, true, true},
    {"SUI", 4.512, 74000000, 1, 10, 4, 1, true, true},
    {"APT", 12.87, 16000000, 2, 10, 3, 2, true, true},
    {"ARB", 1.0412, 210000000, 1, 10, 4, 1, true, true},
    {"OP", 2.694, 52000000, 1, 10, 4, 1, true, true},
    {"NEAR", 6.873, 44000000, 1, 10, 3, 1, true, true},
    {"ATOM", 9.385, 18000000, 2, 5, 3, 2, true, true},
    {"INJ", 31.42, 5100000, 1, 10, 3, 1, true, true},
    {"AAVE", 341.6, 420000, 2, 10, 2, 2, true, true},
    {"WIF", 3.113, 150000000, 0, 5, 4, 0, true, true},
    {"HYPE", 27.83, 9300000, 2, 10, 3, 2, false, true},
    {"PEPE", 0.00002311, 42000000000000.0, 0, 10, 8, 0, true, true},
    {"MATIC", 0.3754, 0, 1, 20, 4, 0, false, true},
};

// Size::Full: after the demo's listings, as many more as the real exchanges list (Hyperliquid over 220 perps,
// about 40 of them delisted; Bitunix over 400). The universe is the same for every seed, as a real exchange's
// is on a given day; only the draws (24 h range, basis, funding, the walk) depend on the seed.
constexpr int generatedCount = 440;
constexpr int generatedOnHyperliquid = 201; // 226 with the demo's 25
constexpr int delistedEvery = 5; // of the generated Hyperliquid listings: 40, 41 with MATIC
constexpr int hyperliquidOnlyEvery = 25; // listed and live on Hyperliquid alone, as HYPE is

// Real tickers. Which exchange lists one, and whether Hyperliquid has delisted it, follows from its place in
// the list, not from the real exchanges.
struct Priced
{
    const char *base;
    double price;
};
constexpr Priced pricedNames[] = {
    {"SHIB", 0.00002184}, {"BONK", 0.00003117}, {"FLOKI", 0.0001712},
    {"LUNC", 0.00009853}, {"NEIRO", 0.0006124}, {"YFI", 7412.0},
    {"MKR", 1804.0},      {"TAO", 451.3},       {"ETC", 27.44},
};
// Priced from a hash of their place.
constexpr const char *realNames[] = {
    "TIA",    "SEI",     "JUP",   "PYTH",    "ORDI",   "STX",     "FIL",   "ICP",   "RENDER", "FTM",
    "UNI",    "CRV",     "LDO",   "SNX",     "COMP",   "SUSHI",   "DYDX",  "GMX",   "BLUR",   "IMX",
    "SAND",   "MANA",    "AXS",   "APE",     "GALA",   "ENS",     "CHZ",   "FET",   "OCEAN",  "WLD",
    "ARKM",   "ONDO",    "ENA",   "ETHFI",   "ZRO",    "ZK",      "STRK",  "MANTA", "DYM",    "PIXEL",
    "PORTAL", "AEVO",    "BOME",  "MEW",     "POPCAT", "BRETT",   "MOG",   "TURBO", "NOT",    "TON",
    "HBAR",   "XLM",     "ALGO",  "VET",     "EOS",    "XTZ",     "KAS",   "RUNE",  "THETA",  "EGLD",
    "FLOW",   "MINA",    "NEO",   "IOTA",    "ZEC",    "DASH",    "XMR",   "QNT",   "GRT",    "LRC",
    "CAKE",   "KAVA",    "ROSE",  "CFX",     "ACE",    "BIGTIME", "MEME",  "TRB",   "GAS",    "POLYX",
    "SUPER",  "USTC",    "RSR",   "ORBS",    "BNT",    "HOOK",    "MAV",   "JOE",   "WOO",    "CELO",
    "ZIL",    "ANKR",    "RVN",   "ENJ",     "BAT",    "ICX",     "IOTX",  "ONE",   "QTUM",   "SKL",
    "STORJ",  "SXP",     "BAND",  "ZEN",     "KNC",    "BAL",     "UMA",   "ILV",   "RDNT",   "PENDLE",
    "JTO",    "TNSR",    "SAGA",  "OMNI",    "REZ",    "LISTA",   "ZETA",  "HMSTR", "EIGEN",  "SCR",
    "GOAT",   "MOODENG", "PNUT",  "VIRTUAL", "AIXBT",  "BERA",    "KAITO", "LAYER", "ANIME",  "SPX",
    "GRASS",  "MOVE",    "USUAL", "PENGU",   "ALT",    "GMT",     "MASK",  "LPT",   "SSV",    "NTRN",
    "BLAST",  "MERL",    "ZORA",  "INIT",    "SOPH",   "BABY",    "PUMP",  "LINEA", "WLFI",   "ASTER",
    "ID",     "IO",      "BB",    "ME",      "IP"};

// The rest: made-up tickers, a prefix and a suffix each, in a fixed shuffle.
constexpr const char *prefixes[] = {"AX",  "BYT", "CEL", "DRA", "ELX", "FYN", "GLO", "HEX", "IRI",
                                    "JOV", "KAI", "LYR", "MOX", "NOV", "OXA", "PRY", "QUI", "RHO",
                                    "SKY", "TOR", "UMB", "VEL", "WAV", "XEN", "YON", "ZEP"};
constexpr const char *suffixes[] = {"",   "A",  "O",  "X",  "Z",  "IS", "ON",
                                    "UM", "AR", "EX", "IO", "US", "AI", "FI"};

// SplitMix64: a portable hash (std::uniform_real_distribution is not the same in every standard library).
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Uniform in [0, 1) from the hash of (i, salt).
double unit(int i, int salt)
{
    return double(mix(quint64(i) * 0x100000001b3ULL + quint64(salt)) >> 11) * 0x1.0p-53;
}

double fiveFigures(double value)
{
    const double scale = std::pow(10.0, 4 - std::floor(std::log10(value)));
    return std::round(value * scale) / scale;
}

// Per base unit, 1e-5 to 1e5; most between a tenth of a cent and a hundred dollars, as on the real lists.
// A real name keeps to a cent to a hundred dollars: "kTIA" would look wrong.
double drawnPrice(int i, bool realName)
{
    const double magnitude = unit(i, 1);
    const double within = unit(i, 2);
    double exponent = -3 + 5 * within;
    if (realName)
        exponent = -2 + 4 * within;
    else if (magnitude < 0.05)
        exponent = -5 + within; // thousand-unit contracts
    else if (magnitude < 0.10)
        exponent = -4 + within; // thousand-unit contracts
    else if (magnitude < 0.14)
        exponent = 3 + 2 * within;
    return fiveFigures(std::pow(10.0, exponent));
}

} // namespace

QString decimalText(double value, int decimals, bool keepPointZero)
{
    if (!std::isfinite(value))
        value = 0;
    QString text = QString::number(value, 'f', std::max(0, decimals));
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    if (text == QLatin1String("-0"))
        text = QStringLiteral("0");
    if (keepPointZero && !text.contains(QLatin1Char('.')))
        text += QStringLiteral(".0");
    return text;
}

QString hyperliquidPriceText(double price, int szDecimals)
{
    if (price <= 0 || !std::isfinite(price))
        return QStringLiteral("0.0");
    const int integerDigits = int(std::floor(std::log10(price))) + 1; // 0 or less below 1
    const int decimals = std::clamp(5 - integerDigits, 0, std::max(0, 6 - szDecimals));
    return decimalText(price, decimals, true);
}

struct SimMarket::Shape
{
    QString base;
    QString bitunixSymbol;
    QString hyperliquidName;
    double contractUnit = 1;
    int szDecimals = 2;
    int maxLeverage = 20;
    bool delisted = false;
    int quotePrecision = 2;
    int basePrecision = 2;
    double price = 0;
    double dailyBaseVolume = 0;
    double openInterestShare = 0.4; // of the daily volume
};

QList<SimMarket::Shape> SimMarket::fullUniverse(const QList<SimInstrument> &listed)
{
    QSet<QString> taken;
    for (const SimInstrument &in : listed)
        taken.insert(in.base);
    struct Name
    {
        QString base;
        double price; // 0: drawn
        bool real;
    };
    QList<Name> names;
    auto take = [&taken, &names](const QString &base, double price, bool real) {
        if (names.size() < generatedCount && !taken.contains(base)) {
            taken.insert(base);
            names.append({base, price, real});
        }
    };
    for (const Priced &named : pricedNames)
        take(QString::fromLatin1(named.base), named.price, true);
    for (const char *base : realNames)
        take(QString::fromLatin1(base), 0, true);
    constexpr int prefixCount = int(std::size(prefixes));
    constexpr int combinations = prefixCount * int(std::size(suffixes));
    static_assert(std::gcd(97, combinations) == 1);
    for (int k = 0; k < combinations; ++k) {
        const int c = k * 97 % combinations; // every combination once, shuffled
        take(QLatin1String(prefixes[c % prefixCount]) + QLatin1String(suffixes[c / prefixCount]), 0, false);
    }

    QList<Shape> shapes;
    int hyperliquidIndex = 0;
    for (int i = 0; i < names.size(); ++i) {
        Shape shape;
        shape.base = names[i].base;
        shape.price = names[i].price > 0 ? names[i].price : drawnPrice(i, names[i].real);

        // Spread evenly: a Hyperliquid listing every 440/201 generated ones, a delisting every fifth of
        // those.
        const bool onHyperliquid =
            (i + 1) * generatedOnHyperliquid / generatedCount != i * generatedOnHyperliquid / generatedCount;
        bool onBitunix = true;
        if (onHyperliquid) {
            const int j = hyperliquidIndex++;
            shape.delisted = j % delistedEvery == delistedEvery - 2;
            onBitunix = !shape.delisted && j % hyperliquidOnlyEvery != hyperliquidOnlyEvery / 2;
        }

        const bool thousand = shape.price < 1e-3;
        shape.contractUnit = thousand ? 1000 : 1;
        if (onBitunix)
            shape.bitunixSymbol =
                (thousand ? QStringLiteral("1000") : QString()) + shape.base + QStringLiteral("USDT");
        if (onHyperliquid)
            shape.hyperliquidName = (thousand ? QStringLiteral("k") : QString()) + shape.base;

        // As the demo's listings have them: a size step worth cents to a dollar, prices to five figures or
        // so.
        const double contractPrice = shape.price * shape.contractUnit;
        const int magnitude = int(std::floor(std::log10(contractPrice)));
        const int nudge = unit(i, 3) < 0.35 ? 1 : 0;
        shape.szDecimals = std::clamp(int(std::lround(std::log10(contractPrice))) + nudge, 0, 5);
        shape.quotePrecision = std::clamp(4 - magnitude + (unit(i, 4) < 0.5 ? 1 : 0), 1, 8);
        shape.basePrecision = std::clamp(shape.szDecimals - (unit(i, 5) < 0.6 ? 1 : 0), 0, 4);
        constexpr int leverages[] = {3, 3, 5, 5, 5, 10, 10, 10, 20, 25};
        shape.maxLeverage = leverages[int(unit(i, 6) * std::size(leverages))];
        // Ten thousand to half a billion dollars a day.
        shape.dailyBaseVolume = shape.delisted ? 0 : std::pow(10.0, 4 + 4.7 * unit(i, 7)) / shape.price;
        shape.openInterestShare = 0.2 + 0.6 * unit(i, 8);
        shapes.append(shape);
    }
    return shapes;
}

SimMarket::SimMarket(quint32 seed, Size size)
    : m_random(seed)
{
    for (const Listing &l : listings) {
        const QString base = QString::fromLatin1(l.base);
        const bool pepe = base == QLatin1String("PEPE");
        Shape shape;
        shape.base = base;
        if (l.onBitunix)
            shape.bitunixSymbol = (pepe ? QStringLiteral("1000PEPE") : base) + QStringLiteral("USDT");
        if (l.onHyperliquid)
            shape.hyperliquidName = pepe ? QStringLiteral("kPEPE") : base;
        shape.contractUnit = pepe ? 1000 : 1;
        shape.szDecimals = l.szDecimals;
        shape.maxLeverage = l.maxLeverage;
        shape.delisted = base == QLatin1String("MATIC");
        shape.quotePrecision = pepe ? 7 : l.quotePrecision;
        shape.basePrecision = l.basePrecision;
        shape.price = l.price;
        shape.dailyBaseVolume = l.dailyBaseVolume;
        add(shape);
    }
    if (size == Size::Full) {
        for (const Shape &shape : fullUniverse(m_instruments))
            add(shape);
    }
}

void SimMarket::add(const Shape &shape)
{
    // The order of the draws is part of a seed's market: the demo's must stay as they are.
    SimInstrument in;
    in.base = shape.base;
    in.bitunixSymbol = shape.bitunixSymbol;
    in.hyperliquidName = shape.hyperliquidName;
    in.contractUnit = shape.contractUnit;
    in.szDecimals = shape.szDecimals;
    in.maxLeverage = shape.maxLeverage;
    in.marginTableId = shape.maxLeverage;
    in.delisted = shape.delisted;
    in.quotePrecision = shape.quotePrecision;
    in.basePrecision = shape.basePrecision;
    in.bitunixMaxLeverage = shape.maxLeverage >= 25 ? 125 : 75;

    in.price = shape.price;
    in.open24h = shape.price * std::exp(0.03 * normal());
    in.high24h = std::max(in.price, in.open24h) * (1 + 0.01 * std::abs(normal()));
    in.low24h = std::min(in.price, in.open24h) * (1 - 0.01 * std::abs(normal()));
    in.baseVolume24h = shape.dailyBaseVolume * (0.8 + 0.4 * std::abs(normal()) / 2);
    in.openInterest = in.delisted ? 0 : shape.dailyBaseVolume * shape.openInterestShare;
    in.funding = in.delisted ? 0 : 0.0000125 + 0.00002 * normal();
    in.bitunixBasis = 0.0002 * normal();
    in.hyperliquidBasis = 0.0002 * normal();
    // About 60 % a year, so that a demo visibly moves; delisted assets are frozen.
    in.volatility = in.delisted ? 0 : 0.6 / std::sqrt(365.0 * 24 * 3600) * (1 + 0.5 * std::abs(normal()));
    m_instruments.append(in);
}

void SimMarket::tick(double seconds)
{
    if (seconds <= 0)
        return;
    for (SimInstrument &in : m_instruments) {
        if (in.delisted)
            continue;
        // Ten times the nominal volatility: a calm market is a dull demo.
        const double step = std::exp(10 * in.volatility * std::sqrt(seconds) * normal());
        if (!in.held)
            in.price *= step;
        in.high24h = std::max(in.high24h, in.price);
        in.low24h = std::min(in.low24h, in.price);
        in.baseVolume24h *= 1 + 0.001 * normal() * std::sqrt(seconds);
        in.openInterest = std::max(0.0, in.openInterest * (1 + 0.0005 * normal() * std::sqrt(seconds)));
        in.funding = std::clamp(in.funding + 0.000001 * normal() * std::sqrt(seconds), -0.0005, 0.0005);
        in.bitunixBasis = std::clamp(in.bitunixBasis + 0.00002 * normal(), -0.001, 0.001);
        in.hyperliquidBasis = std::clamp(in.hyperliquidBasis + 0.00002 * normal(), -0.001, 0.001);
    }
}

const SimInstrument *SimMarket::bySymbol(const QString &bitunixSymbol) const
{
    for (const SimInstrument &in : m_instruments) {
        if (!in.bitunixSymbol.isEmpty() && in.bitunixSymbol == bitunixSymbol)
            return &in;
    }
    return nullptr;
}

bool SimMarket::holdPrice(const QString &base, double price)
{
    if (!(price > 0) || !std::isfinite(price))
        return false;
    for (SimInstrument &in : m_instruments) {
        if (in.base != base || in.delisted)
            continue;
        in.price = price;
        in.high24h = std::max(in.high24h, price);
        in.low24h = std::min(in.low24h, price);
        in.held = true;
        return true;
    }
    return false;
}

bool SimMarket::releasePrice(const QString &base)
{
    for (SimInstrument &in : m_instruments) {
        if (in.base == base) {
            in.held = false;
            return true;
        }
    }
    return false;
}

const SimInstrument *SimMarket::byName(const QString &hyperliquidName) const
{
    for (const SimInstrument &in : m_instruments) {
        if (!in.hyperliquidName.isEmpty() && in.hyperliquidName == hyperliquidName)
            return &in;
    }
    return nullptr;
}
