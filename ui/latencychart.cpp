#include "latencychart.h"

#include "chartview.h"
#include "keywidget.h"
#include "phasebar.h"
#include "theme.h"

#include "exchanges/marketdata.h"
#include "models/format.h"
#include "models/latencylog.h"
#include "models/latencyseries.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <tuple>
#include <vector>

namespace {

constexpr int errorMarkerSize = 9;

// Okabe-Ito, without yellow on light backgrounds (it does not read on white) and without vermillion (errors
// are red). Dark backgrounds get the lighter members first.
QColor hostPaletteColor(int index, bool dark)
{
    static const std::array<QColor, 6> light = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
                                                QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                                                QColor(0x56, 0xB4, 0xE9), QColor(0x66, 0x66, 0x66)};
    static const std::array<QColor, 6> darkColours = {QColor(0x56, 0xB4, 0xE9), QColor(0xE6, 0x9F, 0x00),
                                                      QColor(0x2F, 0xC0, 0x8F), QColor(0xE0, 0x8F, 0xC0),
                                                      QColor(0xF0, 0xE4, 0x42), QColor(0xBB, 0xBB, 0xBB)};
    const auto &colours = dark ? darkColours : light;
    return colours[size_t(index) % colours.size()];
}

// The error marker: a cross drawn as the texture of a square marker. Not a light marker: a series with one
// accepts hover events over the whole plot area and would hide every other series' points from the mouse.
QImage crossImage(const QColor &colour)
{
    QImage image(errorMarkerSize, errorMarkerSize, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(colour, 2.2, Qt::SolidLine, Qt::RoundCap));
    const qreal m = 1.5;
    p.drawLine(QPointF(m, m), QPointF(errorMarkerSize - m, errorMarkerSize - m));
    p.drawLine(QPointF(m, errorMarkerSize - m), QPointF(errorMarkerSize - m, m));
    return image;
}

} // namespace

