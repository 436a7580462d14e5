#pragma once

#include <QStyledItemDelegate>

// Draws the rows a model marks stale (KeyedTableModelDetail::StaleRole) dimmed and in italics: the last good
// data stays on screen, visibly not current. The tables' default delegate, and the base of the others.
class StaleAwareDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
    static bool isStale(const QModelIndex &index);
};

// Colours a cell's text by the sign its model reports in `signRole` (-1 loss, +1 gain), in the given columns.
class SignColorDelegate : public StaleAwareDelegate
{
    Q_OBJECT
public:
    SignColorDelegate(int signRole, QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_signRole;
};

// Flashes a price cell green or red for a moment after it moved (the model's move and move-time roles).
class PriceFlashDelegate : public StaleAwareDelegate
{
    Q_OBJECT
public:
    static constexpr int flashMs = 600;

    PriceFlashDelegate(int moveRole, int movedAtRole, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    int m_moveRole;
    int m_movedAtRole;
};
