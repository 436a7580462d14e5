#pragma once

#include "keyedtablemodel.h"

struct AccountRow
{
    AccountSummary account;

    int key() const { return int(account.exchange); }
    Exchange exchange() const { return account.exchange; }
};

// One row per exchange that has reported its account, Bitunix first.
class AccountModel : public KeyedTableModel<AccountRow>
{
    Q_OBJECT

public:
    enum class Column { Exchange, Equity, Available, UnrealizedPnl, MarginUsed };
    Q_ENUM(Column)
    static constexpr int ColumnCount = int(Column::MarginUsed) + 1;

    enum Role {
        // Numbers: double, NaN when absent (SortProxyModel puts those last); Exchange: QString.
        SortRole = Qt::UserRole + 1,
        PnlSignRole, // UnrealizedPnl: -1, 0, +1, the sign as shown
    };
    Q_ENUM(Role)

    explicit AccountModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool has(Exchange exchange) const;
    // A default AccountSummary of that exchange (every value absent) when it has not reported.
    AccountSummary account(Exchange exchange) const;
    int rowOf(Exchange exchange) const; // -1 when absent

public slots:
    void setAccount(const AccountSummary &account);
    void clear(Exchange exchange);

protected:
    QVariant cellData(const AccountRow &row, int column, int role) const override;
    QList<int> changingRoles() const override;
};