LatencyChart::LatencyChart(const LatencyLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_chart = new QChart();
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(2, 2, 6, 2));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeCircle);
    m_chart->legend()->setShowToolTips(true);

    m_axisX = new QDateTimeAxis(m_chart);
    m_axisX->setTitleText(tr("time"));
    m_axisX->setTickCount(6);
    m_axisX->setFormat(QStringLiteral("HH:mm:ss"));
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_axisY = new QValueAxis(m_chart);
    m_axisY->setTitleText(tr("ms"));
    m_axisY->setMinorTickCount(0);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);

    m_errors = new QScatterSeries();
    m_errors->setName(tr("failed"));
    attach(m_errors);

    auto *view = new ChartView(m_chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->zoomed = [this] {
        onZoomed();
    };
    view->doubleClicked = [this] {
        setPaused(false);
        emit followRequested();
    };
    view->keyPressed = [this](int key) {
        return selectByKey(key);
    };
    view->setFocusPolicy(Qt::StrongFocus);
    view->setAccessibleName(tr("Latency chart"));
    view->setAccessibleDescription(
        tr("Every request as a point over time. Left and Right step through the requests, Home and End go "
           "to the oldest and the newest; the phase bar below reads the one selected. The figures are in "
           "the panel What reuse saves."));
    m_view = view;

    buildHeader();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_headerRow = new QHBoxLayout();
    m_headerRow->setContentsMargins(4, 0, 4, 0);
    m_headerRow->setSpacing(6);
    m_title = new QLabel(tr("Latency"), this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_headerRow->addWidget(m_title);
    m_headerRow->addWidget(m_windowBox);
    m_headerRow->addWidget(m_liveButton);
    m_headerRow->addWidget(m_status);
    m_headerRow->addStretch(1);
    m_headerRow->addWidget(m_key);
    // The key moves here, under the header, when the header row is too narrow for it.
    m_keyRow = new QHBoxLayout();
    m_keyRow->setContentsMargins(4, 0, 4, 0);
    m_keyRow->addStretch(1);
    layout->addLayout(m_headerRow);
    layout->addLayout(m_keyRow);
    layout->addWidget(m_view, 1);

    applyPalette();
    setYRange(0, m_yMax);

    m_timer = new QTimer(this);
    m_timer->setInterval(updateIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &LatencyChart::updateIfNeeded);

    if (m_log) {
        connect(m_log, &LatencyLog::appended, this, [this] { m_dirty = true; });
        connect(m_log, &LatencyLog::cleared, this, [this] {
            m_dirty = true;
            if (m_paused)
                m_staleWhilePaused = true; // show nothing the log no longer holds
        });
    }
}

LatencyChart::~LatencyChart() = default;

void LatencyChart::buildHeader()
{
    m_windowBox = new QComboBox(this);
    m_windowBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_windowBox->addItem(tr("last 1 min"), 60);
    m_windowBox->addItem(tr("last 5 min"), 300);
    m_windowBox->addItem(tr("last 15 min"), 900);
    m_windowBox->addItem(tr("last 1 h"), 3600);
    m_windowBox->setCurrentIndex(m_windowBox->findData(m_windowSeconds));
    m_windowBox->setToolTip(tr("How far back the chart looks"));
    m_windowBox->setAccessibleName(tr("Chart time window"));
    connect(m_windowBox, &QComboBox::activated, this,
            [this](int index) { setWindowSeconds(m_windowBox->itemData(index).toInt()); });

    m_liveButton = new QToolButton(this);
    m_liveButton->setCheckable(true);
    m_liveButton->setChecked(true);
    m_liveButton->setAutoRaise(false);
    m_liveButton->setToolTip(
        tr("Checked: the chart follows now.\nUncheck, or drag a rectangle on the chart to "
           "zoom, to hold the view still; double-click the chart to follow now again."));
    m_liveButton->setAccessibleName(tr("Follow now"));
    m_liveButton->setAccessibleDescription(m_liveButton->toolTip());
    connect(m_liveButton, &QToolButton::toggled, this, [this](bool live) {
        setPaused(!live);
        if (live)
            emit followRequested();
    });

    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_key = new KeyWidget(this);
    m_key->setAccessibleName(tr("Key of the chart's marks"));
    m_key->setAccessibleDescription(m_key->toolTip());
}

void LatencyChart::attach(QXYSeries *series)
{
    m_chart->addSeries(series);
    series->attachAxis(m_axisX);
    series->attachAxis(m_axisY);
    series->setUseOpenGL(false);
    // One legend entry per host (its handshake series, labelled with the host); the shapes are explained
    // once, by the key in the header row.
    const bool inLegend = std::any_of(m_hosts.cbegin(), m_hosts.cend(),
                                      [series](const HostSeries &hs) { return hs.handshake == series; });
    for (QLegendMarker *marker : m_chart->legend()->markers(series))
        marker->setVisible(inLegend);
    if (auto *scatter = qobject_cast<QScatterSeries *>(series)) {
        connect(scatter, &QXYSeries::hovered, this,
                [this, scatter](const QPointF &point, bool state) { onHovered(scatter, point, state); });
        connect(scatter, &QXYSeries::clicked, this,
                [this, scatter](const QPointF &point) { onClicked(scatter, point); });
    } else {
        connect(series, &QXYSeries::hovered, this,
                [this, series](const QPointF &point, bool state) { onHovered(series, point, state); });
    }
}

// Each exchange keeps its colour from run to run, whichever answers first; other hosts take the next free
// one.
int LatencyChart::colourFor(const QString &exchange) const
{
    QSet<int> taken;
    for (const HostSeries &hs : m_hosts)
        taken.insert(hs.colourIndex);
    int preferred = -1;
    for (Exchange e : allExchanges) {
        if (nameOf(e) == exchange)
            preferred = int(e);
    }
    if (preferred >= 0 && !taken.contains(preferred))
        return preferred;
    int colour = exchangeCount;
    while (taken.contains(colour))
        ++colour;
    return colour;
}

int LatencyChart::hostIndex(const QString &host, const QString &exchange)
{
    const auto found = m_hostIndex.constFind(host);
    if (found != m_hostIndex.cend())
        return *found;

    const int index = int(m_hosts.size());
    const QString label = exchange.isEmpty() ? host : QStringLiteral("%1 (%2)").arg(exchange, host);
    m_hostLabel.insert(host, label);
    HostSeries hs;
    hs.host = host;
    hs.colourIndex = colourFor(exchange);
    hs.handshake = new QScatterSeries();
    hs.handshake->setName(label);
    hs.reused = new QScatterSeries();
    hs.reused->setName(label + tr(" reused"));
    hs.unknown = new QScatterSeries();
    hs.unknown->setName(label + tr(" connection unknown"));
    hs.medianPooled = new QLineSeries();
    hs.medianPooled->setName(label + tr(" p50 pooled"));
    hs.medianNoReuse = new QLineSeries();
    hs.medianNoReuse->setName(label + tr(" p50 no-reuse"));
    m_hosts.append(hs);
    m_hostIndex.insert(host, index);

    // Stacking: every host's points, then the median lines over them (the comparison the chart exists for
    // must not drown in the points), errors on top. Series are re-added in that order (new hosts are rare).
    // A line takes the hover only within its 2 px stroke; a point under it is a pixel away.
    for (QAbstractSeries *series : m_chart->series()) {
        series->disconnect(this);
        m_chart->removeSeries(series);
    }
    for (const HostSeries &h : std::as_const(m_hosts)) {
        attach(h.handshake);
        attach(h.reused);
        attach(h.unknown);
    }
    for (const HostSeries &h : std::as_const(m_hosts)) {
        attach(h.medianPooled);
        attach(h.medianNoReuse);
    }
    attach(m_errors);
    for (const HostSeries &h : std::as_const(m_hosts))
        styleHost(h);
    styleErrors();
    return index;
}

void LatencyChart::styleHost(const HostSeries &hs)
{
    const QPalette pal = palette();
    const bool dark = Theme::isDark(pal);
    const QColor colour = hostPaletteColor(hs.colourIndex, dark);
    const QColor plot = pal.color(QPalette::Base);

    hs.handshake->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    hs.handshake->setMarkerSize(KeyWidget::markerSize);
    // Hosts at the same distance draw on top of each other: see-through markers let both show.
    QColor seeThrough = colour;
    seeThrough.setAlphaF(0.75);
    hs.handshake->setBrush(seeThrough);
    hs.handshake->setPen(QPen(plot, 0.8)); // separates overlapping filled markers

    hs.reused->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    hs.reused->setMarkerSize(KeyWidget::markerSize);
    hs.reused->setBrush(Qt::NoBrush);
    hs.reused->setPen(QPen(seeThrough, 1.5));

    hs.unknown->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    hs.unknown->setMarkerSize(KeyWidget::markerSize - 2);
    hs.unknown->setBrush(Qt::NoBrush);
    hs.unknown->setPen(QPen(seeThrough, 1.5));

    // The median lines a shade away from the host's markers, so they read over their own points.
    const QColor line = dark ? colour.lighter(125) : colour.darker(135);
    QPen pooled(line, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    hs.medianPooled->setPen(pooled);
    QPen noReuse(line, 2, Qt::DashLine, Qt::FlatCap, Qt::RoundJoin);
    hs.medianNoReuse->setPen(noReuse);
}

void LatencyChart::styleErrors()
{
    const bool dark = Theme::isDark(palette());
    m_errors->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_errors->setMarkerSize(errorMarkerSize);
    m_errors->setBrush(QBrush(crossImage(KeyWidget::errorColor(dark))));
    m_errors->setPen(QPen(Qt::transparent));
}

void LatencyChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor window = pal.color(QPalette::Window);
    const QColor plot = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::WindowText);

    m_chart->setBackgroundBrush(window);
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setPlotAreaBackgroundBrush(plot);
    m_chart->setPlotAreaBackgroundPen(QPen(Theme::blend(plot, text, 0.35), 1));
    m_chart->setPlotAreaBackgroundVisible(true);
    m_view->setBackgroundBrush(window);

    QFont small = font();
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.9);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_axisX), static_cast<QAbstractAxis *>(m_axisY)}) {
        axis->setLabelsColor(text);
        axis->setLabelsFont(small);
        axis->setTitleBrush(Theme::blend(window, text, 0.7));
        axis->setTitleFont(small);
        axis->setGridLineColor(Theme::blend(plot, text, 0.12));
        axis->setLinePenColor(Theme::blend(plot, text, 0.35));
        axis->setShadesVisible(false);
    }
    m_chart->legend()->setLabelColor(text);
    m_chart->legend()->setFont(small);
    m_chart->legend()->setBrush(Qt::NoBrush);
    m_chart->legend()->setPen(Qt::NoPen);

    for (const HostSeries &hs : std::as_const(m_hosts))
        styleHost(hs);
    styleErrors();
    m_key->update();
    updateHeader();
}

void LatencyChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if ((event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) && m_status)
        applyPalette();
}

void LatencyChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timer->start();
    updateIfNeeded();
}

void LatencyChart::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop(); // nothing to look at: no rebuilds
}

void LatencyChart::setWindowSeconds(int seconds)
{
    seconds = std::max(10, seconds);
    if (seconds == m_windowSeconds)
        return;
    m_windowSeconds = seconds;
    int index = m_windowBox->findData(seconds);
    if (index < 0) {
        const QString span = seconds % 3600 == 0 ? tr("%1 h").arg(seconds / 3600)
            : seconds % 60 == 0                  ? tr("%1 min").arg(seconds / 60)
                                                 : tr("%1 s").arg(seconds);
        m_windowBox->addItem(tr("last %1").arg(span), seconds);
        index = m_windowBox->count() - 1;
    }
    const QSignalBlocker blocker(m_windowBox);
    m_windowBox->setCurrentIndex(index);
    m_axisX->setFormat(seconds > 1800 ? QStringLiteral("HH:mm") : QStringLiteral("HH:mm:ss"));
    m_dirty = true;
    if (m_paused) {
        // Keep the moment the trader is looking at, with the new width before it.
        m_userY = false;
        rebuild(m_to - qint64(seconds) * 1000, m_to);
    } else {
        updateIfNeeded();
    }
}

