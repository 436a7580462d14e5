#include "keywidget.h"

#include "latencychart.h"
#include "theme.h"

#include "models/latencyseries.h"

#include <QPainter>

QColor KeyWidget::errorColor(bool dark)
{
    return dark ? QColor(0xFF, 0x55, 0x55) : QColor(0xD6, 0x27, 0x28);
}

KeyWidget::KeyWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    setToolTip(
        LatencyChart::tr("Filled: the request paid for a handshake (new connection, or waited for one).\n"
                         "Hollow: it went out on a reused connection.\n"
                         "Hollow square: Qt did not tell which; left out of the medians and the gain.\n"
                         "Red cross: it failed.\n"
                         "Lines: rolling median of the last %1 successful requests of a host, "
                         "pooled (solid) and no-reuse (dashed).")
            .arg(LatencySeries::medianOf));
}

QSize KeyWidget::sizeHint() const
{
    int w = 0;
    for (const Item &item : items())
        w += glyphWidth(item.glyph) + 4 + fontMetrics().horizontalAdvance(item.text) + spacing;
    return QSize(w - spacing, fontMetrics().height() + 2);
}

void KeyWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::WindowText);
    const qreal cy = height() / 2.0;
    qreal x = 0;
    for (const Item &item : items()) {
        const int gw = glyphWidth(item.glyph);
        const QRectF box(x + (gw - markerSize) / 2.0, cy - markerSize / 2.0, markerSize, markerSize);
        switch (item.glyph) {
        case Filled:
            p.setPen(Qt::NoPen);
            p.setBrush(text);
            p.drawEllipse(box);
            break;
        case Hollow:
            p.setPen(QPen(text, 1.5));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(box.adjusted(0.75, 0.75, -0.75, -0.75));
            break;
        case Square:
            p.setPen(QPen(text, 1.5));
            p.setBrush(Qt::NoBrush);
            p.drawRect(box.adjusted(1.5, 1.5, -1.5, -1.5));
            break;
        case Cross:
            p.setPen(QPen(errorColor(Theme::isDark(palette())), 2, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(box.topLeft() + QPointF(1, 1), box.bottomRight() - QPointF(1, 1));
            p.drawLine(box.bottomLeft() + QPointF(1, -1), box.topRight() + QPointF(-1, 1));
            break;
        case Solid:
        case Dashed:
            p.setPen(QPen(text, 2, item.glyph == Solid ? Qt::SolidLine : Qt::DashLine, Qt::FlatCap));
            p.drawLine(QPointF(x, cy), QPointF(x + gw, cy));
            break;
        }
        x += gw + 4;
        p.setPen(text);
        const int tw = fontMetrics().horizontalAdvance(item.text);
        p.drawText(QRectF(x, 0, tw, height()), Qt::AlignLeft | Qt::AlignVCenter, item.text);
        x += tw + spacing;
    }
}

QList<KeyWidget::Item> KeyWidget::items()
{
    return {{Filled, LatencyChart::tr("new connection")}, {Hollow, LatencyChart::tr("reused")},
            {Square, LatencyChart::tr("unknown")},        {Cross, LatencyChart::tr("failed")},
            {Solid, LatencyChart::tr("p50 pooled")},      {Dashed, LatencyChart::tr("p50 no-reuse")}};
}
