#include "settings.h"

#include "exchanges/bitunix/bitunixclient.h"
#include "exchanges/hyperliquid/hyperliquidclient.h"
#include "refresh/pollplan.h"

#include <cmath>

namespace {

const QString shareKey = QStringLiteral("refresh/sharePercent");

} // namespace

Settings::Settings(QSettings *store, QObject *parent)
    : QObject(parent)
    , m_owned(store ? nullptr : std::make_unique<QSettings>())
    , m_store(store ? store : m_owned.get())
{ }

Settings::~Settings() = default;

void Settings::set(const QString &key, const QVariant &value, bool differs)
{
    // Compared through the getters: the stored QVariant may be absent (a default) or come back from the file
    // as another type (a one-element list reads back as a string).
    if (!differs)
        return;
    m_store->setValue(key, value);
    emit changed(key);
}

Settings::Mode Settings::mode() const
{
    return m_store->value(QStringLiteral("mode")).toString() == QLatin1String("live") ? Mode::Live
                                                                                      : Mode::Demo;
}

void Settings::setMode(Mode mode)
{
    set(QStringLiteral("mode"), mode == Mode::Live ? QStringLiteral("live") : QStringLiteral("demo"),
        mode != this->mode());
}

QUrl Settings::bitunixUrl() const
{
    const QUrl url(m_store->value(QStringLiteral("bitunix/url")).toString());
    return url.isValid() && !url.isEmpty() ? url : QUrl(QString::fromLatin1(BitunixClient::defaultUrl));
}

void Settings::setBitunixUrl(const QUrl &url)
{
    set(QStringLiteral("bitunix/url"), url.toString(), url != bitunixUrl());
}

Settings::Network Settings::hyperliquidNetwork() const
{
    const QString value = m_store->value(QStringLiteral("hyperliquid/network")).toString();
    if (value == QLatin1String("testnet"))
        return Network::Testnet;
    if (value == QLatin1String("custom"))
        return Network::Custom;
    return Network::Mainnet;
}

void Settings::setHyperliquidNetwork(Network network)
{
    const char *names[] = {"mainnet", "testnet", "custom"};
    set(QStringLiteral("hyperliquid/network"), QString::fromLatin1(names[int(network)]),
        network != hyperliquidNetwork());
}

QUrl Settings::hyperliquidCustomUrl() const
{
    return QUrl(m_store->value(QStringLiteral("hyperliquid/customUrl")).toString());
}

void Settings::setHyperliquidCustomUrl(const QUrl &url)
{
    set(QStringLiteral("hyperliquid/customUrl"), url.toString(), url != hyperliquidCustomUrl());
}

QUrl Settings::hyperliquidUrl() const
{
    switch (hyperliquidNetwork()) {
    case Network::Testnet:
        return QUrl(QString::fromLatin1(HyperliquidClient::testnetUrl));
    case Network::Custom:
        if (hyperliquidCustomUrl().isValid() && !hyperliquidCustomUrl().isEmpty())
            return hyperliquidCustomUrl();
        break;
    case Network::Mainnet:
        break;
    }
    return QUrl(QString::fromLatin1(HyperliquidClient::mainnetUrl));
}

QString Settings::caFile() const
{
    return m_store->value(QStringLiteral("caFile")).toString();
}

void Settings::setCaFile(const QString &path)
{
    set(QStringLiteral("caFile"), path, path != caFile());
}

QStringList Settings::watchlist() const
{
    return m_store->value(QStringLiteral("watchlist")).toStringList();
}

void Settings::setWatchlist(const QStringList &bases)
{
    QStringList cleaned;
    for (const QString &base : bases) {
        const QString b = base.trimmed().toUpper();
        if (!b.isEmpty() && !cleaned.contains(b))
            cleaned.append(b);
    }
    set(QStringLiteral("watchlist"), cleaned, cleaned != watchlist());
}

int Settings::sharePercent() const
{
    bool ok = false;
    const int value = m_store->value(shareKey, PollPlan::defaultSharePercent).toInt(&ok);
    return ok ? PollPlan::clampShare(value) : PollPlan::defaultSharePercent;
}

void Settings::setSharePercent(int percent)
{
    const int clamped = PollPlan::clampShare(percent);
    set(shareKey, clamped, clamped != sharePercent());
}

namespace {
const QString alertsGroup = QStringLiteral("alerts/");
} // namespace

AlertSettings Settings::alertSettings() const
{
    const AlertSettings defaults;
    AlertSettings s;
    const auto number = [this](const char *key, double fallback) {
        bool ok = false;
        const double value = m_store->value(alertsGroup + QLatin1String(key), fallback).toDouble(&ok);
        return ok ? value : std::nan("");
    };
    // Not a whole number: -1, which no integer setting accepts.
    const auto integer = [this](const char *key, int fallback) {
        bool ok = false;
        const int value = m_store->value(alertsGroup + QLatin1String(key), fallback).toInt(&ok);
        return ok ? value : -1;
    };
    s.liquidationDistancePct = number("liquidationDistancePct", defaults.liquidationDistancePct);
    s.failuresInARow = integer("failuresInARow", defaults.failuresInARow);
    s.slowP95Ms = number("slowP95Ms", defaults.slowP95Ms);
    s.latencyWindowS = integer("latencyWindowS", defaults.latencyWindowS);
    s.reuseCollapseShare = number("reuseCollapseShare", defaults.reuseCollapseShare);
    s.minCalls = integer("minCalls", defaults.minCalls);
    s.equityEnabled =
        m_store->value(alertsGroup + QLatin1String("equityEnabled"), defaults.equityEnabled).toBool();
    s.equityDropPct = number("equityDropPct", defaults.equityDropPct);
    s.equityWindowMinutes = integer("equityWindowMinutes", defaults.equityWindowMinutes);
    s.quietS = integer("quietS", defaults.quietS);
    for (const QString &name : m_store->value(alertsGroup + QLatin1String("silenced")).toStringList()) {
        for (AlertKind kind : allAlertKinds) {
            if (nameOf(kind) == name)
                s.silenced.insert(kind);
        }
    }
    // A file edited by hand into nonsense: the defaults, whole.
    return s.isValid() ? s : defaults;
}