void LatencyChart::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    if (paused) {
        if (m_rebuilds == 0)
            updateNow();
        m_paused = true;
    } else {
        m_paused = false;
        m_userY = false;
        m_staleWhilePaused = false;
        m_dirty = true;
        updateIfNeeded();
    }
    updateHeader();
    emit pausedChanged(m_paused);
}

void LatencyChart::setMaxPointsPerSeries(int points)
{
    m_maxPoints = std::max(2, points);
    m_dirty = true;
}

void LatencyChart::setClock(std::function<qint64()> nowMsSinceEpoch)
{
    m_clock = std::move(nowMsSinceEpoch);
    m_dirty = true;
}

int LatencyChart::pixelColumns() const
{
    const int width = int(m_chart->plotArea().width());
    return width >= 50 ? width : m_maxPoints / 2;
}

std::pair<qint64, qint64> LatencyChart::liveRange() const
{
    const qint64 windowMs = qint64(m_windowSeconds) * 1000;
    // The window moves in steps of at least one pixel, and at most once per update interval: every move
    // redraws the whole chart, and a window of minutes gains nothing from moving more often.
    const qint64 quantum = std::max<qint64>(slideStepMs, windowMs / std::max(1, pixelColumns()));
    const qint64 now = m_clock();
    const qint64 to = (now / quantum + 1) * quantum;
    qint64 from = to - windowMs;
    // Until the log covers the window (the first minutes after launch), the axis shows what there is rather
    // than a plot that is empty but for its right edge.
    if (m_log && !m_log->isEmpty()) {
        constexpr qint64 minimumSpanMs = 60'000;
        const qint64 oldest = m_log->earliestStartMs();
        from = std::max(from, std::min(to - minimumSpanMs, oldest / quantum * quantum - quantum));
    }
    return {from, to};
}

