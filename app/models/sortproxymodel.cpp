#include "sortproxymodel.h"

#include <cmath>

namespace {

bool isAbsent(const QVariant &value)
{
    if (!value.isValid())
        return true;
    return value.metaType().id() == QMetaType::Double && std::isnan(value.toDouble());
}

} // namespace

SortProxyModel::SortProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(Qt::UserRole + 1);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

bool SortProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    const bool leftAbsent = isAbsent(l);
    const bool rightAbsent = isAbsent(r);
    if (leftAbsent || rightAbsent) {
        // Descending order reverses the comparison, so "absent is greatest" there.
        const bool absentIsGreatest = sortOrder() == Qt::AscendingOrder;
        if (leftAbsent && rightAbsent)
            return false;
        return absentIsGreatest ? rightAbsent : leftAbsent;
    }
    if (l.metaType().id() == QMetaType::QString || r.metaType().id() == QMetaType::QString)
        return l.toString().compare(r.toString(), sortCaseSensitivity()) < 0;
    return QSortFilterProxyModel::lessThan(left, right);
}
