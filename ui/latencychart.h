#pragma once

#include "net/requestsample.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class LatencyLog;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QHBoxLayout;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QTimer;
class QToolButton;
class QValueAxis;
class QXYSeries;
QT_END_NAMESPACE

// Every request of the last minutes as a point: x = when it started (local wall-clock time), y = its
// total ms. What is drawn (the points' roles, the median lines, the y scale, the decimation) is computed by
// LatencySeries (app/models/latencyseries.h); this widget draws it and lets the trader point at it.
//
// What a point says:
// - colour: the host (a fixed colour-blind-friendly palette: each exchange's first host gets the exchange's
//   own colour, any other host the next free one; kept for the widget's life);
// - filled: the request paid for a handshake; hollow: it went out on a reused connection; a hollow square:
//   Qt's signals did not tell which; a red cross: it failed;
// - a line per host and reuse arm (pooled solid, no-reuse dashed), drawn over the points: the rolling
//   median of the last LatencySeries::medianOf successful requests of a known kind of that host and arm.
//
// The legend has one entry per host (its colour); the meaning of the shapes is the same for every host,
// so it is said once, in a small key in the header row (under it when the widget is narrow), instead of
// four legend entries per host.
//
// y axis: LatencySeries' scale (p99 x 1.2, so one timeout does not squash the comparison); successful
// requests above it are counted in the header ("2 above 480 ms").
//
// Cost is bounded whatever the request rate: a timer (at most every updateIntervalMs, only while shown)
// rebuilds every series from LatencyLog::window() with one replace() per series, and only when the log
// changed or the window moved by at least a pixel. No series holds more than maxPointsPerSeries(): the
// reduction decimates per pixel column of the plot.
//
// Hover a point: a tooltip with the request's details and phases, and sampleHovered(). Click:
// sampleClicked(). Drag a rectangle: zoom (the view pauses; right click zooms out). Double-click or the
// Live button: follow now again.
class LatencyChart : public QWidget
{
    Q_OBJECT

public:
    enum class Role { Handshake, Reused, Unknown, MedianPooled, MedianNoReuse };

    static constexpr int defaultWindowSeconds = 300;
    static constexpr int defaultMaxPointsPerSeries = 2000;
    // New points show within two seconds (the default share refreshes prices every two), in one redraw: the
    // chart is the costliest thing an idle window draws.
    static constexpr int updateIntervalMs = 2000;
    static constexpr int slideStepMs = updateIntervalMs; // the live window's smallest move

    explicit LatencyChart(const LatencyLog *log, QWidget *parent = nullptr);
    ~LatencyChart() override;

    int windowSeconds() const { return m_windowSeconds; }
    void setWindowSeconds(int seconds); // at least 10; the header offers 1 min, 5 min, 15 min and 1 h

    bool isPaused() const { return m_paused; }
    // Paused: the x range and the points stay as they are (the log keeps filling); resuming follows now again
    // and drops any zoom.
    void setPaused(bool paused);

    int maxPointsPerSeries() const { return m_maxPoints; }
    void setMaxPointsPerSeries(int points); // at least 2

    // The sample behind a point of one of this chart's scatter series, from the lookup built with the points.
    std::optional<RequestSample> sampleAt(const QXYSeries *series, const QPointF &point) const;