void LatencyChart::updateNow()
{
    if (m_paused)
        return;
    const auto [from, to] = liveRange();
    rebuild(from, to);
}

bool LatencyChart::updateIfNeeded()
{
    if (m_paused) {
        if (!m_staleWhilePaused)
            return false;
        m_staleWhilePaused = false;
        rebuild(m_from, m_to);
        return true;
    }
    const auto [from, to] = liveRange();
    if (!m_dirty && from == m_from && to == m_to && m_rebuilds > 0)
        return false;
    rebuild(from, to);
    return true;
}

void LatencyChart::setYRange(double minMs, double maxMs)
{
    m_yMin = minMs;
    m_yMax = maxMs;
    const double step = LatencySeries::niceStep(std::max(1e-6, maxMs - minMs) / 4);
    m_axisY->setRange(minMs, maxMs);
    // Ticks at multiples of a nice step, zoomed or not.
    m_axisY->setTickType(QValueAxis::TicksDynamic);
    m_axisY->setTickAnchor(0);
    m_axisY->setTickInterval(step);
    // As many decimals as the step has: 25 -> "%.0f", 2.5 -> "%.1f", 0.25 -> "%.2f".
    const int exponent = int(std::floor(std::log10(step) + 1e-9));
    const bool twoAndAHalf = std::abs(step / std::pow(10.0, exponent) - 2.5) < 1e-6;
    const int decimals = std::clamp(-exponent + (twoAndAHalf ? 1 : 0), 0, 4);
    m_axisY->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
}

void LatencyChart::rebuild(qint64 fromMs, qint64 toMs)
{
    ++m_rebuilds;
    m_dirty = false;
    m_from = fromMs;
    m_to = toMs;

    const QList<RequestSample> window = m_log ? m_log->window(fromMs, toMs) : QList<RequestSample>();
    // The y range comes from the successful requests in view, unless a zoom chose it.
    const std::optional<YRange> zoomedY =
        m_userY ? std::optional<YRange>(YRange {m_yMin, m_yMax}) : std::nullopt;
    LatencySeries reduced =
        LatencySeries::compute(window, {fromMs, toMs, m_maxPoints, pixelColumns()}, zoomedY);
    if (!m_userY)
        setYRange(reduced.yRange.min, reduced.yRange.max);
    m_aboveScale = reduced.aboveScale;

    // Hosts keep their series (and colour) for the widget's life; one that left the window shows nothing.
    std::vector<HostPoints> perHost;
    for (HostPoints &hp : reduced.hosts) {
        const int h = hostIndex(hp.host, hp.exchange);
        if (int(perHost.size()) <= h)
            perHost.resize(size_t(h) + 1);
        perHost[size_t(h)] = std::move(hp);
    }
    perHost.resize(size_t(m_hosts.size()));

    QHash<int, int> shownIndex; // window index -> m_shown index
    QList<RequestSample> shown;
    QHash<const QXYSeries *, Lookup> lookup;
    const auto publish = [&](QXYSeries *series, const std::vector<ChartPoint> &points) {
        Lookup entry;
        entry.points.reserve(qsizetype(points.size()));
        entry.samples.reserve(qsizetype(points.size()));
        for (const ChartPoint &pt : points) {
            entry.points.append(QPointF(pt.x, pt.y));
            auto found = shownIndex.constFind(pt.sample);
            if (found == shownIndex.cend()) {
                found = shownIndex.insert(pt.sample, int(shown.size()));
                shown.append(window.at(pt.sample));
            }
            entry.samples.append(*found);
        }
        series->replace(entry.points);
        lookup.insert(series, std::move(entry));
    };

    for (int h = 0; h < m_hosts.size(); ++h) {
        const HostPoints &hp = perHost[size_t(h)];
        publish(m_hosts[h].handshake, hp.handshake);
        publish(m_hosts[h].reused, hp.reused);
        publish(m_hosts[h].unknown, hp.unknown);
        publish(m_hosts[h].medianPooled, hp.medianPooled);
        publish(m_hosts[h].medianNoReuse, hp.medianNoReuse);
    }
    publish(m_errors, reduced.errors);

    m_shown = std::move(shown);
    m_lookup = std::move(lookup);
    m_axisX->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    updateHeader();
}

