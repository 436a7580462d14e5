#include "datatable.h"

#include "models/tabletext.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>

#include <algorithm>

DataTable::DataTable(QWidget *parent)
    : QTableView(parent)
{
    setSortingEnabled(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTabKeyNavigation(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(true);
}

QList<int> DataTable::rowsToCopy() const
{
    QList<int> rows;
    if (!model() || !selectionModel())
        return rows;
    for (const QModelIndex &index : selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && currentIndex().isValid())
        rows << currentIndex().row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

QString DataTable::selectedRowsText() const
{
    const QList<int> rows = rowsToCopy();
    if (rows.isEmpty())
        return {};
    const QHeaderView *header = horizontalHeader();
    QList<int> columns;
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!header->isSectionHidden(logical))
            columns << logical;
    }
    return tabSeparatedRows(*model(), rows, columns);
}

void DataTable::copyRows() const
{
    const QString text = selectedRowsText();
    if (!text.isEmpty())
        QGuiApplication::clipboard()->setText(text);
}

void DataTable::focusInEvent(QFocusEvent *event)
{
    QTableView::focusInEvent(event);
    emit focused();
}

void DataTable::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("&Copy rows"), this, &DataTable::copyRows);
    copy->setShortcut(QKeySequence::Copy);
    copy->setEnabled(!rowsToCopy().isEmpty());
    menu.exec(event->globalPos());
}
