#include "gainpanel.h"

#include "theme.h"

#include "models/format.h"

#include <QBoxLayout>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QResizeEvent>

#include <cmath>

namespace {

const QString separator = QStringLiteral(" · ");

// One entry of a list that may wrap: it wraps between entries, never inside one.
QString unbroken(QString text)
{
    return text.replace(QLatin1Char(' '), QChar(0x00A0));
}

QLabel *makeLabel(QWidget *parent, const QString &objectName, Qt::Alignment alignment = Qt::AlignLeft)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setAlignment(alignment | Qt::AlignVCenter);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString oneDecimal(double value)
{
    return QString::number(value, 'f', 1);
}

} // namespace

GainPanel::GainPanel(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("What reuse saves"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 4, 6, 4);
    outer->setSpacing(2);
    // Its minimum width is that of the arms over the facts (minimumSizeHint), not side by side.
    outer->setSizeConstraint(QLayout::SetNoConstraint);

    m_headline = makeLabel(this, QStringLiteral("headline"));
    QFont big = m_headline->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.35);
    m_headline->setFont(big);
    m_headline->setWordWrap(true);
    outer->addWidget(m_headline);

    m_window = makeLabel(this, QStringLiteral("window"));
    m_muted.append(m_window);
    outer->addWidget(m_window);

    // Two independent grids side by side, so that a fact wrapping on the right does not stretch the rows of
    // the arms on the left.
    m_columns = new QBoxLayout(QBoxLayout::LeftToRight);
    m_columns->setSpacing(18);
    outer->addLayout(m_columns);
    auto *columns = m_columns;

    // Left: the two arms side by side.
    auto *arms = new QGridLayout;
    m_arms = arms;
    arms->setHorizontalSpacing(12);
    arms->setVerticalSpacing(2);
    columns->addLayout(arms);
    const Qt::Alignment right = Qt::AlignRight;
    auto *pooledHeader = makeLabel(this, QStringLiteral("pooledHeader"), right);
    pooledHeader->setText(tr("Pooled"));
    auto *noReuseHeader = makeLabel(this, QStringLiteral("noReuseHeader"), right);
    noReuseHeader->setText(tr("No reuse"));
    QFont bold = pooledHeader->font();
    bold.setBold(true);
    pooledHeader->setFont(bold);
    noReuseHeader->setFont(bold);
    arms->addWidget(pooledHeader, 0, 1);
    arms->addWidget(noReuseHeader, 0, 2);

    const auto row = [&](int r, const QString &caption, const QString &tip, QLabel **pooled,
                         const QString &pooledName, QLabel **noReuse, const QString &noReuseName) {
        auto *label = makeLabel(this, QString());
        label->setText(caption);
        label->setToolTip(tip);
        m_muted.append(label);
        arms->addWidget(label, r, 0);
        *pooled = makeLabel(this, pooledName, right);
        *noReuse = makeLabel(this, noReuseName, right);
        arms->addWidget(*pooled, r, 1);
        arms->addWidget(*noReuse, r, 2);
    };
    row(1, tr("p50"), tr("Median total time of a call"), &m_pooledP50, QStringLiteral("pooledP50"),
        &m_noReuseP50, QStringLiteral("noReuseP50"));
    row(2, tr("p95"), tr("95th percentile of the total time of a call"), &m_pooledP95,
        QStringLiteral("pooledP95"), &m_noReuseP95, QStringLiteral("noReuseP95"));
    row(3, tr("connect+TLS"), tr("Mean time spent opening connections (TCP and TLS handshakes) per call"),
        &m_pooledConnect, QStringLiteral("pooledConnect"), &m_noReuseConnect,
        QStringLiteral("noReuseConnect"));
    row(4, tr("calls"), tr("Successful API calls in the window (warm-ups and failures not counted)"),
        &m_pooledCalls, QStringLiteral("pooledCalls"), &m_noReuseCalls, QStringLiteral("noReuseCalls"));
    arms->setRowStretch(5, 1);
    arms->setColumnStretch(3, 1); // stacked over the facts, the numbers stay next to their captions

    // Right: the facts.
    auto *facts = new QGridLayout;
    m_facts = facts;
    facts->setHorizontalSpacing(10);
    facts->setVerticalSpacing(2);
    columns->addLayout(facts, 1);
    const auto fact = [&](int r, const QString &caption, const QString &tip, QLabel **value,
                          const QString &name) {
        auto *label = makeLabel(this, name + QStringLiteral("Caption"), Qt::AlignLeft | Qt::AlignTop);
        label->setText(caption);
        label->setToolTip(tip);
        m_muted.append(label);
        facts->addWidget(label, r, 0, Qt::AlignTop);
        *value = makeLabel(this, name, Qt::AlignLeft | Qt::AlignTop);
        (*value)->setWordWrap(true);
        facts->addWidget(*value, r, 1, Qt::AlignTop);
        return label;
    };
    fact(0, tr("Handshakes avoided"),
         tr("Pooled calls minus the connections they opened, since the start of the session"), &m_handshakes,
         QStringLiteral("handshakesAvoided"));
    fact(1, tr("Time saved"),
         tr("ms saved per call (p50) × calls per day at the current rate: every call pooled against every "
            "call on a new connection"),
         &m_savedPerDay, QStringLiteral("savedPerDay"));
    fact(2, tr("Reuse rate"), tr("Pooled calls that waited for no handshake, per host, since the start"),
         &m_reuseRates, QStringLiteral("reuseRates"));
    m_openCaption = fact(3, tr("Open connections (est.)"), QString(), &m_openConnections,
                         QStringLiteral("openConnections"));
    facts->setColumnStretch(1, 1);
    facts->setRowStretch(4, 1);

    m_hint = makeLabel(this, QStringLiteral("hint"));
    m_hint->setWordWrap(true);
    m_hint->setVisible(false);
    outer->addSpacing(2);
    outer->addWidget(m_hint);
    outer->addStretch(1);

    applyColors();
    setReport(GainReport());
}

