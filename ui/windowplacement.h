#pragma once

#include <QMargins>
#include <QRect>
#include <QSize>

#include <optional>

class QScreen;
class QWidget;

// Where a top-level window goes on a screen: inside the screen's available area (the desktop's panels left
// out), frame included. Geometries are the client area, as QWidget::geometry(); `frame` is what the window
// manager adds around it.
namespace WindowPlacement {

// A first launch: `preferred`, or all the available area if that is smaller, centred.
QRect firstGeometry(const QSize &preferred, const QRect &available, const QMargins &frame);

// `geometry` moved inside `available`, and shrunk first if it is larger (a geometry saved on a bigger
// monitor), but never below `minimum`. A geometry that already fits comes back unchanged.
QRect fitted(const QRect &geometry, const QMargins &frame, const QRect &available, const QSize &minimum);

// What a window manager typically adds (a title bar and thin borders), for a window not shown yet.
constexpr QMargins assumedFrame(2, 32, 2, 2);

// The frame the window manager put around a shown top-level widget; nothing while it is hidden or the
// window manager has not said yet (X11 tells it a moment after the window is mapped).
std::optional<QMargins> knownFrame(const QWidget *window);

// The screen a geometry is on (its centre), or the widget's own when that is on none (a monitor gone).
QScreen *screenUnder(const QRect &geometry, const QWidget *fallback);

// Moves (and if need be shrinks) a top-level widget into the available area of the screen it is on, its
// frame included (as assumed until it is known).
void fitOnScreen(QWidget *window);

} // namespace WindowPlacement
