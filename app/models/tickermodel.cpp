#include "tickermodel.h"

#include <cmath>

#include "format.h"

#include <QDateTime>

using namespace KeyedTableModelDetail;

namespace {

using Column = TickerModel::Column;

bool isNumeric(Column column)
{
    return column != Column::Exchange && column != Column::Symbol;
}

// Open interest is received in coins; in USD it compares across symbols, like the volume next to it.
double openInterestUsd(const Ticker &t)
{
    const Decimal &price = t.mark.isValid() ? t.mark : t.last;
    return valueOf(t.openInterest) * valueOf(price);
}

// Hyperliquid's priceDecimals (6 - szDecimals) is an upper bound; its prices carry five significant figures.
// Padding every price to the bound would print 2.385800: show the figures the exchange can have.
int shownPriceDecimals(const Ticker &t, const Decimal &price)
{
    if (t.exchange != Exchange::Hyperliquid || t.priceDecimals < 0 || !price.isValid() || price.value <= 0)
        return t.priceDecimals;
    const int integerDigits = int(std::floor(std::log10(price.value))) + 1;
    return std::clamp(5 - integerDigits, 0, t.priceDecimals);
}

QString display(const Ticker &t, Column column)
{
    switch (column) {
    case Column::Exchange:
        return shortNameOf(t.exchange);
    case Column::Symbol:
        return t.delisted ? TickerModel::tr("%1 (delisted)").arg(t.symbol) : t.symbol;
    case Column::Last:
        return formatPrice(t.last, shownPriceDecimals(t, t.last));
    case Column::Mark:
        return formatPrice(t.mark, shownPriceDecimals(t, t.mark));
    case Column::Change24h:
        return formatPercent(t.change24hPercent());
    case Column::Volume:
        return formatCompact(valueOf(t.volumeQuote));
    case Column::Funding:
        return formatFunding(t.funding);
    case Column::OpenInterest:
        return formatCompact(openInterestUsd(t));
    }
    return {};
}

QVariant sortKey(const Ticker &t, Column column)
{
    switch (column) {
    case Column::Exchange:
        return shortNameOf(t.exchange);
    case Column::Symbol:
        return t.symbol;
    case Column::Last:
        return valueOf(t.last);
    case Column::Mark:
        return valueOf(t.mark);
    case Column::Change24h:
        return t.change24hPercent();
    case Column::Volume:
        return valueOf(t.volumeQuote);
    case Column::Funding:
        return valueOf(t.funding);
    case Column::OpenInterest:
        return openInterestUsd(t);
    }
    return {};
}

QVariant fundingToolTip(const Ticker &t)
{
    if (!t.funding.isValid())
        return {};
    QStringList lines {QStringLiteral("per hour: %1").arg(t.funding.text)};
    if (t.fundingIntervalHours > 0) {
        // Exact for the usual intervals (1, 4, 8 h): a power of two undoes the division bit for bit.
        const Decimal perInterval = Decimal::fromValue(t.funding.value * t.fundingIntervalHours);
        lines
            << TickerModel::tr("paid every %n h: %1", nullptr, t.fundingIntervalHours).arg(perInterval.text);
    }
    if (t.nextFundingMs > 0)
        lines << TickerModel::tr("next: %1")
                     .arg(QDateTime::fromMSecsSinceEpoch(t.nextFundingMs, Qt::UTC)
                              .toString(QStringLiteral("yyyy-MM-dd hh:mm 'UTC'")));
    return lines.join(QLatin1Char('\n'));
}

QVariant toolTip(const Ticker &t, Column column)
{
    switch (column) {
    case Column::Exchange:
        return nameOf(t.exchange);
    case Column::Symbol:
        return t.delisted ? QVariant(TickerModel::tr("Delisted: shown because a position holds it"))
                          : QVariant();
    case Column::Last:
        return t.exchange == Exchange::Hyperliquid ? rawTexts({{QStringLiteral("mid"), t.last}})
                                                   : rawTexts({{QStringLiteral("last trade"), t.last}});
    case Column::Mark:
        return rawTexts({{QStringLiteral("mark"), t.mark}, {QStringLiteral("oracle"), t.oracle}});
    case Column::Change24h:
        return rawTexts({{QStringLiteral("open 24 h"), t.open24h},
                         {QStringLiteral("last"), t.last.isValid() ? t.last : t.mark},
                         {QStringLiteral("high 24 h"), t.high24h},
                         {QStringLiteral("low 24 h"), t.low24h}});
    case Column::Volume:
        return rawTexts({{QStringLiteral("USD"), t.volumeQuote}, {QStringLiteral("coins"), t.volumeBase}});
    case Column::Funding:
        return fundingToolTip(t);
    case Column::OpenInterest:
        if (t.exchange == Exchange::Bitunix && !t.openInterest.isValid())
            return TickerModel::tr("Bitunix publishes no open interest");
        return rawTexts({{QStringLiteral("coins"), t.openInterest}});
    }
    return {};
}

} // namespace

