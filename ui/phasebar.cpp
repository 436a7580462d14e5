#include "phasebar.h"

#include "theme.h"

#include "models/format.h"

#include <QEvent>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <array>
#include <cmath>

namespace {

constexpr int marginX = 4;
constexpr int marginY = 3;
constexpr int gap = 3; // between the title, the bar and the legend
constexpr int swatch = 10; // legend colour square
constexpr int legendSpacing = 14; // between two legend entries

// Black or white, whichever reads on `background`.
QColor textOn(const QColor &background)
{
    const double luminance =
        0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.45 ? QColor(Qt::black) : QColor(Qt::white);
}

constexpr std::array<PhaseBar::Phase, PhaseBar::phaseCount> allPhases = {PhaseBar::Queue, PhaseBar::Connect,
                                                                         PhaseBar::Wait, PhaseBar::Download};

} // namespace

PhaseBar::PhaseBar(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    // Drawn, not made of labels: what it shows is said in its accessible description.
    setAccessibleName(tr("Phases of the selected request"));
    setAccessibleDescription(emptyText());
}

QString PhaseBar::phaseName(Phase phase)
{
    switch (phase) {
    case Queue:
        return tr("queue");
    case Connect:
        return tr("connect+TLS");
    case Wait:
        return tr("wait");
    case Download:
        return tr("download");
    }
    return {};
}

double PhaseBar::phaseMs(const RequestSample &sample, Phase phase)
{
    double ms = 0;
    switch (phase) {
    case Queue:
        ms = sample.queueMs();
        break;
    case Connect:
        ms = sample.connectMs();
        break;
    case Wait:
        ms = sample.waitMs();
        break;
    case Download:
        ms = sample.downloadMs();
        break;
    }
    return std::isfinite(ms) ? std::max(0.0, ms) : 0.0;
}

QColor PhaseBar::phaseColor(Phase phase, const QPalette &palette)
{
    const bool dark = Theme::isDark(palette);
    switch (phase) {
    case Queue: // waiting inside Qt: neutral
        return Theme::blend(palette.color(QPalette::Base), palette.color(QPalette::Text), dark ? 0.45 : 0.35);
    case Connect: // what reuse saves: the one loud colour (Okabe-Ito vermillion)
        return QColor(0xD5, 0x5E, 0x00);
    case Wait: // the server and the link: Okabe-Ito blue, lighter on dark backgrounds
        return dark ? QColor(0x56, 0xB4, 0xE9) : QColor(0x00, 0x72, 0xB2);
    case Download: // Okabe-Ito bluish green
        return QColor(0x00, 0x9E, 0x73);
    }
    return {};
}

QString PhaseBar::connectionText(ConnectionKind kind)
{
    switch (kind) {
    case ConnectionKind::New:
        return tr("new connection");
    case ConnectionKind::Shared:
        return tr("shared new connection");
    case ConnectionKind::Queued:
        return tr("queued for new connection");
    case ConnectionKind::Reused:
        return tr("reused connection");
    case ConnectionKind::Unknown:
        return tr("connection unknown (Qt did not say)");
    }
    return {};
}

namespace {

// The title in two parts: what and how (elided when narrow), and the outcome (always shown, at the right).
std::pair<QString, QString> titleParts(const RequestSample &s)
{
    const QString sep = QStringLiteral(" · ");
    QString what = s.warmUp ? PhaseBar::tr("warm-up") : s.endpoint;
    if (!s.warmUp && !s.method.isEmpty())
        what = QString::fromLatin1(s.method) + u' ' + what;
    QString how = PhaseBar::connectionText(s.connection);
    QStringList details;
    if (s.protocol != HttpProtocol::Unknown)
        details << nameOf(s.protocol);
    if (s.reuse == ReuseMode::NoReuse)
        details << nameOf(s.reuse);
    if (!details.isEmpty())
        how += QStringLiteral(" (") + details.join(QStringLiteral(", ")) + u')';
    QString outcome = formatMs(s.totalMs());
    if (!s.ok()) {
        const QString failure =
            s.error == NetError::HttpStatus ? QStringLiteral("HTTP %1").arg(s.httpStatus) : nameOf(s.error);
        outcome += sep + PhaseBar::tr("failed: %1").arg(failure);
    }
    return {what + sep + (s.exchange.isEmpty() ? s.host : s.exchange) + sep + how, outcome};
}

} // namespace

