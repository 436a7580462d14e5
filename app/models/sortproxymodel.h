#pragma once

#include <QSortFilterProxyModel>

// Sorts the exdash table models by their SortRole (Qt::UserRole + 1). A plain QSortFilterProxyModel compares
// NaN doubles as neither less nor greater than anything, which is no ordering at all: rows with an absent
// value end up scattered. Here absent values (NaN, or no value) always go last, in both sort orders; text
// compares case-insensitively, and ties keep the source order.
class SortProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit SortProxyModel(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};
