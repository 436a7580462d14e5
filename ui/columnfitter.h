#pragma once

#include <QObject>
#include <QSet>

class QTableView;

// Keeps a table's columns wide enough for what they show: fit() widens (never narrows) every column the
// trader has not resized by hand, so prices are not elided when they grow a digit, and nothing jitters.
// The first fit with rows sets the widths exactly (narrower than the default section size too).
class ColumnFitter : public QObject
{
    Q_OBJECT
public:
    explicit ColumnFitter(QTableView *view);

    void fit();
    bool isUserSized(int column) const { return m_userSized.contains(column); }

private:
    QTableView *m_view;
    QSet<int> m_userSized;
    bool m_fitting = false;
    bool m_fitted = false; // has fitted real rows once
};
