#pragma once

#include "exchanges/marketdata.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QLoggingCategory>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <utility>

Q_DECLARE_LOGGING_CATEGORY(lcModels)

namespace KeyedTableModelDetail {
// Equal role values; two NaN doubles are the same value (QVariant's == says they differ).
bool sameData(const QVariant &a, const QVariant &b);
void warnDuplicate(Exchange exchange, int count);

// Qt::TextAlignmentRole as an int, which is what Qt 6.4's delegates and header views read.
inline int alignment(bool numeric)
{
    return int((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
}

// Every row of every keyed model answers it: true while its exchange's data is stale (the last refresh
// failed, or it is older than three cadences). The rows stay; the view marks them.
constexpr int StaleRole = Qt::UserRole + 64;

// The value of a Decimal for arithmetic and sorting: NaN when absent.
inline double valueOf(const Decimal &decimal)
{
    return decimal.isValid() ? decimal.value : std::numeric_limits<double>::quiet_NaN();
}

// A tooltip with the texts exactly as received: "text" for one, "label: text" lines for several. Absent ones
// are left out; nothing at all gives no tooltip.
QVariant rawText(const Decimal &decimal);
QVariant rawTexts(std::initializer_list<std::pair<QString, Decimal>> labelled);
} // namespace KeyedTableModelDetail

// What TickerModel, PositionModel and AccountModel share. Rows are grouped by exchange (Bitunix first); each
// row has a key, Row::key(), unique in the model, and Row::exchange(). replaceGroup() turns a fresh snapshot
// of one exchange into the minimal changes: rows whose key persists are updated in place with one dataChanged
// per run of changed cells, carrying only the roles whose value changed; new rows are inserted as one block
// at the end of their exchange's group; vanished rows are removed. A routine update never resets the model.
template<typename Row>
class KeyedTableModel : public QAbstractTableModel
{
public:
    using Key = decltype(std::declval<const Row &>().key());

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!index.isValid() || index.model() != this || !hasIndex(index.row(), index.column()))
            return {};
        const Row &row = m_rows.at(index.row());
        if (role == KeyedTableModelDetail::StaleRole)
            return m_stale.value(int(row.exchange()), false);
        return cellData(row, index.column(), role);
    }

    bool isStale(Exchange exchange) const { return m_stale.value(int(exchange), false); }
    void setStale(Exchange exchange, bool stale)
    {
        if (isStale(exchange) == stale)
            return;
        m_stale.insert(int(exchange), stale);
        const int begin = groupBegin(exchange);
        const int end = groupEnd(exchange);
        if (end > begin)
            emit dataChanged(index(begin, 0), index(end - 1, columnCount() - 1),
                             {KeyedTableModelDetail::StaleRole});
    }

    Qt::ItemFlags flags(const QModelIndex &index) const override
    {
        if (!index.isValid())
            return Qt::NoItemFlags;
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    }

protected:
    virtual QVariant cellData(const Row &row, int column, int role) const = 0;
    // The roles compared to find what changed, in the order dataChanged lists them.
    virtual QList<int> changingRoles() const = 0;
    // A cheap proof that a cell shows the same in every role (the fields it is made of are equal), so that an
    // update need not format both versions to compare them. false: compare them role by role.
    virtual bool sameCell(const Row &before, const Row &after, int column) const
    {
        Q_UNUSED(before);
        Q_UNUSED(after);
        Q_UNUSED(column);
        return false;
    }
    // The same for one role: true or false when the fields tell (a tooltip that quotes them as received),
    // nullopt to format both and compare.
    virtual std::optional<bool> sameInRole(const Row &before, const Row &after, int column, int role) const
    {
        Q_UNUSED(before);
        Q_UNUSED(after);
        Q_UNUSED(column);
        Q_UNUSED(role);
        return std::nullopt;
    }
    // For a row present before and after an update, before the two are compared.
    virtual void carryOver(const Row &before, Row &after) const
    {
        Q_UNUSED(before);
        Q_UNUSED(after);
    }

    // Every row of `rows` must belong to `exchange`. Duplicate keys: the last one wins.
    void replaceGroup(Exchange exchange, QList<Row> rows);

