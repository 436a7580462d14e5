#include "chartview.h"

#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>

ChartView::ChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
    , m_band(new QRubberBand(QRubberBand::Rectangle, this))
{
    setRubberBand(QChartView::NoRubberBand);
    setDragMode(QGraphicsView::NoDrag);
    m_band->hide();
}

void ChartView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() == Qt::NoModifier && keyPressed && keyPressed(event->key()))
        return;
    QChartView::keyPressEvent(event);
}

void ChartView::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() == Qt::LeftButton && chart()->plotArea().contains(pos)) {
        m_origin = pos;
        m_pressed = true;
    }
    QGraphicsView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_pressed && (m_band->isVisible() || (pos - m_origin).manhattanLength() >= clickSlop)) {
        if (!m_band->isVisible()) {
            // A drag, not a click: the point pressed on must not see a release.
            if (QGraphicsItem *grabber = scene()->mouseGrabberItem())
                grabber->ungrabMouse();
            m_band->show();
        }
        m_band->setGeometry(QRect(m_origin, pos).normalized() & chart()->plotArea().toAlignedRect());
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_pressed) {
        m_pressed = false;
        if (m_band->isVisible()) {
            m_band->hide();
            const QRect rect = m_band->geometry();
            if (rect.width() >= clickSlop && rect.height() >= clickSlop) {
                chart()->zoomIn(rect);
                if (zoomed)
                    zoomed();
            }
            return;
        }
    } else if (event->button() == Qt::RightButton) {
        chart()->zoomOut();
        if (zoomed)
            zoomed();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    QGraphicsView::mouseDoubleClickEvent(event);
    if (doubleClicked)
        doubleClicked();
}
