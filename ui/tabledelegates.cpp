#include "tabledelegates.h"
#include "theme.h"

#include "models/keyedtablemodel.h"

#include <QDateTime>
#include <QPainter>

bool StaleAwareDelegate::isStale(const QModelIndex &index)
{
    return index.data(KeyedTableModelDetail::StaleRole).toBool();
}

void StaleAwareDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (!isStale(index))
        return;
    option->palette.setColor(QPalette::Text, option->palette.color(QPalette::Disabled, QPalette::Text));
    option->font.setItalic(true);
}

SignColorDelegate::SignColorDelegate(int signRole, QObject *parent)
    : StaleAwareDelegate(parent)
    , m_signRole(signRole)
{ }

void SignColorDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    StaleAwareDelegate::initStyleOption(option, index);
    if (isStale(index))
        return;
    const int sign = index.data(m_signRole).toInt();
    if (sign != 0) {
        const QColor color = sign > 0 ? Theme::gain(option->palette) : Theme::loss(option->palette);
        option->palette.setColor(QPalette::Text, color);
        option->palette.setColor(QPalette::HighlightedText, color.lighter(130));
    }
}

PriceFlashDelegate::PriceFlashDelegate(int moveRole, int movedAtRole, QObject *parent)
    : StaleAwareDelegate(parent)
    , m_moveRole(moveRole)
    , m_movedAtRole(movedAtRole)
{ }

void PriceFlashDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const QVariant movedAt = index.data(m_movedAtRole);
    const qint64 age =
        movedAt.isValid() ? QDateTime::currentMSecsSinceEpoch() - movedAt.toLongLong() : flashMs;
    const int move = index.data(m_moveRole).toInt();
    if (move != 0 && age >= 0 && age < flashMs && !isStale(index)) {
        QColor tint = move > 0 ? Theme::gain(option.palette) : Theme::loss(option.palette);
        tint.setAlphaF(0.28 * (1.0 - double(age) / flashMs));
        painter->fillRect(option.rect, tint);
    }
    StaleAwareDelegate::paint(painter, option, index);
}
