#include "tabletext.h"

#include "format.h"

#include <QAbstractItemModel>
#include <QStringList>

namespace {

QString cellText(const QVariant &value)
{
    QString text = value.toString();
    if (text == absentText())
        return {};
    text.remove(digitGroupSeparator());
    for (QChar &c : text) {
        if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            c = QLatin1Char(' ');
    }
    return text;
}

} // namespace

QString tabSeparatedRows(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns)
{
    QString text;
    QStringList cells;
    cells.reserve(columns.size());
    for (int column : columns)
        cells << cellText(model.headerData(column, Qt::Horizontal, Qt::DisplayRole));
    text += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    for (int row : rows) {
        cells.clear();
        for (int column : columns)
            cells << cellText(model.data(model.index(row, column), Qt::DisplayRole));
        text += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return text;
}
