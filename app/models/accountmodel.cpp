#include "accountmodel.h"

#include "format.h"

using namespace KeyedTableModelDetail;

namespace {

using Column = AccountModel::Column;

const Decimal &valueIn(const AccountSummary &a, Column column)
{
    switch (column) {
    case Column::Equity:
        return a.equity;
    case Column::Available:
        return a.available;
    case Column::UnrealizedPnl:
        return a.unrealizedPnl;
    case Column::MarginUsed:
        return a.marginUsed;
    case Column::Exchange:
        break;
    }
    static const Decimal none;
    return none;
}

QString display(const AccountSummary &a, Column column)
{
    if (column == Column::Exchange)
        return shortNameOf(a.exchange);
    const SignStyle sign = column == Column::UnrealizedPnl ? SignStyle::Always : SignStyle::NegativeOnly;
    return formatMoney(valueIn(a, column), sign);
}

} // namespace

AccountModel::AccountModel(QObject *parent)
    : KeyedTableModel<AccountRow>(parent)
{ }

int AccountModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AccountModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    const auto column = Column(section);
    if (role == Qt::TextAlignmentRole)
        return alignment(column != Column::Exchange);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const bool tip = role == Qt::ToolTipRole;
    switch (column) {
    case Column::Exchange:
        return tip ? tr("BX: Bitunix futures, HL: Hyperliquid perps") : tr("Exchange");
    case Column::Equity:
        return tip ? tr("Account value including unrealized PnL, in USD") : tr("Equity");
    case Column::Available:
        return tip ? tr("Available for new positions or withdrawal, in USD") : tr("Available");
    case Column::UnrealizedPnl:
        return tip ? tr("Unrealized profit and loss of all positions, in USD") : tr("Unrealized PnL");
    case Column::MarginUsed:
        return tip ? tr("Margin held by open positions, in USD") : tr("Margin used");
    }
    return {};
}

QHash<int, QByteArray> AccountModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sort");
    names.insert(PnlSignRole, "pnlSign");
    return names;
}

bool AccountModel::has(Exchange exchange) const
{
    return rowOf(exchange) >= 0;
}

AccountSummary AccountModel::account(Exchange exchange) const
{
    const int row = rowOf(exchange);
    if (row >= 0)
        return rowAt(row).account;
    AccountSummary none;
    none.exchange = exchange;
    return none;
}

int AccountModel::rowOf(Exchange exchange) const
{
    return rowOfKey(int(exchange));
}

void AccountModel::setAccount(const AccountSummary &account)
{
    replaceGroup(account.exchange, {AccountRow {account}});
}

void AccountModel::clear(Exchange exchange)
{
    replaceGroup(exchange, {});
}

QVariant AccountModel::cellData(const AccountRow &row, int column, int role) const
{
    const AccountSummary &a = row.account;
    const auto col = Column(column);
    switch (role) {
    case Qt::DisplayRole:
        return display(a, col);
    case SortRole:
        if (col == Column::Exchange)
            return shortNameOf(a.exchange);
        return valueOf(valueIn(a, col));
    case Qt::ToolTipRole:
        if (col == Column::Exchange)
            return nameOf(a.exchange);
        return rawText(valueIn(a, col));
    case Qt::TextAlignmentRole:
        return alignment(col != Column::Exchange);
    case PnlSignRole:
        if (col == Column::UnrealizedPnl)
            return signOfFormatted(display(a, col));
        break;
    default:
        break;
    }
    return {};
}

QList<int> AccountModel::changingRoles() const
{
    return {Qt::DisplayRole, SortRole, Qt::ToolTipRole, PnlSignRole};
}
