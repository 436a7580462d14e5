#pragma once

#include "alerts/alerts.h"
#include "exchanges/marketdata.h"
#include "refresh/refresher.h"

#include <functional>
#include <optional>

class LatencyLog;

// The rules, as functions of what the models, the LatencyLog and the Refresher hold: the conditions that
// hold at nowMs. `isOpen` says whether an alert of that kind and subject is open, for the release thresholds.
namespace AlertRules {

using IsOpen = std::function<bool(AlertKind kind, const QString &subject)>;

// Positions whose |mark - liquidation| / mark is below the threshold. Positions without a liquidation price
// (cross margin backed by the whole account, or none reported) cannot be judged: `skipped` gets a line for
// each.
QList<AlertCondition> liquidation(const QList<Position> &positions, const AlertSettings &settings,
                                  const IsOpen &isOpen, QStringList *skipped = nullptr);

// An exchange refusing the credentials, with no good data for three cadences, or failing N times in a row.
// feeds and cadenceMs by DataKind; runningMs: how long the feeds have been fetched (a feed that never
// answered is judged stale only after three cadences of trying).
std::optional<AlertCondition> exchange(Exchange exchange, const FeedStatus *feeds, const int *cadenceMs,
                                       qint64 nowMs, qint64 runningMs, const AlertSettings &settings,
                                       const IsOpen &isOpen);

// Hosts whose p95 over the window exceeds the threshold (the pooled arm, the app's own traffic, when it has
// calls there; else every call), judged from minCalls calls.
QList<AlertCondition> latency(const LatencyLog &log, qint64 nowMs, const AlertSettings &settings,
                              const IsOpen &isOpen);

// Hosts where most pooled calls in the window paid a handshake: something closes the connections.
QList<AlertCondition> reuse(const LatencyLog &log, qint64 nowMs, const AlertSettings &settings,
                            const IsOpen &isOpen);

// Equity down from the window's high by more than the threshold. history: (ms since the epoch, equity),
// oldest first.
std::optional<AlertCondition> equity(Exchange exchange, const QList<std::pair<qint64, double>> &history,
                                     qint64 nowMs, const AlertSettings &settings, const IsOpen &isOpen);

} // namespace AlertRules