QString PhaseBar::titleFor(const RequestSample &s)
{
    const auto [head, outcome] = titleParts(s);
    return head + QStringLiteral(" · ") + outcome;
}

QString PhaseBar::emptyText()
{
    return tr("Hover or click a request in the chart");
}

void PhaseBar::setSample(const RequestSample &sample)
{
    m_sample = sample;
    m_hasSample = true;
    setToolTip(titleFor(sample));
    setAccessibleDescription(titleFor(sample) + QStringLiteral(": ")
                             + legendTexts().join(QStringLiteral(", ")));
    update();
}

void PhaseBar::setPinned(bool pinned)
{
    m_pinned = pinned;
}

void PhaseBar::pin(const RequestSample &sample)
{
    setSample(sample);
    m_pinned = true;
}

void PhaseBar::showUnlessPinned(const RequestSample &sample)
{
    if (!m_pinned)
        setSample(sample);
}

void PhaseBar::clear()
{
    m_sample = RequestSample();
    m_hasSample = false;
    setToolTip(QString());
    setAccessibleDescription(emptyText());
    update();
}

int PhaseBar::lineHeight() const
{
    return fontMetrics().height();
}

int PhaseBar::barHeight() const
{
    return std::max(22, lineHeight() + 6);
}

QSize PhaseBar::sizeHint() const
{
    return QSize(480, 2 * marginY + 2 * lineHeight() + barHeight() + 2 * gap);
}

QSize PhaseBar::minimumSizeHint() const
{
    return QSize(200, sizeHint().height());
}

QString PhaseBar::titleText() const
{
    return m_hasSample ? titleFor(m_sample) : QString();
}

QRect PhaseBar::barRect() const
{
    return QRect(marginX, marginY + lineHeight() + gap, std::max(0, width() - 2 * marginX), barHeight());
}

QList<PhaseBar::Segment> PhaseBar::segments() const
{
    QList<Segment> result;
    if (!m_hasSample)
        return result;
    const QRect bar = barRect();
    double total = 0;
    for (Phase phase : allPhases)
        total += phaseMs(m_sample, phase);
    if (total <= 0 || bar.width() <= 0)
        return result;

    // Edges rounded from the running sum, so the widths add up to the bar exactly.
    double running = 0;
    int left = 0;
    for (Phase phase : allPhases) {
        const double ms = phaseMs(m_sample, phase);
        if (ms <= 0)
            continue;
        running += ms;
        const int right = int(std::lround(bar.width() * running / total));
        Segment segment;
        segment.phase = phase;
        segment.ms = ms;
        segment.rect = QRect(bar.left() + left, bar.top(), right - left, bar.height());
        result.append(segment);
        left = right;
    }
    // A phase that took time stays visible: at least one pixel, taken from the widest segment.
    if (bar.width() >= result.size()) {
        for (Segment &segment : result) {
            if (segment.rect.width() > 0)
                continue;
            auto widest =
                std::max_element(result.begin(), result.end(), [](const Segment &a, const Segment &b) {
                    return a.rect.width() < b.rect.width();
                });
            widest->rect.setWidth(widest->rect.width() - 1);
            segment.rect.setWidth(1);
        }
        int x = bar.left();
        for (Segment &segment : result) {
            segment.rect.moveLeft(x);
            x += segment.rect.width();
        }
    }
    const QFontMetrics fm = fontMetrics();
    for (Segment &segment : result)
        segment.labelShown = fm.horizontalAdvance(formatMs(segment.ms)) + 8 <= segment.rect.width();
    return result;
}

QStringList PhaseBar::legendTexts() const
{
    QStringList texts;
    if (!m_hasSample)
        return texts;
    for (Phase phase : allPhases)
        texts << phaseName(phase) + u' ' + formatMs(phaseMs(m_sample, phase));
    return texts;
}

void PhaseBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();

    if (!m_hasSample) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, emptyText());
        return;
    }

    // Title: the outcome (total, failure) always visible at the right; the rest elided rather than wrapped,
    // so the bar never moves.
    const int lh = lineHeight();
    const auto [head, outcome] = titleParts(m_sample);
    QFont titleFont = font();
    titleFont.setBold(true);
    const QFontMetrics tfm(titleFont);
    const QRect titleRect(marginX, marginY, width() - 2 * marginX, lh);
    const QString joint = head + QStringLiteral(" · ");
    const int outcomeWidth = std::min(tfm.horizontalAdvance(outcome), titleRect.width());
    // When it all fits, one line left-aligned; otherwise the head gives way.
    const int headWidth = std::min(tfm.horizontalAdvance(joint), titleRect.width() - outcomeWidth);
    p.setFont(titleFont);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRect(titleRect.left(), titleRect.top(), headWidth, lh), Qt::AlignLeft | Qt::AlignVCenter,
               tfm.elidedText(joint, Qt::ElideRight, headWidth));
    p.setPen(m_sample.ok() ? pal.color(QPalette::WindowText) : QColor(0xD6, 0x27, 0x28));
    p.drawText(QRect(titleRect.left() + headWidth, titleRect.top(), outcomeWidth, lh),
               Qt::AlignLeft | Qt::AlignVCenter, outcome);
    p.setFont(font());

    const QRect bar = barRect();
    p.fillRect(bar, pal.color(QPalette::Base));
    for (const Segment &segment : segments()) {
        const QColor colour = phaseColor(segment.phase, pal);
        p.fillRect(segment.rect, colour);
        if (segment.labelShown) {
            QFont labelFont = font();
            labelFont.setBold(segment.phase == Connect);
            p.setFont(labelFont);
            p.setPen(textOn(colour));
            p.drawText(segment.rect, Qt::AlignCenter, formatMs(segment.ms));
            p.setFont(font());
        }
    }
    // A hairline between segments keeps two neighbours of similar colour apart.
    p.setPen(QPen(pal.color(QPalette::Base), 1));
    const QList<Segment> segs = segments();
    for (int i = 1; i < segs.size(); ++i)
        p.drawLine(segs[i].rect.topLeft(), segs[i].rect.bottomLeft());
    p.setPen(Theme::blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.3));
    p.drawRect(bar.adjusted(0, 0, -1, -1));

    // Legend: every phase, zero ones too (a reused request shows "connect+TLS 0.00 ms": that is the gain).
    // Narrow: tighter spacing, then short names, rather than a clipped last entry.
    QStringList texts = legendTexts();
    const auto widthOf = [&](const QStringList &list, int spacing) {
        int w = 0;
        for (const QString &text : list)
            w += swatch + 4 + fm.horizontalAdvance(text) + spacing;
        return w - spacing;
    };
    const int available = width() - 2 * marginX;
    int spacing = legendSpacing;
    if (widthOf(texts, spacing) > available)
        spacing = legendSpacing / 2;
    if (widthOf(texts, spacing) > available) {
        const QStringList shortNames {tr("queue"), tr("TLS"), tr("wait"), tr("dl")};
        for (int i = 0; i < phaseCount; ++i)
            texts[i] = shortNames.at(i) + u' ' + formatMs(phaseMs(m_sample, allPhases[size_t(i)]));
    }
    int x = marginX;
    const int y = bar.bottom() + 1 + gap;
    for (int i = 0; i < phaseCount; ++i) {
        const Phase phase = allPhases[size_t(i)];
        const QRect box(x, y + (lh - swatch) / 2, swatch, swatch);
        p.fillRect(box, phaseColor(phase, pal));
        x += swatch + 4;
        const bool zero = phaseMs(m_sample, phase) <= 0;
        p.setPen(zero ? pal.color(QPalette::PlaceholderText) : pal.color(QPalette::WindowText));
        const int w = fm.horizontalAdvance(texts.at(i));
        p.drawText(QRect(x, y, w, lh), Qt::AlignLeft | Qt::AlignVCenter, texts.at(i));
        x += w + spacing;
    }
}

void PhaseBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        updateGeometry();
        update();
    }
    QWidget::changeEvent(event);
}
