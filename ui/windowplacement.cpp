#include "windowplacement.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

#include <algorithm>

namespace WindowPlacement {

namespace {

QSize largestClient(const QRect &available, const QMargins &frame)
{
    return available.marginsRemoved(frame).size();
}

} // namespace

QRect firstGeometry(const QSize &preferred, const QRect &available, const QMargins &frame)
{
    const QSize size = preferred.boundedTo(largestClient(available, frame));
    QRect outer(QPoint(), size.grownBy(frame));
    outer.moveCenter(available.center());
    return outer.marginsRemoved(frame);
}

QRect fitted(const QRect &geometry, const QMargins &frame, const QRect &available, const QSize &minimum)
{
    const QSize size = geometry.size().boundedTo(largestClient(available, frame)).expandedTo(minimum);
    QRect outer(geometry.topLeft() - QPoint(frame.left(), frame.top()), size.grownBy(frame));
    // Right and bottom first, so that a window larger than the screen keeps its title bar on it.
    outer.moveRight(std::min(outer.right(), available.right()));
    outer.moveBottom(std::min(outer.bottom(), available.bottom()));
    outer.moveLeft(std::max(outer.left(), available.left()));
    outer.moveTop(std::max(outer.top(), available.top()));
    return outer.marginsRemoved(frame);
}

std::optional<QMargins> knownFrame(const QWidget *window)
{
    const QRect frame = window->frameGeometry();
    const QRect client = window->geometry();
    const QMargins margins(client.left() - frame.left(), client.top() - frame.top(),
                           frame.right() - client.right(), frame.bottom() - client.bottom());
    if (!window->isVisible() || margins.isNull())
        return std::nullopt;
    return margins;
}

QScreen *screenUnder(const QRect &geometry, const QWidget *fallback)
{
    QScreen *screen = QGuiApplication::screenAt(geometry.center());
    return screen ? screen : fallback->screen();
}

void fitOnScreen(QWidget *window)
{
    const QRect geometry = fitted(window->geometry(), knownFrame(window).value_or(assumedFrame),
                                  screenUnder(window->geometry(), window)->availableGeometry(),
                                  window->minimumSizeHint().expandedTo(window->minimumSize()));
    if (geometry != window->geometry())
        window->setGeometry(geometry);
}

} // namespace WindowPlacement