bool Settings::setAlertSettings(const AlertSettings &s, QString *problem)
{
    if (!s.isValid(problem))
        return false;
    if (s == alertSettings())
        return true;
    m_store->setValue(alertsGroup + QLatin1String("liquidationDistancePct"), s.liquidationDistancePct);
    m_store->setValue(alertsGroup + QLatin1String("failuresInARow"), s.failuresInARow);
    m_store->setValue(alertsGroup + QLatin1String("slowP95Ms"), s.slowP95Ms);
    m_store->setValue(alertsGroup + QLatin1String("latencyWindowS"), s.latencyWindowS);
    m_store->setValue(alertsGroup + QLatin1String("reuseCollapseShare"), s.reuseCollapseShare);
    m_store->setValue(alertsGroup + QLatin1String("minCalls"), s.minCalls);
    m_store->setValue(alertsGroup + QLatin1String("equityEnabled"), s.equityEnabled);
    m_store->setValue(alertsGroup + QLatin1String("equityDropPct"), s.equityDropPct);
    m_store->setValue(alertsGroup + QLatin1String("equityWindowMinutes"), s.equityWindowMinutes);
    m_store->setValue(alertsGroup + QLatin1String("quietS"), s.quietS);
    QStringList silenced;
    for (AlertKind kind : allAlertKinds) {
        if (s.silenced.contains(kind))
            silenced.append(nameOf(kind));
    }
    m_store->setValue(alertsGroup + QLatin1String("silenced"), silenced);
    emit changed(QStringLiteral("alerts"));
    return true;
}

int Settings::demoRttMs() const
{
    return std::clamp(m_store->value(QStringLiteral("demo/rttMs"), defaultDemoRttMs).toInt(), 0, 2000);
}

void Settings::setDemoRttMs(int ms)
{
    set(QStringLiteral("demo/rttMs"), std::clamp(ms, 0, 2000), std::clamp(ms, 0, 2000) != demoRttMs());
}

ReuseMode Settings::reuseMode() const
{
    ReuseMode mode = ReuseMode::Pooled;
    reuseModeFromString(m_store->value(QStringLiteral("reuseMode")).toString(), &mode);
    return mode;
}

void Settings::setReuseMode(ReuseMode mode)
{
    set(QStringLiteral("reuseMode"), nameOf(mode), mode != reuseMode());
}

QString Settings::palette() const
{
    const QString name = m_store->value(QStringLiteral("palette")).toString();
    return name == QLatin1String("light") || name == QLatin1String("dark") ? name : QStringLiteral("system");
}

void Settings::setPalette(const QString &name)
{
    const QString known =
        name == QLatin1String("light") || name == QLatin1String("dark") ? name : QStringLiteral("system");
    set(QStringLiteral("palette"), known, known != palette());
}

QString Settings::hyperliquidAddress() const
{
    const QString fromEnvironment = qEnvironmentVariable("HYPERLIQUID_ADDRESS").trimmed();
    if (HyperliquidClient::isValidAddress(fromEnvironment))
        return fromEnvironment.toLower();
    return storedHyperliquidAddress();
}

QString Settings::storedHyperliquidAddress() const
{
    const QString stored = m_store->value(QStringLiteral("hyperliquid/address")).toString();
    return HyperliquidClient::isValidAddress(stored) ? stored.toLower() : QString();
}

bool Settings::setHyperliquidAddress(const QString &address)
{
    const QString trimmed = address.trimmed();
    if (!trimmed.isEmpty() && !HyperliquidClient::isValidAddress(trimmed))
        return false;
    set(QStringLiteral("hyperliquid/address"), trimmed.toLower(),
        trimmed.toLower() != storedHyperliquidAddress());
    return true;
}

QByteArray Settings::windowState() const
{
    return m_store->value(QStringLiteral("window/state")).toByteArray();
}

void Settings::setWindowState(const QByteArray &state)
{
    set(QStringLiteral("window/state"), state, state != windowState());
}

QByteArray Settings::windowGeometry() const
{
    return m_store->value(QStringLiteral("window/geometry")).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    set(QStringLiteral("window/geometry"), geometry, geometry != windowGeometry());
}

QRect Settings::windowNormalGeometry() const
{
    const QRect geometry = m_store->value(QStringLiteral("window/normalGeometry")).toRect();
    return geometry.isValid() ? geometry : QRect();
}

void Settings::setWindowNormalGeometry(const QRect &geometry)
{
    set(QStringLiteral("window/normalGeometry"), geometry, geometry != windowNormalGeometry());
}
