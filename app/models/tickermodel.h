#pragma once

#include "keyedtablemodel.h"

#include <QSet>

#include <array>
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
    // What each column shows, formatted once per snapshot: an update compares it, every repaint reads it.
    mutable std::array<QString, 8> shown;
    mutable quint16 shownColumns = 0; // bit per column: formatted

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

public slots:
    // Replaces that exchange's rows; the exchange argument wins over Ticker::exchange. Delisted assets are
    // left out unless a position holds them (setHeldSymbols).
    void setTickers(Exchange exchange, const QList<Ticker> &tickers);
    // The symbols the exchange's open positions hold.
    void setHeldSymbols(Exchange exchange, const QSet<QString> &symbols);
    void setHeldPositions(Exchange exchange, const QList<Position> &positions);

protected:
    QVariant cellData(const TickerRow &row, int column, int role) const override;
    QList<int> changingRoles() const override;
    void carryOver(const TickerRow &before, TickerRow &after) const override;
    bool sameCell(const TickerRow &before, const TickerRow &after, int column) const override;
    std::optional<bool> sameInRole(const TickerRow &before, const TickerRow &after, int column,
                                   int role) const override;

private:
    void showGroup(Exchange exchange);
    const QString &shownText(const TickerRow &row, Column column) const;

    std::function<qint64()> m_clock;
    QHash<int, QList<Ticker>> m_received; // per exchange, as last set, delisted ones included
    QHash<int, QSet<QString>> m_held; // per exchange
};