    int rowOfKey(const Key &key) const { return m_index.value(key, -1); }
    const Row &rowAt(int row) const { return m_rows.at(row); }

private:
    int groupBegin(Exchange exchange) const { return boundary(exchange, false); }
    int groupEnd(Exchange exchange) const { return boundary(exchange, true); }
    int boundary(Exchange exchange, bool inclusive) const
    {
        const auto it = std::partition_point(m_rows.cbegin(), m_rows.cend(), [&](const Row &row) {
            return inclusive ? int(row.exchange()) <= int(exchange) : int(row.exchange()) < int(exchange);
        });
        return int(it - m_rows.cbegin());
    }
    void rebuildIndex()
    {
        m_index.clear();
        m_index.reserve(m_rows.size());
        for (int i = 0; i < m_rows.size(); ++i)
            m_index.insert(m_rows.at(i).key(), i);
    }
    void emitChanged(int row, const Row &before, const Row &after);

    QList<Row> m_rows;
    QHash<Key, int> m_index;
    QHash<int, bool> m_stale; // by exchange
};

template<typename Row>
void KeyedTableModel<Row>::replaceGroup(Exchange exchange, QList<Row> rows)
{
    QHash<Key, int> incoming;
    QList<Row> unique;
    unique.reserve(rows.size());
    int duplicates = 0;
    for (Row &row : rows) {
        Q_ASSERT(row.exchange() == exchange);
        const auto it = incoming.constFind(row.key());
        if (it != incoming.cend()) {
            unique[*it] = std::move(row);
            ++duplicates;
        } else {
            incoming.insert(row.key(), int(unique.size()));
            unique.append(std::move(row));
        }
    }
    if (duplicates > 0)
        KeyedTableModelDetail::warnDuplicate(exchange, duplicates);

    // Vanished rows, in contiguous runs from the back so that the indices still to visit stay valid.
    const int begin = groupBegin(exchange);
    for (int last = groupEnd(exchange) - 1; last >= begin;) {
        if (incoming.contains(m_rows.at(last).key())) {
            --last;
            continue;
        }
        int first = last;
        while (first - 1 >= begin && !incoming.contains(m_rows.at(first - 1).key()))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        rebuildIndex();
        endRemoveRows();
        last = first - 1;
    }

    QList<Row> added;
    for (Row &row : unique) {
        const int at = rowOfKey(row.key());
        if (at < 0) {
            added.append(std::move(row));
            continue;
        }
        carryOver(m_rows.at(at), row);
        const Row before = std::exchange(m_rows[at], std::move(row));
        emitChanged(at, before, m_rows.at(at));
    }

    if (!added.isEmpty()) {
        const int at = groupEnd(exchange);
        beginInsertRows({}, at, at + int(added.size()) - 1);
        QList<Row> merged;
        merged.reserve(m_rows.size() + added.size());
        std::move(m_rows.begin(), m_rows.begin() + at, std::back_inserter(merged));
        std::move(added.begin(), added.end(), std::back_inserter(merged));
        std::move(m_rows.begin() + at, m_rows.end(), std::back_inserter(merged));
        m_rows = std::move(merged);
        rebuildIndex();
        endInsertRows();
    }
}

template<typename Row>
void KeyedTableModel<Row>::emitChanged(int row, const Row &before, const Row &after)
{
    const QList<int> roles = changingRoles();
    Q_ASSERT(roles.size() <= 64);
    int runStart = -1;
    quint64 runRoles = 0;
    const auto flush = [&](int runEnd) {
        if (runStart < 0)
            return;
        QList<int> changed;
        for (int i = 0; i < roles.size(); ++i) {
            if (runRoles & (quint64(1) << i))
                changed.append(roles.at(i));
        }
        emit dataChanged(index(row, runStart), index(row, runEnd), changed);
        runStart = -1;
        runRoles = 0;
    };
    const int columns = columnCount();
    for (int column = 0; column < columns; ++column) {
        quint64 changedRoles = 0;
        for (int i = 0; i < roles.size() && !sameCell(before, after, column); ++i) {
            const int role = roles.at(i);
            const std::optional<bool> same = sameInRole(before, after, column, role);
            const bool changed = same ? !*same
                                      : !KeyedTableModelDetail::sameData(cellData(before, column, role),
                                                                         cellData(after, column, role));
            if (changed)
                changedRoles |= quint64(1) << i;
        }
        if (changedRoles == 0) {
            flush(column - 1);
            continue;
        }
        if (runStart < 0)
            runStart = column;
        runRoles |= changedRoles;
    }
    flush(columns - 1);
}
