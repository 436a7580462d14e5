#pragma once

#include "datatable.h"
#include "refresh/session.h"

#include <QDeadlineTimer>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class AccountModel;
class ColumnFitter;
class QActionGroup;
class CredentialStore;
class ElidingLabel;
class GainPanel;
class LatencyChart;
class LatencyLog;
class PhaseBar;
class PositionModel;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QToolBar;
class Settings;
class SortProxyModel;
class TickerModel;

// The window a trader keeps open all day: tickers and positions of both exchanges, the live latency chart
// with the phases of one request, and the gain panel. It only shows what the models and the LatencyLog hold.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // startDemo starts the simulated exchanges whenever a session runs in demo mode.
    MainWindow(Settings *settings, CredentialStore *credentials, const SessionConfig &config,
               DemoStarter startDemo, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Starts the session (demo: the simulated exchanges in-process) and the refresher.
    bool start(QString *error = nullptr);
    // Shows a session already started, whose first requests may be out: started before the window is built,
    // its connections open while the widgets are made. Answers from the network are delivered by the event
    // loop, so none is missed; a feed that failed at once (no credentials) is taken from its status.
    void start(std::unique_ptr<Session> running);
    // A session for config with its refresher started.
    static std::unique_ptr<Session> startedSession(const SessionConfig &config, DemoStarter startDemo,
                                                   bool paused, QString *error);
    bool firstRefreshDone() const { return m_firstRefreshDone; }

    Session *session() const { return m_session.get(); }
    LatencyLog *latencyLog() const { return m_log; }
    TickerModel *tickerModel() const { return m_tickers; }
    PositionModel *positionModel() const { return m_positions; }
    AccountModel *accountModel() const { return m_accounts; }
    LatencyChart *latencyChart() const { return m_chart; }
    PhaseBar *phaseBar() const { return m_phaseBar; }
    GainPanel *gainPanel() const { return m_gainPanel; }
    DataTable *tickerView() const { return m_tickerView; }
    DataTable *positionView() const { return m_positionView; }
    QComboBox *reuseSwitch() const { return m_reuse; }
    QString statusText() const; // the status bar, as one line

signals:
    void firstRefreshCompleted();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void buildTickers();
    void buildPositions();
    void buildLatency();
    void buildToolBar();
    void buildMenus();
    void buildStatusBar();
    void setTabOrderOfControls();
    void placeOnScreen();
    void fitWithFrame(const QMargins &frame);
    bool startSession(const SessionConfig &config, QString *error);
    void forgetSessionData(); // the models and first-refresh state of the last session
    void loadLiveCredentials();
    void setReuseMode(ReuseMode mode);
    void showReuseMode(ReuseMode mode); // the switch and the menu, without changing anything
    void onFetched(Exchange exchange, DataKind kind);
    void markStale();
    void refreshStatus();
    void refreshGain();
    void refreshPositionsState();
    void exportCsv();
    void openSettings();
    void showAbout();

    Settings *m_settings;
    CredentialStore *m_credentials;
    SessionConfig m_config;
    DemoStarter m_startDemo;
    std::unique_ptr<Session> m_session;

    LatencyLog *m_log;
    TickerModel *m_tickers;
    PositionModel *m_positions;
    AccountModel *m_accounts;
    SortProxyModel *m_tickerProxy = nullptr;
    SortProxyModel *m_positionProxy = nullptr;

    DataTable *m_tickerView = nullptr;
    QLineEdit *m_filter = nullptr;
    DataTable *m_positionView = nullptr;
    QPointer<DataTable> m_lastTable; // where Ctrl+C copies from
    QStackedWidget *m_positionStack = nullptr;
    QLabel *m_positionsEmpty = nullptr;
    QLabel *m_accountLine = nullptr;
    LatencyChart *m_chart = nullptr;
    PhaseBar *m_phaseBar = nullptr;
    GainPanel *m_gainPanel = nullptr;
    QComboBox *m_reuse = nullptr;
    QSpinBox *m_rtt = nullptr;
    QAction *m_rttAction = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_findAction = nullptr;
    QActionGroup *m_reuseActions = nullptr;
    QToolBar *m_toolBar = nullptr;
    QLabel *m_modeLabel = nullptr;
    ElidingLabel *m_healthLabel[exchangeCount] = {};
    QLabel *m_budgetLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QDockWidget *m_positionsDock = nullptr;
    ColumnFitter *m_tickerFitter = nullptr;
    ColumnFitter *m_positionFitter = nullptr;
    QDeadlineTimer m_flashUntil;

    QSet<int> m_reported; // (exchange, kind) pairs that have answered since the session started
    bool m_firstRefreshDone = false;
    bool m_geometryFromDefaults = false; // no saved geometry was restored
    QDeadlineTimer m_frameFitDeadline {QDeadlineTimer::Forever}; // set at the first show
};
