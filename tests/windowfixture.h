#pragma once

#include "mainwindow.h"

#include "config/credentialstore.h"
#include "config/settings.h"
#include "sim/exsimthread.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>

// The simulator behind a demo session, to switch its faults.
inline ExsimThread *exsimOf(Session *session)
{
    return dynamic_cast<ExsimThread *>(session->demo());
}

// What a test of the window needs around it: settings in a file of their own, which starts empty, and a
// credential store under the test's own keychain service.
class WindowFixture
{
public:
    explicit WindowFixture(const QString &keychainService)
        : m_store(m_dir.filePath(QStringLiteral("exdash.ini")), QSettings::IniFormat)
        , m_settings(&m_store)
        , m_credentials(keychainService)
    { }

    bool isValid() const { return m_dir.isValid(); }
    Settings *settings() { return &m_settings; }
    CredentialStore *credentials() { return &m_credentials; }

    // Shows and starts a window, then waits for its first refresh (a warning says when either fails).
    std::unique_ptr<MainWindow> open(const SessionConfig &config)
    {
        auto window = std::make_unique<MainWindow>(&m_settings, &m_credentials, config, exsimStarter());
        window->show();
        QSignalSpy first(window.get(), &MainWindow::firstRefreshCompleted);
        QString error;
        if (!window->start(&error))
            qWarning("start failed: %s", qPrintable(error));
        else if (!first.wait(20'000))
            qWarning("no first refresh");
        return window;
    }

private:
    QTemporaryDir m_dir;
    QSettings m_store;
    Settings m_settings;
    CredentialStore m_credentials;
};
