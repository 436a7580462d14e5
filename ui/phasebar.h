#pragma once

#include "net/requestsample.h"

#include <QColor>
#include <QList>
#include <QRect>
#include <QString>
#include <QWidget>

class QPalette;

// One request's time split into its phases, like a browser's Timing tab:
//
//   GET tickers · bitunix · new connection (h2) · 153.2 ms
//   [queue|      connect+TLS      |    wait    |dl]
//   ■ queue 0.3 ms  ■ connect+TLS 101.0 ms  ■ wait 50.1 ms  ■ download 1.8 ms
//
// The bar always spans the full width: it shows proportions within one request. connect+TLS, the part a
// reused connection saves, is the one saturated colour; the others are quieter.
class PhaseBar : public QWidget
{
    Q_OBJECT

public:
    enum Phase { Queue, Connect, Wait, Download };
    static constexpr int phaseCount = 4;

    struct Segment
    {
        Phase phase = Queue;
        double ms = 0;
        QRect rect; // in widget coordinates, inside barRect()
        bool labelShown = false; // the ms fit inside the segment
    };

    explicit PhaseBar(QWidget *parent = nullptr);

    bool hasSample() const { return m_hasSample; }
    const RequestSample &sample() const { return m_sample; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Shared with the chart's tooltip so both say the same thing in the same colours.
    static QString phaseName(Phase phase); // "queue", "connect+TLS", "wait", "download"
    static double phaseMs(const RequestSample &sample, Phase phase);
    static QColor phaseColor(Phase phase, const QPalette &palette);
    static QString connectionText(ConnectionKind kind); // "new connection", "reused connection", ...
    // "GET tickers · bitunix · new connection (h2) · 153.2 ms", with the arm when it is no-reuse and the
    // failure when there is one.
    static QString titleFor(const RequestSample &sample);
    static QString emptyText(); // "Hover or click a request in the chart"

    // Test hooks: what paintEvent() draws, computed for the current size.
    QString titleText() const; // empty without a sample
    QRect barRect() const;
    QList<Segment> segments() const; // non-zero phases only, left to right; widths sum to barRect().width()
    // "queue 0.30 ms", ... one per phase, empty without a sample (painted with short names when narrow)
    QStringList legendTexts() const;

    // Pinned, the bar keeps the request the trader picked: showUnlessPinned() leaves it alone.
    bool isPinned() const { return m_pinned; }
    void setPinned(bool pinned);

public slots:
    void setSample(const RequestSample &sample);
    void clear();
    void pin(const RequestSample &sample); // shows it and pins it
    void showUnlessPinned(const RequestSample &sample); // the last request, or a hovered one

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    int lineHeight() const;
    int barHeight() const;

    RequestSample m_sample;
    bool m_hasSample = false;
    bool m_pinned = false;
};
