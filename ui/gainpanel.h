#pragma once

#include "models/gainreport.h"

#include <QWidget>

class QBoxLayout;
class QGridLayout;
class QLabel;

// What connection reuse gains, side by side: Pooled | No reuse (p50, p95, mean connect+TLS, calls), a
// headline
// ("Reuse is 2.9× faster · 105 ms saved per call"), handshakes avoided, time saved per day at the current
// rate, reuse rate and (estimated) open connections per host, and how to measure the missing arm. Shows a
// GainReport, computes nothing.
//
// Labels have object names for tests: headline, window, pooledP50, pooledP95, pooledConnect, pooledCalls,
// noReuseP50, noReuseP95, noReuseConnect, noReuseCalls, handshakesAvoided, savedPerDay, reuseRates,
// openConnections, hint.
class GainPanel : public QWidget
{
    Q_OBJECT
public:
    explicit GainPanel(QWidget *parent = nullptr);

    void setReport(const GainReport &report);
    GainReport report() const { return m_report; }

    QString headlineText() const; // as read: no-break spaces as spaces
    QString hintText() const;
    bool isHintShown() const; // visible when the panel is

    // The texts the panel shows, for tests and for anything that wants to say the same.
    static QString formatSpeedup(double speedup); // "2.9×", "12×"
    static QString formatSavedMs(double ms); // "105 ms", "4.2 ms"
    static QString formatPerDay(double seconds); // "42 s/day", "2.5 min/day", "2.0 h/day"
    static QString formatRate(double callsPerMinute); // "48 calls/min", "6.5 calls/min"
    static QString formatAge(qint64 ms); // "42 s", "4 min 12 s", "1 h 05 min"
    static QString formatCount(qint64 n); // digit-grouped
    static QString formatReuseRate(qint64 reused, qint64 requests); // "100 %", "99.5 %" (rounded down)
    static QString hostLabel(const QString &host, const QString &exchange); // "Bitunix", or "host:port"
    // Readable on the palette's window colour.
    static QColor gainColor(const QPalette &palette);

    QSize minimumSizeHint() const override; // the arms over the facts: it fits a narrow dock

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyColors();
    int sideBySideWidth() const; // narrower than this, the facts go under the arms
    void placeColumns(int width);
    void describeForScreenReaders();

    GainReport m_report;
    QBoxLayout *m_columns = nullptr;
    QGridLayout *m_arms = nullptr;
    QGridLayout *m_facts = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_window = nullptr;
    QLabel *m_pooledP50 = nullptr;
    QLabel *m_pooledP95 = nullptr;
    QLabel *m_pooledConnect = nullptr;
    QLabel *m_pooledCalls = nullptr;
    QLabel *m_noReuseP50 = nullptr;
    QLabel *m_noReuseP95 = nullptr;
    QLabel *m_noReuseConnect = nullptr;
    QLabel *m_noReuseCalls = nullptr;
    QLabel *m_handshakes = nullptr;
    QLabel *m_savedPerDay = nullptr;
    QLabel *m_reuseRates = nullptr;
    QLabel *m_openConnections = nullptr;
    QLabel *m_openCaption = nullptr;
    QLabel *m_hint = nullptr;
    QList<QLabel *> m_muted; // captions, in the palette's placeholder colour
    bool m_gain = false; // the headline shows a gain (coloured)
};