void LatencyChart::updateHeader()
{
    QStringList parts;
    if (m_paused)
        parts << tr("paused");
    if (m_aboveScale > 0)
        parts << tr("%n above %1", nullptr, m_aboveScale).arg(formatMs(m_yMax));
    m_status->setText(parts.join(QStringLiteral(" · ")));
    const QSignalBlocker blocker(m_liveButton);
    m_liveButton->setChecked(!m_paused);
    m_liveButton->setText(m_paused ? tr("Live") : tr("● Live"));
    placeKey();
}

void LatencyChart::placeKey()
{
    if (!m_headerRow || !m_keyRow)
        return;
    int needed = m_headerRow->contentsMargins().left() + m_headerRow->contentsMargins().right();
    for (QWidget *w : {static_cast<QWidget *>(m_title), static_cast<QWidget *>(m_windowBox),
                       static_cast<QWidget *>(m_liveButton), static_cast<QWidget *>(m_status), m_key}) {
        if (w->isVisibleTo(this) || w == m_key)
            needed += w->sizeHint().width() + m_headerRow->spacing();
    }
    const bool inHeader = m_headerRow->indexOf(m_key) >= 0;
    const bool fits = width() >= needed + 12;
    if (fits && !inHeader) {
        m_keyRow->removeWidget(m_key);
        m_headerRow->addWidget(m_key);
    } else if (!fits && inHeader) {
        m_headerRow->removeWidget(m_key);
        m_keyRow->addWidget(m_key);
    }
}

void LatencyChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeKey();
}

std::optional<RequestSample> LatencyChart::sampleAt(const QXYSeries *series, const QPointF &point) const
{
    const auto found = m_lookup.constFind(series);
    if (found == m_lookup.cend())
        return std::nullopt;
    const Lookup &entry = *found;
    auto it = std::lower_bound(entry.points.cbegin(), entry.points.cend(), point.x(),
                               [](const QPointF &p, double x) { return p.x() < x; });
    for (; it != entry.points.cend() && it->x() == point.x(); ++it) {
        if (it->y() == point.y())
            return m_shown.at(entry.samples.at(int(it - entry.points.cbegin())));
    }
    return std::nullopt;
}

