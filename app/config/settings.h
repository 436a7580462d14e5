#pragma once

#include "alerts/alerts.h"
#include "net/reusemode.h"

#include <QObject>
#include <QRect>
#include <QSettings>
#include <QStringList>
#include <QUrl>

#include <memory>

// The user's settings over QSettings, with typed getters and one change signal. No secret ever goes through
// it: the Bitunix key and secret live in the keychain (CredentialStore).
class Settings : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Demo, Live };
    enum class Network { Mainnet, Testnet, Custom }; // Hyperliquid

    static constexpr int defaultDemoRttMs = 50;

    // Uses `store` if given (tests), else the application's QSettings.
    explicit Settings(QSettings *store = nullptr, QObject *parent = nullptr);
    ~Settings() override;

    Mode mode() const;
    void setMode(Mode mode);
    QUrl bitunixUrl() const;
    void setBitunixUrl(const QUrl &url);
    Network hyperliquidNetwork() const;
    void setHyperliquidNetwork(Network network);
    QUrl hyperliquidCustomUrl() const;
    void setHyperliquidCustomUrl(const QUrl &url);
    QUrl hyperliquidUrl() const; // the network's URL, or the custom one
    QString caFile() const; // extra CAs for the live origins (a corporate CA); empty: system CAs only
    void setCaFile(const QString &path);
    QStringList watchlist() const; // bases; empty: everything
    void setWatchlist(const QStringList &bases);
    // The share of each exchange's rate limit exdash may use, in percent (PollPlan: 5 to 100, default 15).
    int sharePercent() const;
    void setSharePercent(int percent);
    int demoRttMs() const;
    void setDemoRttMs(int ms);
    ReuseMode reuseMode() const;
    void setReuseMode(ReuseMode mode);
    // The alert thresholds; the defaults when nothing (or something invalid) is stored.
    AlertSettings alertSettings() const;
    // false (and nothing stored) when invalid; `problem` says why.
    bool setAlertSettings(const AlertSettings &settings, QString *problem = nullptr);

    QString palette() const; // "system" (default), "light" or "dark"
    void setPalette(const QString &name); // anything else is "system"

    // From HYPERLIQUID_ADDRESS if set, else the stored one. Only valid addresses are stored.
    QString hyperliquidAddress() const;
    QString storedHyperliquidAddress() const;
    bool setHyperliquidAddress(const QString &address); // false (and nothing stored) when invalid

    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    // The window's client area as it was (not maximized), which Qt's geometry does not give back exactly:
    // it pushes a window that filled the screen down by a title bar of its own guess.
    QRect windowNormalGeometry() const; // invalid if none was saved
    void setWindowNormalGeometry(const QRect &geometry);

    void sync() { m_store->sync(); }
    QSettings *store() const { return m_store; }

signals:
    void changed(const QString &key);

private:
    void set(const QString &key, const QVariant &value, bool differs);

    std::unique_ptr<QSettings> m_owned;
    QSettings *m_store;
};
