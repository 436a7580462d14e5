#include "elidinglabel.h"

#include <QResizeEvent>

ElidingLabel::ElidingLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
}

void ElidingLabel::setParts(const QString &kept, const QString &elidable)
{
    if (kept == m_kept && elidable == m_elidable)
        return;
    m_kept = kept;
    m_elidable = elidable;
    setToolTip(m_elidable.isEmpty() ? QString() : fullText());
    setAccessibleName(fullText());
    updateGeometry(); // the size hints follow the parts, not the text shown
    showFitting();
}

QSize ElidingLabel::minimumSizeHint() const
{
    const QString shortest = m_elidable.isEmpty() ? m_kept : m_kept + QChar(0x2026);
    const QMargins m = contentsMargins();
    return QSize(fontMetrics().horizontalAdvance(shortest) + m.left() + m.right() + 2 * margin(),
                 QLabel::minimumSizeHint().height());
}

QSize ElidingLabel::sizeHint() const
{
    const QMargins m = contentsMargins();
    return QSize(fontMetrics().horizontalAdvance(fullText()) + m.left() + m.right() + 2 * margin(),
                 QLabel::sizeHint().height());
}

void ElidingLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    showFitting();
}

void ElidingLabel::showFitting()
{
    const int room = contentsRect().width() - 2 * margin() - fontMetrics().horizontalAdvance(m_kept);
    const QString shown = m_kept + fontMetrics().elidedText(m_elidable, Qt::ElideRight, std::max(0, room));
    if (shown != text())
        setText(shown);
}