QString LatencyChart::toolTipFor(const RequestSample &s) const
{
    const QPalette pal = palette();
    const QString sep = QStringLiteral(" · ");
    QString html = QStringLiteral("<b>%1</b>%2%3<br>")
                       .arg((QString::fromLatin1(s.method) + u' ' + s.endpoint).trimmed().toHtmlEscaped(),
                            sep, (s.exchange.isEmpty() ? s.host : s.exchange).toHtmlEscaped());
    QStringList line2 {s.host.toHtmlEscaped()};
    if (s.httpStatus > 0)
        line2 << QStringLiteral("HTTP %1").arg(s.httpStatus);
    line2 << nameOf(s.protocol);
    html += line2.join(sep) + QStringLiteral("<br>");
    html += QStringLiteral("<b>%1</b>%2%3 arm<br>")
                .arg(PhaseBar::connectionText(s.connection), sep, nameOf(s.reuse));
    html += tr("total <b>%1</b> at %2")
                .arg(formatMs(s.totalMs()),
                     QDateTime::fromMSecsSinceEpoch(s.startedAtMsSinceEpoch)
                         .toString(QStringLiteral("HH:mm:ss.zzz")));
    if (!s.ok()) {
        const QString failure =
            s.error == NetError::HttpStatus ? QStringLiteral("HTTP %1").arg(s.httpStatus) : nameOf(s.error);
        html += QStringLiteral("<br><span style=\"color:%1\"><b>%2</b></span>")
                    .arg(KeyWidget::errorColor(Theme::isDark(pal)).name(),
                         (tr("failed: %1").arg(failure)
                          + (s.errorText.isEmpty() ? QString() : QStringLiteral(" — ") + s.errorText))
                             .toHtmlEscaped());
    }
    html += QStringLiteral("<table cellspacing=0 cellpadding=0 style=\"margin-top:3px\">");
    for (PhaseBar::Phase phase : {PhaseBar::Queue, PhaseBar::Connect, PhaseBar::Wait, PhaseBar::Download}) {
        html += QStringLiteral("<tr><td><span style=\"color:%1\">■</span> %2&nbsp;&nbsp;</td>"
                               "<td align=right>%3</td></tr>")
                    .arg(PhaseBar::phaseColor(phase, pal).name(), PhaseBar::phaseName(phase),
                         formatMs(PhaseBar::phaseMs(s, phase)));
    }
    html += QStringLiteral("</table>");
    return html;
}