QString GainPanel::formatSpeedup(double speedup)
{
    if (!std::isfinite(speedup))
        return absentText();
    return (speedup < 10 ? oneDecimal(speedup) : QString::number(std::round(speedup), 'f', 0))
        + QStringLiteral("×");
}

QString GainPanel::formatSavedMs(double ms)
{
    if (!std::isfinite(ms))
        return absentText();
    if (std::abs(ms) >= 10 && std::abs(ms) < 1000)
        return QString::number(std::round(ms), 'f', 0) + QStringLiteral(" ms");
    return formatMs(ms);
}

QString GainPanel::formatPerDay(double seconds)
{
    if (!std::isfinite(seconds))
        return absentText();
    const double magnitude = std::abs(seconds);
    if (magnitude < 10)
        return oneDecimal(seconds) + QStringLiteral(" s/day");
    if (magnitude < 60)
        return QString::number(std::round(seconds), 'f', 0) + QStringLiteral(" s/day");
    if (magnitude < 3600)
        return oneDecimal(seconds / 60) + QStringLiteral(" min/day");
    return oneDecimal(seconds / 3600) + QStringLiteral(" h/day");
}

QString GainPanel::formatRate(double callsPerMinute)
{
    if (!std::isfinite(callsPerMinute))
        return absentText();
    const QString number = callsPerMinute < 10 && callsPerMinute != std::round(callsPerMinute)
        ? oneDecimal(callsPerMinute)
        : formatCount(qint64(std::round(callsPerMinute)));
    return number + QStringLiteral(" calls/min");
}

QString GainPanel::formatAge(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0'));
}

QString GainPanel::formatReuseRate(qint64 reused, qint64 requests)
{
    if (requests <= 0)
        return absentText();
    if (reused >= requests)
        return QStringLiteral("100 %");
    // Rounded down: 451 of 452 is not "100 %".
    return QString::number(std::floor(1000.0 * double(reused) / double(requests)) / 10, 'f', 1)
        + QStringLiteral(" %");
}

QString GainPanel::formatCount(qint64 n)
{
    return formatDecimal(Decimal::fromValue(double(n)), 0);
}

QString GainPanel::hostLabel(const QString &host, const QString &exchange)
{
    if (!exchange.isEmpty())
        return exchange.left(1).toUpper() + exchange.mid(1);
    return host.endsWith(QLatin1String(":443")) ? host.chopped(4) : host;
}

QColor GainPanel::gainColor(const QPalette &palette)
{
    // Green of about the same contrast against a light or a dark window.
    return Theme::isDark(palette) ? QColor(0x5c, 0xd0, 0x7a) : QColor(0x15, 0x6b, 0x30);
}

