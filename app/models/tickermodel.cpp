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
        return t.symbol;
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

QVariant toolTip(const Ticker &t, Column column)
{
    switch (column) {
    case Column::Exchange:
        return nameOf(t.exchange);
    case Column::Symbol:
        return t.delisted ? QVariant(QStringLiteral("delisted")) : QVariant();
    case Column::Last:
        return rawText(t.last);
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
        return rawTexts({{QStringLiteral("per hour"), t.funding}});
    case Column::OpenInterest:
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
        return tip ? tr("Last traded price (Hyperliquid: mid)") : tr("Last");
    case Column::Mark:
        return tip ? tr("Mark price") : tr("Mark");
    case Column::Change24h:
        return tip ? tr("Change over 24 hours") : tr("24h change");
    case Column::Volume:
        return tip ? tr("Traded value over 24 hours, in USD") : tr("Volume 24h");
    case Column::Funding:
        return tip ? tr("Funding rate per hour") : tr("Funding / h");
    case Column::OpenInterest:
        return tip ? tr("Open interest in USD, at mark") : tr("Open interest");
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
    QList<TickerRow> rows;
    rows.reserve(tickers.size());
    for (const Ticker &ticker : tickers) {
        TickerRow row;
        row.ticker = ticker;
        row.ticker.exchange = exchange;
        rows.append(std::move(row));
    }
    replaceGroup(exchange, std::move(rows));
}

QVariant TickerModel::cellData(const TickerRow &row, int column, int role) const
{
    const Ticker &t = row.ticker;
    const auto col = Column(column);
    switch (role) {
    case Qt::DisplayRole:
        return display(t, col);
    case SortRole:
        return sortKey(t, col);
    case Qt::ToolTipRole:
        return toolTip(t, col);
    case Qt::TextAlignmentRole:
        return alignment(isNumeric(col));
    case ChangeSignRole:
        if (col == Column::Change24h)
            return signOfFormatted(display(t, col));
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
