#pragma once

#include "keyedtablemodel.h"

struct PositionKey
{
    Exchange exchange;
    QString symbol;
    Position::Side side;

    bool operator==(const PositionKey &other) const
    {
        return exchange == other.exchange && symbol == other.symbol && side == other.side;
    }
    friend size_t qHash(const PositionKey &key, size_t seed = 0)
    {
        return qHashMulti(seed, int(key.exchange), key.symbol, int(key.side));
    }
};

struct PositionRow
{
    Position position;

    PositionKey key() const { return {position.exchange, position.symbol, position.side}; }
    Exchange exchange() const { return position.exchange; }
};

// The open positions of both exchanges, one row per (exchange, symbol, side): a hedged account holds a long
// and a short of one symbol.
class PositionModel : public KeyedTableModel<PositionRow>
{
    Q_OBJECT

public:
    enum class Column {
        Exchange,
        Symbol,
        Side,
        Size,
        Entry,
        Mark,
        UnrealizedPnl,
        Roe,
        Leverage,
        LiquidationPrice,
        Margin,
    };
    Q_ENUM(Column)
    static constexpr int ColumnCount = int(Column::Margin) + 1;

    enum Role {
        // Numbers: double, NaN when absent (SortProxyModel puts those last); Leverage: int; text: QString.
        SortRole = Qt::UserRole + 1,
        PnlSignRole, // UnrealizedPnl and Roe: -1, 0, +1, the sign as shown
    };
    Q_ENUM(Role)

    explicit PositionModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(Exchange exchange, const QString &symbol, Position::Side side) const; // -1 when absent
    Position position(int row) const;

public slots:
    // Replaces that exchange's rows; the exchange argument wins over Position::exchange.
    void setPositions(Exchange exchange, const QList<Position> &positions);

protected:
    QVariant cellData(const PositionRow &row, int column, int role) const override;
    QList<int> changingRoles() const override;
};