    // ---- Test hooks: public so tests can drive the chart without a display or a wall clock.
    // Points that stand for a request (every scatter series, errors included): one per sample shown, so
    // below the cap it equals the non-warm-up samples in the window. The median lines are derived from those
    // points and counted apart, by linePointCount().
    int pointCount() const;
    int linePointCount() const;
    int seriesCount() const;
    // Rebuild from the log now, as the timer would, even if nothing changed. Does nothing while paused.
    void updateNow();
    // What the timer calls: rebuild if the log changed or the window moved; true if it rebuilt.
    bool updateIfNeeded();
    // Per host handshake, reused and unknown, then the error series.
    QList<QXYSeries *> scatterSeries() const;
    QXYSeries *series(const QString &host, Role role) const; // nullptr for a host never shown
    QXYSeries *errorSeries() const;
    QStringList hosts() const; // in order of first appearance (= colour order)
    QColor hostColor(const QString &host) const;
    void setClock(std::function<qint64()> nowMsSinceEpoch); // default: QDateTime::currentMSecsSinceEpoch
    qint64 rangeFromMs() const { return m_from; } // the x range of the last rebuild
    qint64 rangeToMs() const { return m_to; }
    int rebuildCount() const { return m_rebuilds; }
    QString hoverText() const { return m_hoverText; } // the last tooltip shown
    QChartView *chartView() const { return m_view; }
    // Left/Right/Home/End on the focused chart: selects a request as a click would (sampleClicked) and shows
    // its tooltip at its point. False for any other key.
    bool selectByKey(int key);
    QList<QWidget *> focusOrder() const; // its controls, in the order Tab visits them
    // Zooms the view to a range as a rubber band would (and pauses).
    void zoomTo(qint64 fromMs, qint64 toMs, double yMin, double yMax);

signals:
    void sampleClicked(const RequestSample &sample);
    void sampleHovered(const RequestSample &sample);
    void pausedChanged(bool paused);
    void followRequested(); // the trader asked to follow now (Live, or a double-click on the chart)

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct HostSeries
    {
        QString host;
        int colourIndex = 0;
        QScatterSeries *handshake = nullptr;
        QScatterSeries *reused = nullptr;
        QScatterSeries *unknown = nullptr; // Qt's signals did not tell the connection
        QLineSeries *medianPooled = nullptr;
        QLineSeries *medianNoReuse = nullptr;
    };
    struct Lookup
    {
        QList<QPointF> points; // sorted by x, then y: as in the series
        QList<int> samples; // parallel: index into m_shown
    };

    void buildHeader();
    void applyPalette();
    void styleHost(const HostSeries &hs);
    void styleErrors();
    int hostIndex(const QString &host, const QString &exchange);
    // The palette index for a new host: its exchange's own colour if no host has it yet, else the first free.
    int colourFor(const QString &exchange) const;
    void attach(QXYSeries *series);
    void rebuild(qint64 fromMs, qint64 toMs);
    void setYRange(double minMs, double maxMs);
    std::pair<qint64, qint64> liveRange() const;
    int pixelColumns() const;
    void onHovered(QXYSeries *series, const QPointF &point, bool state);
    void onClicked(QXYSeries *series, const QPointF &point);
    void onZoomed();
    void updateHeader();
    void placeKey();
    void showToolTip(const QString &html);
    QString toolTipFor(const RequestSample &sample) const;

    QPointer<const LatencyLog> m_log;
    std::function<qint64()> m_clock;
    int m_windowSeconds = defaultWindowSeconds;
    int m_maxPoints = defaultMaxPointsPerSeries;

    QChart *m_chart = nullptr;
    QChartView *m_view = nullptr;
    QDateTimeAxis *m_axisX = nullptr;
    QValueAxis *m_axisY = nullptr;
    QScatterSeries *m_errors = nullptr;
    QList<HostSeries> m_hosts;
    QHash<QString, int> m_hostIndex;
    QHash<QString, QString> m_hostLabel;

    QLabel *m_title = nullptr;
    QHBoxLayout *m_headerRow = nullptr;
    QHBoxLayout *m_keyRow = nullptr;
    QComboBox *m_windowBox = nullptr;
    QToolButton *m_liveButton = nullptr;
    QLabel *m_status = nullptr;
    QWidget *m_key = nullptr;
    QTimer *m_timer = nullptr;

    bool m_dirty = true; // the log changed since the last rebuild
    bool m_staleWhilePaused = false; // the log dropped samples while paused
    bool m_paused = false;
    bool m_userY = false; // the y range came from a zoom
    qint64 m_from = 0;
    qint64 m_to = 0;
    double m_yMin = 0;
    double m_yMax = 100;
    int m_aboveScale = 0;
    int m_rebuilds = 0;

    QList<RequestSample> m_shown; // the samples behind the points of the last rebuild
    QHash<const QXYSeries *, Lookup> m_lookup;
    QString m_hoverText;
    quint64 m_keySelectedId = 0; // the request Left/Right step from
};
