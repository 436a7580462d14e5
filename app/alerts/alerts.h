#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

// What exdash watches for, in the order a trader cares.
enum class AlertKind {
    Liquidation, // a position close to its liquidation price
    Exchange, // an exchange stale, failing, or refusing the credentials
    Latency, // a host's p95 over a threshold
    Reuse, // most calls to a host paying a handshake: something closes connections
    Equity, // equity down by more than a share within a window (off by default)
};
constexpr AlertKind allAlertKinds[] = {AlertKind::Liquidation, AlertKind::Exchange, AlertKind::Latency,
                                       AlertKind::Reuse, AlertKind::Equity};
QString nameOf(AlertKind kind); // "liquidation", "exchange", "latency", "reuse", "equity": settings, JSON
QString displayNameOf(AlertKind kind); // "Liquidation", "Exchange", ...

enum class AlertSeverity { Warning, Critical };
QString nameOf(AlertSeverity severity); // "warning", "critical"

// The thresholds, remembered by Settings. Each numeric threshold has a release value on the safe side of it
// (hysteresis): an alert that fired resolves only once the value is back past that.
struct AlertSettings
{
    double liquidationDistancePct = 5; // |mark - liquidation| / mark below this
    int failuresInARow = 3;
    double slowP95Ms = 1000;
    int latencyWindowS = 60;
    double reuseCollapseShare = 0.5; // share of a host's pooled calls that paid a handshake, above this
    int minCalls = 10; // per host and window, before latency or reuse is judged
    bool equityEnabled = false;
    double equityDropPct = 10;
    int equityWindowMinutes = 15;
    int quietS = 300; // after a resolution, the same alert does not fire again for this long
    QSet<AlertKind> silenced; // no desktop notification for these (the dock and status bar still show them)

    static constexpr double releaseFactor = 1.2; // liquidation distance, and 1 / 1.2 for the others

    // Whether every value makes sense (no negative threshold, no empty window); the first problem in a
    // sentence.
    bool isValid(QString *problem = nullptr) const;
    bool operator==(const AlertSettings &other) const;
};

// One condition as a rule sees it at one moment.
struct AlertCondition
{
    AlertKind kind = AlertKind::Exchange;
    QString subject; // what it is about, stable across evaluations: "bitunix BTCUSDT long", "hyperliquid"
    AlertSeverity severity = AlertSeverity::Warning;
    QString summary; // "BTCUSDT long 3.1 % from liquidation"
    QString values; // "mark 97 010, liquidation 94 000, threshold 5 %"
};

// One episode of a condition: fired once, resolved once.
struct Alert
{
    quint64 id = 0;
    AlertKind kind = AlertKind::Exchange;
    QString subject;
    AlertSeverity severity = AlertSeverity::Warning; // the worst it reached
    QString summary; // as it fired
    QString values; // as it fired
    QString lastValues; // the latest, while open; the last seen, once resolved
    qint64 firedAtMs = 0;
    qint64 resolvedAtMs = 0; // 0: open

    bool isOpen() const { return resolvedAtMs == 0; }
};

// Turns the conditions that hold at each evaluation into alerts: one `fired` when a condition starts, one
// `resolved` when it ends, nothing in between however long it lasts, and after a resolution a quiet period in
// which the same condition does not fire again (a flapping condition fires once per quiet period at most).
class AlertEngine : public QObject
{
    Q_OBJECT
public:
    static constexpr int historyLimit = 1000;

    explicit AlertEngine(QObject *parent = nullptr);

    void setQuietMs(qint64 ms) { m_quietMs = ms; }
    void update(const QList<AlertCondition> &holding, qint64 nowMs);

    bool isOpen(AlertKind kind, const QString &subject) const;
    QList<Alert> openAlerts() const; // oldest first
    const QList<Alert> &history() const { return m_history; } // every alert, oldest first, open ones included
    // The worst severity among open alerts; nullopt-like: false when none is open.
    bool worstOpen(AlertSeverity *severity) const;

signals:
    void fired(const Alert &alert);
    void resolved(const Alert &alert);
    void changed(); // an alert fired, resolved or changed its values

private:
    static QString keyOf(AlertKind kind, const QString &subject);
    Alert *find(quint64 id);

    QList<Alert> m_history;
    QHash<QString, quint64> m_open; // key -> id
    QHash<QString, qint64> m_resolvedAtMs; // key -> when its last episode ended
    qint64 m_quietMs = 300'000;
    quint64 m_nextId = 1;
};

Q_DECLARE_METATYPE(Alert)
Q_DECLARE_METATYPE(AlertSettings)
