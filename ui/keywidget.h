#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QWidget>

// "● new connection  ○ reused  ✕ failed  ── p50 pooled  ╌ p50 no-reuse", painted (not font glyphs, which
// vary by platform) in the text colour: the shapes mean the same for every host.
class KeyWidget : public QWidget
{
public:
    // The chart draws its points with these too, so the key cannot drift from them.
    static constexpr int markerSize = 8;
    static QColor errorColor(bool dark);

    explicit KeyWidget(QWidget *parent);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    enum Glyph { Filled, Hollow, Square, Cross, Solid, Dashed };
    struct Item
    {
        Glyph glyph;
        QString text;
    };
    static constexpr int spacing = 10;
    static int glyphWidth(Glyph glyph) { return glyph == Solid || glyph == Dashed ? 16 : markerSize; }
    static QList<Item> items();
};
