#include "theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

#include <memory>

namespace Theme {

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1f, 0x22, 0x27), base(0x16, 0x18, 0x1c), text(0xe6, 0xe8, 0xeb),
        mid(0x3a, 0x3f, 0x47);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x1f, 0x24));
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2f, 0x36));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x90, 0x99));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2b, 0x2f, 0x36));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x50, 0x5a));
    p.setColor(QPalette::Midlight, mid);
    p.setColor(QPalette::Mid, mid);
    p.setColor(QPalette::Dark, QColor(0x10, 0x12, 0x15));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x71, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x71, 0x7a));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x71, 0x7a));
    return p;
}

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion->standardPalette();
    p.setColor(QPalette::AlternateBase, QColor(0xf4, 0xf6, 0xf8));
    return p;
}

} // namespace

namespace {

struct Applied
{
    Choice choice = Choice::System;
    // What the platform gave, before the first change: "follow the system" goes back to it.
    QString systemStyle;
    QPalette systemPalette;
    bool captured = false;
};

Applied &applied()
{
    static Applied state;
    return state;
}

} // namespace

void apply(Choice choice)
{
    Applied &state = applied();
    if (!state.captured) {
        if (choice == Choice::System)
            return; // nothing changed yet
        state.systemStyle = QApplication::style()->name();
        state.systemPalette = QApplication::palette();
        state.captured = true;
    }
    state.choice = choice;
    if (choice == Choice::System) {
        QApplication::setStyle(QStyleFactory::create(state.systemStyle));
        QApplication::setPalette(state.systemPalette);
        return;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(choice == Choice::Dark ? darkPalette() : lightPalette());
}

Choice current()
{
    return applied().choice;
}

Choice fromString(const QString &text)
{
    if (text == QLatin1String("light"))
        return Choice::Light;
    if (text == QLatin1String("dark"))
        return Choice::Dark;
    return Choice::System;
}

QString toString(Choice choice)
{
    switch (choice) {
    case Choice::Light:
        return QStringLiteral("light");
    case Choice::Dark:
        return QStringLiteral("dark");
    case Choice::System:
        break;
    }
    return QStringLiteral("system");
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor gain(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x4c, 0xd1, 0x7f) : QColor(0x12, 0x8a, 0x3e);
}

QColor loss(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

} // namespace Theme
