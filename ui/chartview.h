#pragma once

#include <QChartView>
#include <QPoint>

#include <functional>

QT_BEGIN_NAMESPACE
class QRubberBand;
QT_END_NAMESPACE

// A QChartView with its own rectangle rubber band. Qt 6.4's band cannot be combined with clickable points:
// without ClickThroughRubberBand the band swallows every press, so points never get clicked; with it, the
// band starts only where no item takes the press, and scatter series' items span the whole plot area, so it
// never starts. Here a press goes to the scene (a point gets its click on release) and becomes a zoom only
// once the mouse moves past a few pixels.
class ChartView : public QChartView
{
public:
    ChartView(QChart *chart, QWidget *parent);

    std::function<void()> zoomed;
    std::function<void()> doubleClicked;
    std::function<bool(int key)> keyPressed; // true: taken

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    static constexpr int clickSlop = 4; // px
    QRubberBand *m_band;
    QPoint m_origin;
    bool m_pressed = false;
};