void GainPanel::applyColors()
{
    // Palettes with only the role set here: everything else follows the application's palette.
    QPalette headline;
    if (m_gain)
        headline.setColor(QPalette::WindowText, gainColor(palette()));
    m_headline->setPalette(headline);
    // Captions: the text colour a third of the way to the background (PlaceholderText may be translucent).
    const QColor text = palette().color(QPalette::WindowText);
    const QColor window = palette().color(QPalette::Window);
    QPalette muted;
    muted.setColor(QPalette::WindowText,
                   QColor::fromRgbF(text.redF() * 0.65 + window.redF() * 0.35,
                                    text.greenF() * 0.65 + window.greenF() * 0.35,
                                    text.blueF() * 0.65 + window.blueF() * 0.35));
    for (QLabel *label : std::as_const(m_muted))
        label->setPalette(muted);
}

int GainPanel::sideBySideWidth() const
{
    const QMargins margins = layout()->contentsMargins();
    return margins.left() + m_arms->sizeHint().width() + m_columns->spacing() + m_facts->minimumSize().width()
        + margins.right();
}

QSize GainPanel::minimumSizeHint() const
{
    const QMargins margins = layout()->contentsMargins();
    const int stacked = std::max(m_arms->minimumSize().width(), m_facts->minimumSize().width());
    // The headline, the facts and the hint wrap: at this width they need what heightForWidth says, which the
    // layout's own minimum leaves out (a dock gives a widget its minimum height, no more).
    const int height = std::max(QWidget::minimumSizeHint().height(), layout()->totalHeightForWidth(width()));
    return QSize(margins.left() + stacked + margins.right(), height);
}

void GainPanel::placeColumns(int width)
{
    // In a narrow dock the facts go under the arms instead of beside them.
    const auto direction = width < sideBySideWidth() ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight;
    if (m_columns->direction() != direction) {
        m_columns->setDirection(direction);
        updateGeometry(); // stacked, it needs more height
    }
}

void GainPanel::resizeEvent(QResizeEvent *event)
{
    placeColumns(event->size().width());
    QWidget::resizeEvent(event);
}

void GainPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColors();
}

void GainPanel::setReport(const GainReport &report)
{
    m_report = report;
    const GainReport &r = m_report;

    const qint64 windowMinutes = r.windowMs / 60'000;
    const QString window =
        windowMinutes * 60'000 == r.windowMs ? tr("%1 min").arg(windowMinutes) : formatAge(r.windowMs);
    m_window->setText(tr("Last %1 · successful API calls").arg(window));

    m_gain = false;
    if (r.bothArms() && !r.enoughForVerdict()) {
        m_headline->setText(tr("Measuring: %1 pooled and %2 no-reuse calls so far, a verdict from %3 each")
                                .arg(formatCount(r.pooled.count), formatCount(r.noReuse.count))
                                .arg(GainReport::callsForVerdict));
    } else if (r.bothArms() && std::isfinite(r.msSavedPerCall) && r.msSavedPerCall > 0) {
        m_gain = true;
        // Wrapped, if need be, at the separator.
        m_headline->setText(unbroken(tr("Reuse is %1 faster").arg(formatSpeedup(r.speedup))) + separator
                            + unbroken(tr("%1 saved per call").arg(formatSavedMs(r.msSavedPerCall))));
    } else if (r.bothArms()) {
        m_headline->setText(tr("No gain from reuse measured%1%2%3%4 more per call")
                                .arg(separator, formatSpeedup(r.speedup), separator,
                                     formatSavedMs(std::abs(r.msSavedPerCall))));
    } else if (r.pooled.hasSamples()) {
        m_headline->setText(
            tr("Pooled: %1 per call (p50), nothing to compare with yet").arg(formatMs(r.pooled.p50)));
    } else if (r.noReuse.hasSamples()) {
        m_headline->setText(
            tr("No reuse: %1 per call (p50), nothing to compare with yet").arg(formatMs(r.noReuse.p50)));
    } else {
        m_headline->setText(tr("No calls measured yet"));
    }

    const auto showArm = [](const GainArm &arm, QLabel *p50, QLabel *p95, QLabel *connect, QLabel *calls) {
        p50->setText(formatMs(arm.p50));
        p95->setText(formatMs(arm.p95));
        connect->setText(formatMs(arm.meanConnectMs));
        calls->setText(formatCount(arm.count));
    };
    showArm(r.pooled, m_pooledP50, m_pooledP95, m_pooledConnect, m_pooledCalls);
    showArm(r.noReuse, m_noReuseP50, m_noReuseP95, m_noReuseConnect, m_noReuseCalls);

    m_handshakes->setText(formatCount(r.handshakesAvoided()));
    m_handshakes->setToolTip(
        tr("%1 pooled calls opened %2 connections")
            .arg(formatCount(r.pooledTotal.requests), formatCount(r.pooledTotal.connectionsOpened)));

    const QString rate = formatRate(r.callsPerMinute);
    if (r.bothArms() && !r.enoughForVerdict())
        m_savedPerDay->setText(tr("measuring (%1)").arg(rate));
    else if (r.bothArms() && r.secondsSavedPerDay >= 0)
        m_savedPerDay->setText(tr("%1 at %2").arg(formatPerDay(r.secondsSavedPerDay), rate));
    else if (r.bothArms())
        m_savedPerDay->setText(tr("none at %1").arg(rate));
    else
        m_savedPerDay->setText(tr("not measured yet (%1)").arg(rate));

    QStringList rates;
    for (const HostReuse &host : r.hosts) {
        rates << unbroken(QStringLiteral("%1 %2").arg(
            hostLabel(host.host, host.exchange), formatReuseRate(host.pooled.reused, host.pooled.requests)));
    }
    m_reuseRates->setText(rates.isEmpty() ? absentText() : rates.join(QLatin1Char('\n')));

    QStringList open;
    for (const OpenConnectionEstimate &e : r.openConnections) {
        open << unbroken(tr("%1 ≈%2%3, oldest %4")
                             .arg(hostLabel(e.host, e.exchange))
                             .arg(e.count)
                             .arg(e.http2 ? QStringLiteral(" (h2)") : QString(), formatAge(e.ageMs)));
    }
    m_openConnections->setText(open.isEmpty() ? tr("none") : open.join(QLatin1Char('\n')));
    const QString estimateTip =
        tr("Estimated from the samples: Qt does not expose its connection pool. A pooled connection counts "
           "as open from the call that opened it until its host has been idle for longer than the keep-alive "
           "expiry (%1 s); an HTTP/2 host holds one.")
            .arg(r.keepAliveIdleSeconds);
    m_openCaption->setToolTip(estimateTip);
    m_openConnections->setToolTip(estimateTip);

    const QString hint = r.hint();
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
    updateGeometry(); // the texts' lines, and so the height the panel needs, may have changed

    applyColors();
    describeForScreenReaders();
    // Longer texts may no longer fit side by side. The grids measure again only when told (else at the next
    // layout pass, after this decision).
    m_arms->invalidate();
    m_facts->invalidate();
    placeColumns(width());
}

