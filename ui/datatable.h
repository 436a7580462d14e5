#pragma once

#include <QTableView>

// A table of the dashboard: rows selected whole, sortable, no grid of row numbers, and usable from the
// keyboard: the arrows move within it, Tab leaves it (instead of walking every cell), and copyRows()
// (Edit > Copy rows, Ctrl+C, or the context menu) puts the selected rows on the clipboard as tab-separated
// text with the header, which a spreadsheet pastes into cells.
class DataTable : public QTableView
{
    Q_OBJECT
public:
    explicit DataTable(QWidget *parent = nullptr);

    // The selected rows (the current one if none is), in the order shown, the columns as shown.
    QString selectedRowsText() const; // empty when there is no row to copy
    void copyRows() const; // leaves the clipboard alone when there is nothing to copy

signals:
    void focused(); // the table the window's Copy rows acts on

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;

private:
    QList<int> rowsToCopy() const;
};
