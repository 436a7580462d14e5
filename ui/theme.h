#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

// Light and dark palettes, and the few colours that carry meaning (gain, loss), legible on both.
namespace Theme {

enum class Choice { System, Light, Dark };

// Applies the choice to the application (Fusion style for Light and Dark; System keeps the platform's
// palette, which follows the desktop theme where the platform theme does).
void apply(Choice choice);
Choice current(); // the last applied
Choice fromString(const QString &text); // "light", "dark", anything else: system
QString toString(Choice choice);

bool isDark(const QPalette &palette); // its window (the background everything is drawn on) is dark
QColor blend(const QColor &a, const QColor &b, double t); // t = 0: a, t = 1: b
QColor gain(const QPalette &palette); // a green that reads on this palette's base
QColor loss(const QPalette &palette);

} // namespace Theme