namespace {

// Qt sends a screen reader an event for every call, changed or not; the panel is updated every 2 s.
void setAccessibleNameIfChanged(QWidget *widget, const QString &name)
{
    if (widget->accessibleName() != name)
        widget->setAccessibleName(name);
}

} // namespace

void GainPanel::describeForScreenReaders()
{
    // A figure alone ("52.1 ms") says nothing read out of its grid: each is named with its caption.
    const auto name = [](QLabel *label, const QString &caption) {
        setAccessibleNameIfChanged(
            label,
            caption + QStringLiteral(": ")
                + QString(label->text()).replace(QLatin1Char('\n'), QStringLiteral(", ")));
    };
    name(m_pooledP50, tr("Pooled p50"));
    name(m_pooledP95, tr("Pooled p95"));
    name(m_pooledConnect, tr("Pooled connect and TLS per call"));
    name(m_pooledCalls, tr("Pooled calls"));
    name(m_noReuseP50, tr("No reuse p50"));
    name(m_noReuseP95, tr("No reuse p95"));
    name(m_noReuseConnect, tr("No reuse connect and TLS per call"));
    name(m_noReuseCalls, tr("No reuse calls"));
    name(m_handshakes, tr("Handshakes avoided"));
    name(m_savedPerDay, tr("Time saved"));
    name(m_reuseRates, tr("Reuse rate"));
    name(m_openConnections, tr("Open connections (estimated)"));
    setAccessibleNameIfChanged(m_headline, headlineText());
    // The gist, for a reader that only reads the panel.
    const QString gist =
        QStringList {headlineText(), m_handshakes->accessibleName(), m_savedPerDay->accessibleName()}.join(
            QStringLiteral(". "));
    if (accessibleDescription() != gist)
        setAccessibleDescription(gist);
}

QString GainPanel::headlineText() const
{
    return QString(m_headline->text()).replace(QChar(0x00A0), QLatin1Char(' '));
}

QString GainPanel::hintText() const
{
    return m_hint->isVisibleTo(this) ? m_hint->text() : QString();
}

bool GainPanel::isHintShown() const
{
    return m_hint->isVisibleTo(this);
}
