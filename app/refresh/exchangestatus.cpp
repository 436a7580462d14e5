#include "exchangestatus.h"

#include <QStringList>

#include <algorithm>

namespace {

QString elided(const QString &text, int chars)
{
    return text.size() > chars ? text.left(chars - 1) + QChar(0x2026) : text;
}

} // namespace

ExchangeStatus ExchangeStatus::of(const Refresher &refresher, Exchange exchange, qint64 nowMs)
{
    FeedStatus feeds[dataKindCount];
    int cadenceMs[dataKindCount];
    for (DataKind kind : allDataKinds) {
        feeds[int(kind)] = refresher.status(exchange, kind);
        cadenceMs[int(kind)] = refresher.cadence(kind);
    }
    return from(exchange, feeds, cadenceMs, nowMs);
}

ExchangeStatus ExchangeStatus::from(Exchange exchange, const FeedStatus *feeds, const int *cadenceMs,
                                    qint64 nowMs)
{
    ExchangeStatus status;
    status.m_exchange = exchange;
    status.m_nowMs = nowMs;
    status.m_positions = feeds[int(DataKind::Positions)];
    qint64 newest = 0;
    for (DataKind kind : allDataKinds) {
        const FeedStatus &s = feeds[int(kind)];
        if (s.lastError.kind == FetchErrorKind::NoCredentials) {
            status.m_publicOnly = true;
            continue;
        }
        if (!s.lastError.ok() && status.m_error.isEmpty())
            status.m_error = s.lastError.message;
        newest = std::max(newest, s.lastSuccessMs);
        if (s.isStale(nowMs, cadenceMs[int(kind)]) && s.lastSuccessMs > 0)
            status.m_staleAgeMs = std::max(status.m_staleAgeMs, s.ageMs(nowMs));
    }
    if (newest > 0)
        status.m_sinceNewestMs = nowMs - newest;
    if (newest == 0 && status.m_error.isEmpty())
        status.m_health = Health::Connecting;
    else if (status.m_staleAgeMs >= 0)
        status.m_health = Health::Stale;
    else if (!status.m_error.isEmpty())
        status.m_health = Health::Failing;
    else
        status.m_health = Health::Ok;
    return status;
}

QString ExchangeStatus::figures() const
{
    const QString name = shortNameOf(m_exchange);
    const QString staleSeconds = QString::number(m_staleAgeMs / 1000);
    switch (m_health) {
    case Health::Connecting:
        return tr("%1 connecting…").arg(name);
    case Health::Failing:
        return tr("%1 error:").arg(name);
    case Health::Stale:
        return m_error.isEmpty() ? tr("%1 stale %2 s").arg(name, staleSeconds)
                                 : tr("%1 stale %2 s:").arg(name, staleSeconds);
    case Health::Ok:
        break;
    }
    return tr("%1 ok %2 s").arg(name, QString::number(m_sinceNewestMs / 1000.0, 'f', 1));
}

QString ExchangeStatus::detail() const
{
    QString detail;
    if (!m_error.isEmpty())
        detail = QLatin1Char(' ') + m_error;
    if (m_publicOnly)
        detail += tr(" · public data only (no credentials)");
    return detail;
}

QString ExchangeStatus::positionsNote(bool hasPositions) const
{
    const QString name = displayNameOf(m_exchange);
    const FeedStatus &s = m_positions;
    if (s.lastError.kind == FetchErrorKind::NoCredentials)
        return tr("%1: no credentials: open Settings (Ctrl+,)").arg(name);
    if (!s.lastError.ok()) {
        return tr("%1: %2").arg(name, elided(s.lastError.message, 80))
            + (s.lastSuccessMs > 0 ? tr(" (stale %1 s)").arg(s.ageMs(m_nowMs) / 1000) : QString());
    }
    if (s.lastSuccessMs == 0)
        return tr("%1: loading…").arg(name);
    if (!hasPositions)
        return tr("%1: no open positions").arg(name);
    return {};
}

QString budgetText(Refresher &refresher)
{
    QStringList parts;
    for (const ExchangeClient *client : refresher.clients()) {
        const auto [used, capacity] = refresher.budgetUse(client->exchange());
        parts << QStringLiteral("%1 %2/%3 %4")
                     .arg(shortNameOf(client->exchange()))
                     .arg(used)
                     .arg(capacity)
                     .arg(client->budgetUnit());
    }
    return ExchangeStatus::tr("Rate share %1 %: %2")
        .arg(refresher.sharePercent())
        .arg(parts.join(QStringLiteral(" · ")));
}

QString budgetToolTip(Refresher &refresher)
{
    QStringList parts;
    for (const ExchangeClient *client : refresher.clients()) {
        parts << ExchangeStatus::tr("%1 of %2's %3")
                     .arg(refresher.budgetUse(client->exchange()).second)
                     .arg(displayNameOf(client->exchange()), client->rateLimitText());
    }
    return ExchangeStatus::tr(
               "exdash uses at most %1 % of each exchange's rate limit (Settings): %2. The rest is "
               "left to whatever else trades from this machine.")
        .arg(refresher.sharePercent())
        .arg(parts.join(QStringLiteral(", ")));
}
