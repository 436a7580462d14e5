#pragma once

#include "keyedtablemodel.h"

#include <functional>

struct TickerKey
{
    Exchange exchange;
    QString symbol;

    bool operator==(const TickerKey &other) const
    {
        return exchange == other.exchange && symbol == other.symbol;
    }
    friend size_t qHash(const TickerKey &key, size_t seed = 0)
    {
        return qHashMulti(seed, int(key.exchange), key.symbol);
    }
};

// One row of TickerModel: the ticker, and how its last price moved in the row's most recent update.
struct TickerRow
{
    Ticker ticker;
    int priceMove = 0; // +1, -1, 0
    qint64 priceMovedAtMs = 0; // ms since epoch of the latest move; 0: never moved

    TickerKey key() const { return {ticker.exchange, ticker.symbol}; }
    Exchange exchange() const { return ticker.exchange; }
};

// The tickers of both exchanges in one table, one row per (exchange, symbol). Colour is the view's business:
// the model gives signs and moves (ChangeSignRole, PriceMoveRole), never a brush.
class TickerModel : public KeyedTableModel<TickerRow>
{
    Q_OBJECT

public:
    enum class Column { Exchange, Symbol, Last, Mark, Change24h, Volume, Funding, OpenInterest };
    Q_ENUM(Column)
    static constexpr int ColumnCount = int(Column::OpenInterest) + 1;

    enum Role {
        // Numbers: double, NaN when absent (SortProxyModel puts those last); text columns: QString.
        SortRole = Qt::UserRole + 1,
        ChangeSignRole, // Change24h: -1, 0, +1, the sign as shown
        PriceMoveRole, // Last: +1 / -1 when the row's most recent update moved the last price, else 0
        PriceMovedAtRole, // Last: qint64 ms since epoch of the latest move; absent when it never moved
    };
    Q_ENUM(Role)

    explicit TickerModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(Exchange exchange, const QString &symbol) const; // -1 when absent
    Ticker ticker(int row) const;

    // The clock that stamps price moves (default: the wall clock). For tests and replays.
    void setClock(std::function<qint64()> msSinceEpoch);

public Q_SLOTS:
    // Replaces that exchange's rows; the exchange argument wins over Ticker::exchange.
    void setTickers(Exchange exchange, const QList<Ticker> &tickers);

protected:
    QVariant cellData(const TickerRow &row, int column, int role) const override;
    QList<int> changingRoles() const override;
    void carryOver(const TickerRow &before, TickerRow &after) const override;

private:
    std::function<qint64()> m_clock;
};
