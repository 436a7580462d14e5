#pragma once

#include <QList>
#include <QString>

class QAbstractItemModel;

// Rows of a table as text a spreadsheet pastes into cells: the header line, then one line per row, cells
// separated by tabs, lines ended by '\n'. Cells are what the table shows, without the digit-group spaces
// (so "97 010.5" pastes as the number 97010.5) and with the absent mark "—" left empty; a tab or line break
// inside a cell becomes a space, so it cannot shift the cells after it.
//
// `columns` are the model's columns in the order to write them (a view's visual order, hidden ones left
// out); `rows` are the model's rows, written in the order given.
QString tabSeparatedRows(const QAbstractItemModel &model, const QList<int> &rows, const QList<int> &columns);
