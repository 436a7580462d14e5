#include "positionmodel.h"

#include "format.h"

using namespace KeyedTableModelDetail;

namespace {

using Column = PositionModel::Column;

bool isNumeric(Column column)
{
    return column != Column::Exchange && column != Column::Symbol && column != Column::Side;
}

QString display(const Position &p, Column column)
{
    switch (column) {
    case Column::Exchange:
        return shortNameOf(p.exchange);
    case Column::Symbol:
        return p.symbol;
    case Column::Side:
        return formatSide(p.side);
    case Column::Size:
        return formatSize(p.size);
    case Column::Entry:
        return formatPrice(p.entryPrice);
    case Column::Mark:
        return formatPrice(p.markPrice);
    case Column::UnrealizedPnl:
        return formatMoney(p.unrealizedPnl, SignStyle::Always);
    case Column::Roe:
        return formatFractionAsPercent(p.returnOnEquity);
    case Column::Leverage:
        return formatLeverage(p.leverage, p.isolated);
    case Column::LiquidationPrice:
        return formatPrice(p.liquidationPrice);
    case Column::Margin:
        return formatMoney(p.margin);
    }
    return {};
}

QVariant sortKey(const Position &p, Column column)
{
    switch (column) {
    case Column::Exchange:
        return shortNameOf(p.exchange);
    case Column::Symbol:
        return p.symbol;
    case Column::Side:
        return formatSide(p.side);
    case Column::Size:
        return valueOf(p.size);
    case Column::Entry:
        return valueOf(p.entryPrice);
    case Column::Mark:
        return valueOf(p.markPrice);
    case Column::UnrealizedPnl:
        return valueOf(p.unrealizedPnl);
    case Column::Roe:
        return valueOf(p.returnOnEquity);
    case Column::Leverage:
        return p.leverage;
    case Column::LiquidationPrice:
        return valueOf(p.liquidationPrice);
    case Column::Margin:
        return valueOf(p.margin);
    }
    return {};
}

QVariant toolTip(const Position &p, Column column)
{
    switch (column) {
    case Column::Exchange:
        return nameOf(p.exchange);
    case Column::Symbol:
        return p.positionId.isEmpty() ? QVariant() : QVariant(QStringLiteral("position id ") + p.positionId);
    case Column::Side:
        return {};
    case Column::Size:
        return rawTexts({{QStringLiteral("size"), p.size}, {QStringLiteral("value"), p.positionValue}});
    case Column::Entry:
        return rawText(p.entryPrice);
    case Column::Mark:
        return rawText(p.markPrice);
    case Column::UnrealizedPnl:
        return rawText(p.unrealizedPnl);
    case Column::Roe:
        return rawTexts({{QStringLiteral("fraction"), p.returnOnEquity}});
    case Column::Leverage:
        return {};
    case Column::LiquidationPrice:
        return p.liquidationPrice.text.isEmpty() ? QVariant(QStringLiteral("no liquidation price"))
                                                 : rawText(p.liquidationPrice);
    case Column::Margin:
        return rawText(p.margin);
    }
    return {};
}

} // namespace

PositionModel::PositionModel(QObject *parent)
    : KeyedTableModel<PositionRow>(parent)
{ }

int PositionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PositionModel::headerData(int section, Qt::Orientation orientation, int role) const
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
        return tr("Symbol");
    case Column::Side:
        return tr("Side");
    case Column::Size:
        return tip ? tr("Position size in coins (contracts for 1000x symbols)") : tr("Size");
    case Column::Entry:
        return tip ? tr("Average entry price") : tr("Entry");
    case Column::Mark:
        return tip ? tr("Mark price") : tr("Mark");
    case Column::UnrealizedPnl:
        return tip ? tr("Unrealized profit and loss, in USD") : tr("uPnL");
    case Column::Roe:
        return tip ? tr("Return on equity: unrealized PnL over margin") : tr("ROE");
    case Column::Leverage:
        return tip ? tr("Leverage and margin mode") : tr("Leverage");
    case Column::LiquidationPrice:
        return tip ? tr("Estimated liquidation price") : tr("Liq. price");
    case Column::Margin:
        return tip ? tr("Margin held by the position, in USD") : tr("Margin");
    }
    return {};
}

QHash<int, QByteArray> PositionModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sort");
    names.insert(PnlSignRole, "pnlSign");
    return names;
}

int PositionModel::rowOf(Exchange exchange, const QString &symbol, Position::Side side) const
{
    return rowOfKey({exchange, symbol, side});
}

Position PositionModel::position(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return rowAt(row).position;
}

void PositionModel::setPositions(Exchange exchange, const QList<Position> &positions)
{
    QList<PositionRow> rows;
    rows.reserve(positions.size());
    for (const Position &position : positions) {
        PositionRow row {position};
        row.position.exchange = exchange;
        rows.append(std::move(row));
    }
    replaceGroup(exchange, std::move(rows));
}

QVariant PositionModel::cellData(const PositionRow &row, int column, int role) const
{
    const Position &p = row.position;
    const auto col = Column(column);
    switch (role) {
    case Qt::DisplayRole:
        return display(p, col);
    case SortRole:
        return sortKey(p, col);
    case Qt::ToolTipRole:
        return toolTip(p, col);
    case Qt::TextAlignmentRole:
        return alignment(isNumeric(col));
    case PnlSignRole:
        if (col == Column::UnrealizedPnl || col == Column::Roe)
            return signOfFormatted(display(p, col));
        break;
    default:
        break;
    }
    return {};
}

QList<int> PositionModel::changingRoles() const
{
    return {Qt::DisplayRole, SortRole, Qt::ToolTipRole, PnlSignRole};
}