void LatencyChart::showToolTip(const QString &html)
{
    m_hoverText = html;
    if (html.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(QCursor::pos(), html, m_view);
}

void LatencyChart::onHovered(QXYSeries *series, const QPointF &point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    if (qobject_cast<QScatterSeries *>(series)) {
        const std::optional<RequestSample> sample = sampleAt(series, point);
        if (!sample)
            return;
        showToolTip(toolTipFor(*sample));
        emit sampleHovered(*sample);
        return;
    }
    // A median line: Qt gives the point under the mouse; the nearest computed point says which run it is.
    const auto found = m_lookup.constFind(series);
    if (found == m_lookup.cend() || found->points.isEmpty())
        return;
    const Lookup &entry = *found;
    auto it = std::lower_bound(entry.points.cbegin(), entry.points.cend(), point.x(),
                               [](const QPointF &p, double x) { return p.x() < x; });
    if (it == entry.points.cend()
        || (it != entry.points.cbegin() && point.x() - (it - 1)->x() < it->x() - point.x()))
        --it;
    const int i = int(it - entry.points.cbegin());
    const RequestSample &s = m_shown.at(entry.samples.at(i));
    showToolTip(
        tr("<b>%1</b><br>%2 arm: median of the last %3 successful requests <b>%4</b><br>up to %5")
            .arg(m_hostLabel.value(s.host, s.host).toHtmlEscaped(), nameOf(s.reuse))
            .arg(LatencySeries::medianOf)
            .arg(formatMs(it->y()),
                 QDateTime::fromMSecsSinceEpoch(qint64(it->x())).toString(QStringLiteral("HH:mm:ss"))));
}

QList<QWidget *> LatencyChart::focusOrder() const
{
    return {m_windowBox, m_liveButton, m_view};
}

bool LatencyChart::selectByKey(int key)
{
    if (key != Qt::Key_Left && key != Qt::Key_Right && key != Qt::Key_Home && key != Qt::Key_End)
        return false;
    if (m_shown.isEmpty())
        return true;
    // The requests shown, in the order they started.
    QList<int> order(m_shown.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [this](int a, int b) {
        const RequestSample &x = m_shown.at(a);
        const RequestSample &y = m_shown.at(b);
        return std::tie(x.startedAtMsSinceEpoch, x.id) < std::tie(y.startedAtMsSinceEpoch, y.id);
    });
    qsizetype at = -1;
    for (qsizetype i = 0; i < order.size() && m_keySelectedId != 0; ++i) {
        if (m_shown.at(order[i]).id == m_keySelectedId)
            at = i;
    }
    const qsizetype last = order.size() - 1;
    switch (key) {
    case Qt::Key_Home:
        at = 0;
        break;
    case Qt::Key_End:
        at = last;
        break;
    case Qt::Key_Left:
        at = at < 0 ? last : std::max<qsizetype>(0, at - 1);
        break;
    default:
        at = at < 0 ? last : std::min(last, at + 1);
        break;
    }
    const RequestSample &sample = m_shown.at(order[at]);
    m_keySelectedId = sample.id;
    // The same tooltip as a hover, at the point.
    for (auto it = m_lookup.cbegin(); it != m_lookup.cend(); ++it) {
        const int i = int(it->samples.indexOf(order[at]));
        if (i < 0 || !qobject_cast<const QScatterSeries *>(it.key()))
            continue;
        auto *series = const_cast<QXYSeries *>(it.key());
        const QPointF scene = m_chart->mapToPosition(it->points.at(i), series);
        m_hoverText = toolTipFor(sample);
        QToolTip::showText(m_view->mapToGlobal(m_view->mapFromScene(scene)), m_hoverText, m_view);
        break;
    }
    emit sampleClicked(sample);
    return true;
}

void LatencyChart::onClicked(QXYSeries *series, const QPointF &point)
{
    if (const std::optional<RequestSample> sample = sampleAt(series, point)) {
        m_keySelectedId = sample->id; // the arrow keys go on from here
        emit sampleClicked(*sample);
    }
}

void LatencyChart::onZoomed()
{
    const qint64 from = m_axisX->min().toMSecsSinceEpoch();
    const qint64 to = m_axisX->max().toMSecsSinceEpoch();
    zoomTo(from, to, m_axisY->min(), m_axisY->max());
}

void LatencyChart::zoomTo(qint64 fromMs, qint64 toMs, double yMin, double yMax)
{
    const bool wasPaused = m_paused;
    m_paused = true;
    m_staleWhilePaused = false;
    m_userY = true;
    setYRange(yMin, yMax);
    rebuild(fromMs, std::max(toMs, fromMs + 1)); // the zoomed range, at full detail
    if (!wasPaused)
        emit pausedChanged(true);
}

int LatencyChart::pointCount() const
{
    int count = 0;
    for (const QXYSeries *series : scatterSeries())
        count += series->count();
    return count;
}

int LatencyChart::linePointCount() const
{
    int count = 0;
    for (const HostSeries &hs : m_hosts)
        count += hs.medianPooled->count() + hs.medianNoReuse->count();
    return count;
}

int LatencyChart::seriesCount() const
{
    return int(m_chart->series().size());
}

QList<QXYSeries *> LatencyChart::scatterSeries() const
{
    QList<QXYSeries *> list;
    for (const HostSeries &hs : m_hosts)
        list << hs.handshake << hs.reused << hs.unknown;
    list << m_errors;
    return list;
}

QXYSeries *LatencyChart::series(const QString &host, Role role) const
{
    const int index = m_hostIndex.value(host, -1);
    if (index < 0)
        return nullptr;
    const HostSeries &hs = m_hosts.at(index);
    switch (role) {
    case Role::Handshake:
        return hs.handshake;
    case Role::Reused:
        return hs.reused;
    case Role::Unknown:
        return hs.unknown;
    case Role::MedianPooled:
        return hs.medianPooled;
    case Role::MedianNoReuse:
        return hs.medianNoReuse;
    }
    return nullptr;
}

QXYSeries *LatencyChart::errorSeries() const
{
    return m_errors;
}

QStringList LatencyChart::hosts() const
{
    QStringList list;
    for (const HostSeries &hs : m_hosts)
        list << hs.host;
    return list;
}

QColor LatencyChart::hostColor(const QString &host) const
{
    const int index = m_hostIndex.value(host, -1);
    return index < 0 ? QColor() : hostPaletteColor(m_hosts.at(index).colourIndex, Theme::isDark(palette()));
}
