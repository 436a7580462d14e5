#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

class QTableView;

// Keeps a table's columns wide enough for what they show, plus a digit: fit() widens (never narrows) every
// column the trader has not resized by hand, so prices are not elided when they grow a digit, and nothing
// jitters.
// The first fit with rows sets the widths exactly (narrower than the default section size too).
class ColumnFitter : public QObject
{
    Q_OBJECT
public:
    explicit ColumnFitter(QTableView *view);

    void fit();
    // fit(), at once for the first data and whenever the number of rows changed, else at most once per
    // interval: measuring a column lays out the text of every visible cell, which was most of what an idle
    // window spent when it ran on every refresh.
    void fitSoon();
    void setMinimumIntervalMs(int ms); // a pending fit moves with it
    bool isUserSized(int column) const { return m_userSized.contains(column); }

private:
    QTimer m_pending;
    int m_minimumIntervalMs = 30'000;
    int m_rowsAtFit = -1;
    QElapsedTimer m_sinceFit;
    QTableView *m_view;
    QSet<int> m_userSized;
    bool m_fitting = false;
    bool m_fitted = false; // has fitted real rows once
};
