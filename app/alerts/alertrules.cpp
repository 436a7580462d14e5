#include "alertrules.h"

#include "models/latencylog.h"

#include <algorithm>
#include <cmath>

namespace AlertRules {

namespace {

QString percent(double value)
{
    return QString::number(value, 'f', value < 10 ? 1 : 0) + QStringLiteral(" %");
}

QString milliseconds(double value)
{
    return QString::number(value, 'f', 0) + QStringLiteral(" ms");
}

QString sideName(Position::Side side)
{
    return side == Position::Side::Long ? QStringLiteral("long") : QStringLiteral("short");
}

// Latency and reuse are judged over whole windows only: in the first one, every call of the first cycle pays
// the handshake that the later ones are spared, and the first connection is all a short window holds.
bool coversWindow(const LatencyLog &log, qint64 nowMs, const AlertSettings &settings)
{
    return !log.isEmpty() && log.earliestStartMs() <= nowMs - qint64(settings.latencyWindowS) * 1000;
}

} // namespace

QList<AlertCondition> liquidation(const QList<Position> &positions, const AlertSettings &settings,
                                  const IsOpen &isOpen, QStringList *skipped)
{
    QList<AlertCondition> conditions;
    for (const Position &p : positions) {
        const QString what =
            shortNameOf(p.exchange) + QLatin1Char(' ') + p.symbol + QLatin1Char(' ') + sideName(p.side);
        if (!p.liquidationPrice.isValid()) {
            if (skipped)
                skipped->append(what
                                + (p.isolated
                                       ? QStringLiteral(": no liquidation price reported")
                                       : QStringLiteral(": cross margin, no liquidation price (the whole "
                                                        "account backs it)")));
            continue;
        }
        if (!p.markPrice.isValid() || p.markPrice.value <= 0) {
            if (skipped)
                skipped->append(what + QStringLiteral(": no mark price yet"));
            continue;
        }
        const double distancePct =
            std::abs(p.markPrice.value - p.liquidationPrice.value) / p.markPrice.value * 100;
        const QString subject =
            nameOf(p.exchange) + QLatin1Char(' ') + p.symbol + QLatin1Char(' ') + sideName(p.side);
        const double limit = isOpen(AlertKind::Liquidation, subject)
            ? settings.liquidationDistancePct * AlertSettings::releaseFactor
            : settings.liquidationDistancePct;
        if (distancePct >= limit)
            continue;
        AlertCondition c;
        c.kind = AlertKind::Liquidation;
        c.subject = subject;
        c.severity = distancePct < settings.liquidationDistancePct / 2 ? AlertSeverity::Critical
                                                                       : AlertSeverity::Warning;
        c.summary = QStringLiteral("%1 %2 from liquidation").arg(what, percent(distancePct));
        c.values =
            QStringLiteral("mark %1, liquidation %2, threshold %3")
                .arg(p.markPrice.text, p.liquidationPrice.text, percent(settings.liquidationDistancePct));
        conditions.append(c);
    }
    return conditions;
}

std::optional<AlertCondition> exchange(Exchange exchange, const FeedStatus *feeds, const int *cadenceMs,
                                       qint64 nowMs, qint64 runningMs, const AlertSettings &settings,
                                       const IsOpen &isOpen)
{
    const QString subject = nameOf(exchange);
    const bool open = isOpen(AlertKind::Exchange, subject);
    QString auth;
    QStringList stale;
    QStringList failing;
    for (DataKind kind : allDataKinds) {
        const FeedStatus &f = feeds[int(kind)];
        if (f.lastError.kind == FetchErrorKind::NoCredentials)
            continue;
        if (f.lastError.kind == FetchErrorKind::Auth && auth.isEmpty())
            auth = f.lastError.message;
        const qint64 limitMs = qint64(FeedStatus::staleAfterCadences) * cadenceMs[int(kind)];
        if (f.lastSuccessMs > 0 && f.ageMs(nowMs) > limitMs)
            stale.append(QStringLiteral("%1 %2 s old").arg(nameOf(kind)).arg(f.ageMs(nowMs) / 1000));
        else if (f.lastSuccessMs == 0 && runningMs > limitMs)
            stale.append(QStringLiteral("%1 never refreshed").arg(nameOf(kind)));
        // Once open, one failure in a row keeps it open: it resolves on a clean run of every feed.
        if (f.failuresInARow >= (open ? 1 : settings.failuresInARow))
            failing.append(QStringLiteral("%1: %2 in a row, %3")
                               .arg(nameOf(kind))
                               .arg(f.failuresInARow)
                               .arg(nameOf(f.lastError.kind)));
    }
    if (auth.isEmpty() && stale.isEmpty() && failing.isEmpty())
        return std::nullopt;
    AlertCondition c;
    c.kind = AlertKind::Exchange;
    c.subject = subject;
    c.severity = auth.isEmpty() && stale.isEmpty() ? AlertSeverity::Warning : AlertSeverity::Critical;
    if (!auth.isEmpty())
        c.summary = QStringLiteral("%1 refuses the credentials").arg(displayNameOf(exchange));
    else if (!stale.isEmpty())
        c.summary = QStringLiteral("%1: no good data for three cadences").arg(displayNameOf(exchange));
    else
        c.summary = QStringLiteral("%1 failing").arg(displayNameOf(exchange));
    QStringList values = stale + failing;
    if (!auth.isEmpty())
        values.prepend(auth);
    c.values = values.join(QStringLiteral("; "));
    return c;
}

QList<AlertCondition> latency(const LatencyLog &log, qint64 nowMs, const AlertSettings &settings,
                              const IsOpen &isOpen)
{
    QList<AlertCondition> conditions;
    if (!coversWindow(log, nowMs, settings))
        return conditions;
    for (const QString &host : log.hosts()) {
        LatencyFilter filter;
        filter.host = host;
        filter.fromMs = nowMs - qint64(settings.latencyWindowS) * 1000;
        filter.arm = ReuseMode::Pooled;
        LatencyStats stats = log.stats(filter);
        if (stats.count == 0) {
            filter.arm.reset();
            stats = log.stats(filter);
        }
        if (stats.count < settings.minCalls)
            continue;
        const double limit = isOpen(AlertKind::Latency, host)
            ? settings.slowP95Ms / AlertSettings::releaseFactor
            : settings.slowP95Ms;
        if (!(stats.p95 > limit))
            continue;
        AlertCondition c;
        c.kind = AlertKind::Latency;
        c.subject = host;
        c.severity = AlertSeverity::Warning;
        c.summary = QStringLiteral("%1 slow: p95 %2").arg(host, milliseconds(stats.p95));
        c.values = QStringLiteral("p95 %1, p50 %2 over %3 calls in the last %4 s, threshold %5")
                       .arg(milliseconds(stats.p95), milliseconds(stats.p50))
                       .arg(stats.count)
                       .arg(settings.latencyWindowS)
                       .arg(milliseconds(settings.slowP95Ms));
        conditions.append(c);
    }
    return conditions;
}

QList<AlertCondition> reuse(const LatencyLog &log, qint64 nowMs, const AlertSettings &settings,
                            const IsOpen &isOpen)
{
    QList<AlertCondition> conditions;
    if (!coversWindow(log, nowMs, settings))
        return conditions;
    for (const QString &host : log.hosts()) {
        LatencyFilter filter;
        filter.host = host;
        filter.fromMs = nowMs - qint64(settings.latencyWindowS) * 1000;
        filter.arm = ReuseMode::Pooled;
        filter.kinds = ConnectionKinds::known();
        const int calls = log.stats(filter).count;
        if (calls < settings.minCalls)
            continue;
        filter.kinds = ConnectionKinds::paidHandshake();
        const int paid = log.stats(filter).count;
        const double share = double(paid) / calls;
        const double limit = isOpen(AlertKind::Reuse, host)
            ? settings.reuseCollapseShare / AlertSettings::releaseFactor
            : settings.reuseCollapseShare;
        if (share <= limit)
            continue;
        AlertCondition c;
        c.kind = AlertKind::Reuse;
        c.subject = host;
        c.severity = AlertSeverity::Warning;
        c.summary = QStringLiteral("%1: connections not kept alive").arg(host);
        c.values = QStringLiteral("%1 of %2 pooled calls in the last %3 s paid a handshake, threshold %4")
                       .arg(paid)
                       .arg(calls)
                       .arg(settings.latencyWindowS)
                       .arg(percent(settings.reuseCollapseShare * 100));
        conditions.append(c);
    }
    return conditions;
}

std::optional<AlertCondition> equity(Exchange exchange, const QList<std::pair<qint64, double>> &history,
                                     qint64 nowMs, const AlertSettings &settings, const IsOpen &isOpen)
{
    if (!settings.equityEnabled || history.isEmpty())
        return std::nullopt;
    const qint64 fromMs = nowMs - qint64(settings.equityWindowMinutes) * 60'000;
    double high = -INFINITY;
    for (const auto &[atMs, value] : history) {
        if (atMs >= fromMs)
            high = std::max(high, value);
    }
    const double latest = history.last().second;
    if (!(high > 0) || history.last().first < fromMs)
        return std::nullopt;
    const double dropPct = (high - latest) / high * 100;
    const QString subject = nameOf(exchange);
    const double limit = isOpen(AlertKind::Equity, subject)
        ? settings.equityDropPct / AlertSettings::releaseFactor
        : settings.equityDropPct;
    if (dropPct <= limit)
        return std::nullopt;
    AlertCondition c;
    c.kind = AlertKind::Equity;
    c.subject = subject;
    c.severity = AlertSeverity::Critical;
    c.summary = QStringLiteral("%1 equity down %2").arg(displayNameOf(exchange), percent(dropPct));
    c.values = QStringLiteral("%1 from %2 within %3 min, threshold %4")
                   .arg(latest, 0, 'f', 2)
                   .arg(high, 0, 'f', 2)
                   .arg(settings.equityWindowMinutes)
                   .arg(percent(settings.equityDropPct));
    return c;
}

} // namespace AlertRules