TickerModel::TickerModel(QObject *parent)
    : KeyedTableModel<TickerRow>(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{ }

int TickerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TickerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    const auto column = Column(section);
    if (role == Qt::TextAlignmentRole)
        return alignment(isNumeric(column));
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const bool tip = role == Qt::ToolTipRole;
    switch (column) {
    case Column::Exchange:
        return tip ? tr("BX: Bitunix futures, HL: Hyperliquid perps") : tr("Exchange");
    case Column::Symbol:
        return tip ? tr("Symbol as the exchange names it") : tr("Symbol");
    case Column::Last:
        return tip ? tr("Bitunix: last traded price. Hyperliquid: mid price (allMids), its freshest price; "
                        "uPnL uses the mark.")
                   : tr("Last / mid");
    case Column::Mark:
        return tip ? tr("Mark price. Hyperliquid's comes with funding and open interest, less often than "
                        "its mid.")
                   : tr("Mark");
    case Column::Change24h:
        return tip ? tr("Change over 24 hours") : tr("24h change");
    case Column::Volume:
        return tip ? tr("Traded value over 24 hours, in USD") : tr("Volume 24h");
    case Column::Funding:
        return tip ? tr("Funding rate per hour (Bitunix: its rate over its funding interval)")
                   : tr("Funding / h");
    case Column::OpenInterest:
        return tip ? tr("Open interest in USD, at mark (Hyperliquid only: Bitunix publishes none)")
                   : tr("Open interest");
    }
    return {};
}

QHash<int, QByteArray> TickerModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sort");
    names.insert(ChangeSignRole, "changeSign");
    names.insert(PriceMoveRole, "priceMove");
    names.insert(PriceMovedAtRole, "priceMovedAt");
    return names;
}

int TickerModel::rowOf(Exchange exchange, const QString &symbol) const
{
    return rowOfKey({exchange, symbol});
}

Ticker TickerModel::ticker(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return rowAt(row).ticker;
}

void TickerModel::setClock(std::function<qint64()> msSinceEpoch)
{
    m_clock = std::move(msSinceEpoch);
}

void TickerModel::setTickers(Exchange exchange, const QList<Ticker> &tickers)
{
    m_received.insert(int(exchange), tickers);
    showGroup(exchange);
}

void TickerModel::setHeldSymbols(Exchange exchange, const QSet<QString> &symbols)
{
    if (m_held.value(int(exchange)) == symbols)
        return;
    m_held.insert(int(exchange), symbols);
    showGroup(exchange);
}

void TickerModel::setHeldPositions(Exchange exchange, const QList<Position> &positions)
{
    QSet<QString> symbols;
    for (const Position &p : positions)
        symbols.insert(p.symbol);
    setHeldSymbols(exchange, symbols);
}

void TickerModel::showGroup(Exchange exchange)
{
    const QList<Ticker> tickers = m_received.value(int(exchange));
    const QSet<QString> held = m_held.value(int(exchange));
    QList<TickerRow> rows;
    rows.reserve(tickers.size());
    for (const Ticker &ticker : tickers) {
        // Nobody can trade a delisted asset: it is noise, unless a position still holds it.
        if (ticker.delisted && !held.contains(ticker.symbol))
            continue;
        TickerRow row;
        row.ticker = ticker;
        row.ticker.exchange = exchange;
        rows.append(std::move(row));
    }
    replaceGroup(exchange, std::move(rows));
}

const QString &TickerModel::shownText(const TickerRow &row, Column column) const
{
    static_assert(std::tuple_size_v<decltype(TickerRow::shown)> == ColumnCount);
    const auto bit = quint16(1u << int(column));
    if (!(row.shownColumns & bit)) {
        row.shown[int(column)] = display(row.ticker, column);
        row.shownColumns |= bit;
    }
    return row.shown[int(column)];
}

QVariant TickerModel::cellData(const TickerRow &row, int column, int role) const
{
    const Ticker &t = row.ticker;
    const auto col = Column(column);
    switch (role) {
    case Qt::DisplayRole:
        return shownText(row, col);
    case SortRole:
        return sortKey(t, col);
    case Qt::ToolTipRole:
        return toolTip(t, col);
    case Qt::TextAlignmentRole:
        return alignment(isNumeric(col));
    case ChangeSignRole:
        if (col == Column::Change24h)
            return signOfFormatted(shownText(row, col));
        break;
    case PriceMoveRole:
        if (col == Column::Last)
            return row.priceMove;
        break;
    case PriceMovedAtRole:
        if (col == Column::Last && row.priceMovedAtMs > 0)
            return row.priceMovedAtMs;
        break;
    default:
        break;
    }
    return {};
}

bool TickerModel::sameCell(const TickerRow &before, const TickerRow &after, int column) const
{
    const Ticker &a = before.ticker;
    const Ticker &b = after.ticker;
    const auto same = [&](std::initializer_list<Decimal Ticker::*> fields) {
        for (Decimal Ticker::*field : fields) {
            if ((a.*field).text != (b.*field).text)
                return false;
        }
        return a.priceDecimals == b.priceDecimals && a.exchange == b.exchange;
    };
    switch (Column(column)) {
    case Column::Exchange:
        return a.exchange == b.exchange;
    case Column::Symbol:
        return a.symbol == b.symbol && a.delisted == b.delisted;
    case Column::Last:
        return same({&Ticker::last}) && before.priceMove == after.priceMove
            && before.priceMovedAtMs == after.priceMovedAtMs;
    case Column::Mark:
        return same({&Ticker::mark, &Ticker::oracle});
    case Column::Change24h:
        return same({&Ticker::last, &Ticker::mark, &Ticker::open24h, &Ticker::high24h, &Ticker::low24h});
    case Column::Volume:
        return same({&Ticker::volumeQuote, &Ticker::volumeBase});
    case Column::Funding:
        return same({&Ticker::funding}) && a.fundingIntervalHours == b.fundingIntervalHours
            && a.nextFundingMs == b.nextFundingMs;
    case Column::OpenInterest: // at mark, or at last without one
        return same({&Ticker::openInterest, &Ticker::mark})
            && (a.mark.isValid() || a.last.text == b.last.text);
    }
    return false;
}

std::optional<bool> TickerModel::sameInRole(const TickerRow &before, const TickerRow &after, int column,
                                            int role) const
{
    const Ticker &a = before.ticker;
    const Ticker &b = after.ticker;
    const auto texts = [](std::initializer_list<std::pair<const Decimal &, const Decimal &>> pairs) {
        for (const auto &[x, y] : pairs) {
            if (x.text != y.text)
                return false;
        }
        return true;
    };
    if (role == PriceMoveRole)
        return Column(column) != Column::Last || before.priceMove == after.priceMove;
    if (role == PriceMovedAtRole)
        return Column(column) != Column::Last || before.priceMovedAtMs == after.priceMovedAtMs;
    if (role != Qt::ToolTipRole)
        return std::nullopt;
    // What toolTip() quotes, field by field.
    switch (Column(column)) {
    case Column::Exchange:
        return a.exchange == b.exchange;
    case Column::Symbol:
        return a.delisted == b.delisted;
    case Column::Last:
        return a.exchange == b.exchange && texts({{a.last, b.last}});
    case Column::Mark:
        return texts({{a.mark, b.mark}, {a.oracle, b.oracle}});
    case Column::Change24h:
        return texts({{a.open24h, b.open24h},
                      {a.last.isValid() ? a.last : a.mark, b.last.isValid() ? b.last : b.mark},
                      {a.high24h, b.high24h},
                      {a.low24h, b.low24h}});
    case Column::Volume:
        return texts({{a.volumeQuote, b.volumeQuote}, {a.volumeBase, b.volumeBase}});
    case Column::Funding:
        if (!a.funding.isValid() && !b.funding.isValid())
            return true; // no tooltip either way
        return texts({{a.funding, b.funding}}) && a.fundingIntervalHours == b.fundingIntervalHours
            && a.nextFundingMs == b.nextFundingMs;
    case Column::OpenInterest:
        return a.exchange == b.exchange && texts({{a.openInterest, b.openInterest}});
    }
    return std::nullopt;
}

QList<int> TickerModel::changingRoles() const
{
    return {Qt::DisplayRole, SortRole, Qt::ToolTipRole, ChangeSignRole, PriceMoveRole, PriceMovedAtRole};
}

void TickerModel::carryOver(const TickerRow &before, TickerRow &after) const
{
    const double was = valueOf(before.ticker.last);
    const double now = valueOf(after.ticker.last);
    after.priceMove = (std::isnan(was) || std::isnan(now) || was == now) ? 0 : (now > was ? 1 : -1);
    after.priceMovedAtMs = after.priceMove != 0 ? m_clock() : before.priceMovedAtMs;
}
