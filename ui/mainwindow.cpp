#include "mainwindow.h"

#include "columnfitter.h"
#include "datatable.h"
#include "elidinglabel.h"
#include "gainpanel.h"
#include "latencychart.h"
#include "phasebar.h"
#include "settingsdialog.h"
#include "tabledelegates.h"
#include "theme.h"
#include "windowplacement.h"

#include "config/credentialstore.h"
#include "config/settings.h"
#include "models/accountmodel.h"
#include "models/format.h"
#include "models/gainreport.h"
#include "models/latencylog.h"
#include "models/positionmodel.h"
#include "models/samplecsv.h"
#include "models/sortproxymodel.h"
#include "models/tickermodel.h"
#include "refresh/exchangestatus.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QScreen>
#include <QSpinBox>
#include <QSslSocket>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace {

constexpr int statusIntervalMs = 1000;
constexpr int gainIntervalMs = 2000; // as often as new samples come, at the default share
constexpr QSize preferredSize(1440, 900);
constexpr int frameFitWaitMs = 3000;
constexpr int frameFitPollMs = 50;

int feedKey(Exchange exchange, DataKind kind)
{
    return int(exchange) * 10 + int(kind);
}

} // namespace

MainWindow::MainWindow(Settings *settings, CredentialStore *credentials, const SessionConfig &config,
                       DemoStarter startDemo, QWidget *parent)
    : QMainWindow(parent)
    , m_settings(settings)
    , m_credentials(credentials)
    , m_config(config)
    , m_startDemo(std::move(startDemo))
    , m_log(new LatencyLog(this))
    , m_tickers(new TickerModel(this))
    , m_positions(new PositionModel(this))
    , m_accounts(new AccountModel(this))
{
    setWindowTitle(QStringLiteral("exdash"));
    setObjectName(QStringLiteral("mainWindow"));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);
    // Positions and the gain panel share the full width at the bottom; the chart stands beside the tickers.
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);

    createActions();
    buildTickers();
    buildPositions();
    buildLatency();
    buildToolBar();
    buildMenus();
    buildStatusBar();
    setTabOrderOfControls();

    placeOnScreen();

    auto *statusTimer = new QTimer(this);
    connect(statusTimer, &QTimer::timeout, this, &MainWindow::refreshStatus);
    statusTimer->start(statusIntervalMs);
    auto *gainTimer = new QTimer(this);
    connect(gainTimer, &QTimer::timeout, this, &MainWindow::refreshGain);
    gainTimer->start(gainIntervalMs);
    // Price flashes fade out: repaint the tickers while one is under way, and only then.
    auto *flashTimer = new QTimer(this);
    // One repaint when the flash is over, none in between: every repaint lays out the text of each visible
    // price again, and a fade drawn at ten frames a second was a third of what the idle window spent.
    flashTimer->setInterval(PriceFlashDelegate::flashMs);
    // Only the Last column flashes: repainting the rest would lay out every visible cell's text ten times a
    // second, the biggest part of what an idle window costs.
    constexpr int flashColumn = int(TickerModel::Column::Last);
    connect(flashTimer, &QTimer::timeout, this, [this, flashTimer] {
        const int x = m_tickerView->columnViewportPosition(flashColumn);
        m_tickerView->viewport()->update(
            QRect(x, 0, m_tickerView->columnWidth(flashColumn), m_tickerView->viewport()->height()));
        if (m_flashUntil.hasExpired())
            flashTimer->stop();
    });
    connect(m_tickers, &QAbstractItemModel::dataChanged, flashTimer,
            [this, flashTimer](const QModelIndex &topLeft, const QModelIndex &bottomRight,
                               const QList<int> &roles) {
                const bool priceMoved = topLeft.column() <= flashColumn && flashColumn <= bottomRight.column()
                    && (roles.isEmpty() || roles.contains(TickerModel::PriceMovedAtRole));
                if (!priceMoved)
                    return;
                m_flashUntil.setRemainingTime(PriceFlashDelegate::flashMs);
                if (!flashTimer->isActive())
                    flashTimer->start();
            });
}

MainWindow::~MainWindow()
{
    // The session's signals feed the models: it goes first.
    m_session.reset();
}

void MainWindow::buildTickers()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 6, 6, 0);
    m_filter = new QLineEdit(panel);
    m_filter->setObjectName(QStringLiteral("tickerFilter"));
    m_filter->setPlaceholderText(tr("Filter symbols (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter symbols"));
    m_findAction = new QAction(tr("&Find symbol"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, m_filter, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_tickerProxy = new SortProxyModel(this);
    m_tickerProxy->setSourceModel(m_tickers);
    m_tickerProxy->setFilterKeyColumn(int(TickerModel::Column::Symbol));
    m_tickerProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_tickerProxy, &SortProxyModel::setFilterFixedString);

    m_tickerView = new DataTable(panel);
    connect(m_tickerView, &DataTable::focused, this, [this] { m_lastTable = m_tickerView; });
    m_tickerView->setObjectName(QStringLiteral("tickerView"));
    m_tickerView->setAccessibleName(tr("Tickers"));
    m_tickerView->setAccessibleDescription(
        tr("Prices, 24 h change, volume, funding and open interest of both exchanges; Ctrl+C copies the "
           "selected rows"));
    m_tickerView->setModel(m_tickerProxy);
    m_tickerView->setItemDelegate(new StaleAwareDelegate(m_tickerView));
    m_tickerView->setItemDelegateForColumn(int(TickerModel::Column::Change24h),
                                           new SignColorDelegate(TickerModel::ChangeSignRole, this));
    m_tickerView->setItemDelegateForColumn(
        int(TickerModel::Column::Last),
        new PriceFlashDelegate(TickerModel::PriceMoveRole, TickerModel::PriceMovedAtRole, this));
    m_tickerView->sortByColumn(int(TickerModel::Column::Volume), Qt::DescendingOrder);
    m_tickerView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_tickerView->horizontalHeader()->setMinimumSectionSize(36);
    m_tickerFitter = new ColumnFitter(m_tickerView);
    layout->addWidget(m_filter);
    layout->addWidget(m_tickerView);
    setCentralWidget(panel);
}

void MainWindow::buildPositions()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 4, 6, 4);
    m_positionProxy = new SortProxyModel(this);
    m_positionProxy->setSourceModel(m_positions);
    m_positionView = new DataTable(panel);
    connect(m_positionView, &DataTable::focused, this, [this] { m_lastTable = m_positionView; });
    m_positionView->setObjectName(QStringLiteral("positionView"));
    m_positionView->setAccessibleName(tr("Positions"));
    m_positionView->setAccessibleDescription(
        tr("Open positions of both exchanges; Ctrl+C copies the selected rows"));
    m_positionView->setModel(m_positionProxy);
    m_positionView->setItemDelegate(new StaleAwareDelegate(m_positionView));
    auto *pnl = new SignColorDelegate(PositionModel::PnlSignRole, this);
    m_positionView->setItemDelegateForColumn(int(PositionModel::Column::UnrealizedPnl), pnl);
    m_positionView->setItemDelegateForColumn(int(PositionModel::Column::Roe), pnl);
    m_positionView->horizontalHeader()->setMinimumSectionSize(36);
    m_positionFitter = new ColumnFitter(m_positionView);

    m_positionsEmpty = new QLabel(panel);
    m_positionsEmpty->setObjectName(QStringLiteral("positionsEmpty"));
    m_positionsEmpty->setAlignment(Qt::AlignCenter);
    m_positionsEmpty->setWordWrap(true);
    m_positionStack = new QStackedWidget(panel);
    m_positionStack->addWidget(m_positionView);
    m_positionStack->addWidget(m_positionsEmpty);

    m_accountLine = new QLabel(panel);
    m_accountLine->setObjectName(QStringLiteral("accountLine"));
    m_accountLine->setTextFormat(Qt::RichText);
    m_accountLine->setWordWrap(true);
    layout->addWidget(m_positionStack, 1);
    layout->addWidget(m_accountLine);

    m_positionsDock = new QDockWidget(tr("Positions"), this);
    m_positionsDock->setObjectName(QStringLiteral("positionsDock"));
    m_positionsDock->setAccessibleName(m_positionsDock->windowTitle());
    // Qt's accessible dock reads no description: the panel in it carries it.
    panel->setAccessibleName(m_positionsDock->windowTitle());
    panel->setAccessibleDescription(tr(
        "Open positions of both exchanges, and each account's equity, available margin and unrealised PnL"));
    m_positionsDock->setWidget(panel);
    addDockWidget(Qt::BottomDockWidgetArea, m_positionsDock);

    for (QAbstractItemModel *model :
         {static_cast<QAbstractItemModel *>(m_positions), static_cast<QAbstractItemModel *>(m_accounts)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &MainWindow::refreshPositionsState);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::refreshPositionsState);
        connect(model, &QAbstractItemModel::dataChanged, this, &MainWindow::refreshPositionsState);
    }
    refreshPositionsState();
}

void MainWindow::buildLatency()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 4);
    m_chart = new LatencyChart(m_log, panel);
    m_chart->setObjectName(QStringLiteral("latencyChart"));
    m_phaseBar = new PhaseBar(panel);
    m_phaseBar->setObjectName(QStringLiteral("phaseBar"));
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_phaseBar);
    // The last request, until the trader picks one (a click, or the arrow keys); Live or a double-click on
    // the chart follows the last again. A hovered request shows too (and so is said to a screen reader).
    connect(m_chart, &LatencyChart::sampleClicked, m_phaseBar, &PhaseBar::pin);
    connect(m_chart, &LatencyChart::sampleHovered, m_phaseBar, &PhaseBar::showUnlessPinned);
    connect(m_chart, &LatencyChart::followRequested, this, [this] {
        m_phaseBar->setPinned(false);
        if (!m_log->isEmpty())
            m_phaseBar->setSample(m_log->at(m_log->size() - 1));
    });
    connect(m_log, &LatencyLog::appended, this, [this] {
        if (!m_log->isEmpty())
            m_phaseBar->showUnlessPinned(m_log->at(m_log->size() - 1));
    });

    auto *dock = new QDockWidget(tr("Latency of every request"), this);
    dock->setObjectName(QStringLiteral("latencyDock"));
    dock->setAccessibleName(dock->windowTitle());
    panel->setAccessibleName(dock->windowTitle());
    panel->setAccessibleDescription(tr("Every request the app makes, as a chart, and the phases of one"));
    dock->setWidget(panel);
    addDockWidget(Qt::RightDockWidgetArea, dock);

    m_gainPanel = new GainPanel(this);
    m_gainPanel->setObjectName(QStringLiteral("gainPanel"));
    auto *gainDock = new QDockWidget(tr("What reuse saves"), this);
    gainDock->setObjectName(QStringLiteral("gainDock"));
    gainDock->setAccessibleName(gainDock->windowTitle());
    gainDock->setWidget(m_gainPanel);
    addDockWidget(Qt::BottomDockWidgetArea, gainDock);
    splitDockWidget(m_positionsDock, gainDock, Qt::Horizontal);
    resizeDocks({dock}, {620}, Qt::Horizontal);
    resizeDocks({m_positionsDock}, {280}, Qt::Vertical);
    resizeDocks({m_positionsDock, gainDock}, {860, 580}, Qt::Horizontal);
}

void MainWindow::createActions()
{
    m_reuseActions = new QActionGroup(this);
    const QString reuseNames[] = {tr("&Pooled (keep-alive, HTTP/2)"),
                                  tr("&No reuse (a connection per request)"), tr("&Interleaved A/B")};
    const ReuseMode reuseModes[] = {ReuseMode::Pooled, ReuseMode::NoReuse, ReuseMode::Interleaved};
    for (int i = 0; i < 3; ++i) {
        QAction *action = m_reuseActions->addAction(reuseNames[i]);
        action->setCheckable(true);
        action->setData(int(reuseModes[i]));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        action->setChecked(reuseModes[i] == m_config.reuse);
        connect(action, &QAction::triggered, this, [this, mode = reuseModes[i]] { setReuseMode(mode); });
    }

    m_refreshAction = new QAction(tr("&Refresh now"), this);
    m_refreshAction->setShortcuts({QKeySequence::Refresh, QKeySequence(Qt::CTRL | Qt::Key_R)});
    m_refreshAction->setToolTip(tr("Refresh everything now (F5)"));
    connect(m_refreshAction, &QAction::triggered, this, [this] {
        if (m_session)
            m_session->refresher()->refreshNow();
    });
    m_pause = new QAction(tr("&Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pause->setToolTip(tr("Stop refreshing; the chart keeps what it has (Ctrl+P)"));
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        if (m_session)
            m_session->refresher()->setPaused(paused);
        m_pause->setText(paused ? tr("R&esume") : tr("&Pause"));
        m_pause->setToolTip(paused ? tr("Refresh again (Ctrl+P)")
                                   : tr("Stop refreshing; the chart keeps what it has (Ctrl+P)"));
    });
    m_settingsAction = new QAction(tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setToolTip(tr("Mode, credentials, rate-limit share, TLS (Ctrl+,)"));
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    m_copyAction = new QAction(tr("&Copy rows"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setToolTip(tr("The selected rows of the last table used, tab-separated with the header"));
    // Ctrl+C copies from the table that has (or last had) the focus, floating or not; the filter field keeps
    // its own.
    connect(m_copyAction, &QAction::triggered, this, [this] {
        if (m_lastTable)
            m_lastTable->copyRows();
    });
}

void MainWindow::buildToolBar()
{
    QToolBar *bar = m_toolBar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);

    auto *reuseLabel = new QLabel(tr(" &Reuse "), bar);
    m_reuse = new QComboBox(bar);
    reuseLabel->setBuddy(m_reuse);
    m_reuse->setObjectName(QStringLiteral("reuseSwitch"));
    m_reuse->addItem(tr("Pooled"), int(ReuseMode::Pooled));
    m_reuse->addItem(tr("No reuse"), int(ReuseMode::NoReuse));
    m_reuse->addItem(tr("Interleaved A/B"), int(ReuseMode::Interleaved));
    const QString reuseHelp =
        tr("Pooled: keep-alive and HTTP/2 (Ctrl+1)\nNo reuse: a new connection per request (Ctrl+2)\n"
           "Interleaved A/B: the two alternate per refresh cycle (Ctrl+3)");
    m_reuse->setToolTip(reuseHelp);
    m_reuse->setAccessibleName(tr("Connection reuse"));
    m_reuse->setAccessibleDescription(reuseHelp);
    m_reuse->setCurrentIndex(m_reuse->findData(int(m_config.reuse)));
    connect(m_reuse, &QComboBox::activated, this,
            [this](int index) { setReuseMode(ReuseMode(m_reuse->itemData(index).toInt())); });
    auto *reuseBox = new QWidget(bar);
    auto *reuseLayout = new QHBoxLayout(reuseBox);
    reuseLayout->setContentsMargins(0, 0, 0, 0);
    reuseLayout->addWidget(reuseLabel);
    reuseLayout->addWidget(m_reuse);
    bar->addWidget(reuseBox);

    bar->addSeparator();
    auto *rttLabel = new QLabel(tr(" R&TT "), bar);
    m_rtt = new QSpinBox(bar);
    rttLabel->setBuddy(m_rtt);
    m_rtt->setObjectName(QStringLiteral("rttSpin"));
    m_rtt->setRange(0, 2000);
    m_rtt->setSingleStep(10);
    m_rtt->setSuffix(tr(" ms"));
    m_rtt->setValue(int(m_config.exsim.rttMs));
    m_rtt->setToolTip(tr("Emulated network round trip to the simulated exchanges"));
    m_rtt->setAccessibleName(tr("Emulated round trip time"));
    m_rtt->setAccessibleDescription(m_rtt->toolTip());
    connect(m_rtt, &QSpinBox::valueChanged, this, [this](int ms) {
        m_config.exsim.rttMs = ms;
        m_settings->setDemoRttMs(ms);
        if (m_session)
            m_session->setDemoRttMs(ms);
    });
    auto *rttBox = new QWidget(bar);
    auto *rttLayout = new QHBoxLayout(rttBox);
    rttLayout->setContentsMargins(0, 0, 0, 0);
    rttLayout->addWidget(rttLabel);
    rttLayout->addWidget(m_rtt);
    m_rttAction = bar->addWidget(rttBox);

    bar->addSeparator();
    for (QAction *action : {m_refreshAction, m_pause, m_settingsAction}) {
        bar->addAction(action);
        // Toolbar buttons are left out of the Tab chain by default: a keyboard user needs them in it.
        QWidget *button = bar->widgetForAction(action);
        button->setFocusPolicy(Qt::TabFocus);
        button->setAccessibleDescription(action->toolTip());
    }
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *exportAction = file->addAction(tr("&Export samples as CSV…"), this, &MainWindow::exportCsv);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_copyAction);
    edit->addAction(m_findAction);

    QMenu *data = menuBar()->addMenu(tr("&Data"));
    data->addAction(m_refreshAction);
    data->addAction(m_pause);
    data->addSeparator();
    QMenu *reuse = data->addMenu(tr("Connection re&use"));
    reuse->addActions(m_reuseActions->actions());

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QMenu *theme = view->addMenu(tr("&Theme"));
    auto *themes = new QActionGroup(theme);
    const Theme::Choice current = Theme::current();
    for (Theme::Choice choice : {Theme::Choice::System, Theme::Choice::Light, Theme::Choice::Dark}) {
        const QString names[] = {tr("Follow the system"), tr("Light"), tr("Dark")};
        QAction *action = theme->addAction(names[int(choice)], this, [this, choice] {
            Theme::apply(choice);
            m_settings->setPalette(Theme::toString(choice));
        });
        action->setCheckable(true);
        action->setChecked(choice == current);
        themes->addAction(action);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About exdash"), this, &MainWindow::showAbout);
}

void MainWindow::setTabOrderOfControls()
{
    // Left to right, top to bottom, as the window reads: the toolbar, the tickers, the chart, the positions.
    QList<QWidget *> order {m_reuse, m_rtt};
    for (QAction *action : {m_refreshAction, m_pause, m_settingsAction})
        order << m_toolBar->widgetForAction(action);
    order << m_filter << m_tickerView << m_chart->focusOrder() << m_positionView;
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order[i - 1], order[i]);
}

void MainWindow::buildStatusBar()
{
    m_modeLabel = new QLabel(this);
    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    statusBar()->addWidget(m_modeLabel);
    for (ElidingLabel *&label : m_healthLabel) {
        label = new ElidingLabel(this);
        statusBar()->addWidget(label);
    }
    m_budgetLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_budgetLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
}

bool MainWindow::start(QString *error)
{
    return startSession(m_config, error);
}

std::unique_ptr<Session> MainWindow::startedSession(const SessionConfig &config, DemoStarter startDemo,
                                                    bool paused, QString *error)
{
    auto session = std::make_unique<Session>(std::move(startDemo));
    if (!session->start(config, error))
        return nullptr;
    session->refresher()->setPaused(paused);
    session->refresher()->start();
    return session;
}

bool MainWindow::startSession(const SessionConfig &config, QString *error)
{
    m_session.reset(); // the last session's simulator and threads end before the next one starts
    std::unique_ptr<Session> session = startedSession(config, m_startDemo, m_pause->isChecked(), error);
    if (!session) {
        forgetSessionData(); // no session: what it showed would never turn stale
        return false;
    }
    start(std::move(session));
    return true;
}

void MainWindow::forgetSessionData()
{
    m_reported.clear();
    m_firstRefreshDone = false;
    m_phaseBar->setPinned(false); // a request of the last session means nothing in this one
    for (Exchange e : allExchanges) {
        m_tickers->setTickers(e, {});
        m_positions->setPositions(e, {});
        m_accounts->clear(e);
    }
}

void MainWindow::start(std::unique_ptr<Session> running)
{
    forgetSessionData();
    m_config = running->config();
    m_session = std::move(running);
    connect(m_session->http(), &HttpClient::sampleReady, m_log, &LatencyLog::append);
    for (ExchangeClient *client : m_session->clients()) {
        connect(client, &ExchangeClient::tickersUpdated, m_tickers, &TickerModel::setTickers);
        connect(client, &ExchangeClient::positionsUpdated, m_positions, &PositionModel::setPositions);
        connect(client, &ExchangeClient::positionsUpdated, m_tickers, &TickerModel::setHeldPositions);
        connect(client, &ExchangeClient::accountUpdated, m_accounts, &AccountModel::setAccount);
    }
    connect(m_session->refresher(), &Refresher::statusChanged, this, &MainWindow::onFetched);
    // What answered before the window listened: a feed that cannot go out (no credentials) says so at once.
    for (Exchange e : allExchanges) {
        for (DataKind kind : allDataKinds) {
            const FeedStatus status = m_session->refresher()->status(e, kind);
            if (!status.inFlight && (status.lastSuccessMs > 0 || !status.lastError.ok()))
                onFetched(e, kind);
        }
    }
    if (!m_config.demo)
        loadLiveCredentials();

    m_rttAction->setVisible(m_config.demo);
    showReuseMode(m_config.reuse);
    m_session->refresher()->setPaused(m_pause->isChecked());
    refreshStatus();
}

void MainWindow::loadLiveCredentials()
{
    if (m_config.bitunix.isComplete()) {
        m_session->bitunix()->setCredentials(m_config.bitunix.apiKey, m_config.bitunix.secret);
        return;
    }
    connect(
        m_credentials, &CredentialStore::bitunixLoaded, this,
        [this](const BitunixCredentials &credentials) {
            if (m_session && !m_session->isDemo() && credentials.isComplete()) {
                m_session->bitunix()->setCredentials(credentials.apiKey, credentials.secret);
                m_session->refresher()->refreshNow();
            }
        },
        Qt::SingleShotConnection);
    m_credentials->loadBitunix();
}

void MainWindow::showReuseMode(ReuseMode mode)
{
    m_reuse->setCurrentIndex(m_reuse->findData(int(mode)));
    for (QAction *action : m_reuseActions->actions())
        action->setChecked(action->data().toInt() == int(mode));
}

void MainWindow::setReuseMode(ReuseMode mode)
{
    showReuseMode(mode);
    m_config.reuse = mode;
    m_settings->setReuseMode(mode);
    if (m_session)
        m_session->http()->setReuseMode(mode);
}

void MainWindow::markStale()
{
    // Data also goes stale by age alone, with no fetch to report it: refreshStatus() calls this too.
    const Refresher *refresher = m_session->refresher();
    for (Exchange e : allExchanges) {
        m_tickers->setStale(e, refresher->isStale(e, DataKind::Tickers));
        m_positions->setStale(e, refresher->isStale(e, DataKind::Positions));
        m_accounts->setStale(e, refresher->isStale(e, DataKind::Account));
    }
}

void MainWindow::onFetched(Exchange exchange, DataKind kind)
{
    m_reported.insert(feedKey(exchange, kind));
    markStale();
    refreshPositionsState();
    (kind == DataKind::Tickers || kind == DataKind::MarketStats ? m_tickerFitter : m_positionFitter)
        ->fitSoon();
    if (!m_firstRefreshDone && m_reported.size() == exchangeCount * dataKindCount) {
        m_firstRefreshDone = true;
        emit firstRefreshCompleted();
    }
}

void MainWindow::refreshStatus()
{
    if (!m_session)
        return;
    markStale();
    refreshPositionsState();
    m_modeLabel->setText(m_session->isDemo() ? tr("Demo: exsim at RTT %1 ms").arg(m_config.exsim.rttMs)
                                             : tr("Live"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (Exchange e : allExchanges) {
        const ExchangeStatus status = ExchangeStatus::of(*m_session->refresher(), e, now);
        m_healthLabel[int(e)]->setParts(status.figures(), status.detail());
    }
    m_budgetLabel->setText(budgetText(*m_session->refresher()));
    m_budgetLabel->setToolTip(budgetToolTip(*m_session->refresher()));
    LatencyFilter lastMinute;
    lastMinute.fromMs = now - 60'000;
    lastMinute.toMs = now;
    lastMinute.okOnly = false;
    m_rateLabel->setText(tr("%1 req/min").arg(m_log->stats(lastMinute).count));
}

QString MainWindow::statusText() const
{
    QStringList parts {m_modeLabel->text()};
    for (const ElidingLabel *label : m_healthLabel)
        parts << label->fullText();
    parts << m_budgetLabel->text() << m_rateLabel->text();
    return parts.join(QStringLiteral(" | "));
}

void MainWindow::refreshGain()
{
    m_gainPanel->setReport(GainReport::compute(*m_log, QDateTime::currentMSecsSinceEpoch()));
}

void MainWindow::refreshPositionsState()
{
    auto hasPositions = [this](Exchange e) {
        for (int row = 0; row < m_positions->rowCount(); ++row) {
            if (m_positions->position(row).exchange == e)
                return true;
        }
        return false;
    };
    QStringList reasons;
    QStringList accounts;
    const QPalette palette = this->palette();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (Exchange e : allExchanges) {
        if (m_session) {
            const QString note =
                ExchangeStatus::of(*m_session->refresher(), e, now).positionsNote(hasPositions(e));
            if (!note.isEmpty())
                reasons << note;
        }
        if (m_accounts->has(e)) {
            const AccountSummary a = m_accounts->account(e);
            const int sign =
                a.unrealizedPnl.isValid() ? (a.unrealizedPnl.value > 0) - (a.unrealizedPnl.value < 0) : 0;
            const QColor pnlColor = sign > 0 ? Theme::gain(palette)
                : sign < 0                   ? Theme::loss(palette)
                                             : palette.color(QPalette::WindowText);
            accounts << tr("<b>%1</b> equity %2 · available %3 · uPnL <span style=\"color:%4\">%5</span>")
                            .arg(shortNameOf(e), formatMoney(a.equity), formatMoney(a.available),
                                 pnlColor.name(), formatMoney(a.unrealizedPnl, SignStyle::Always))
                    + (m_accounts->isStale(e) ? tr(" <i>(stale)</i>") : QString());
        }
    }
    m_accountLine->setText(accounts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;&nbsp;")));
    const bool empty = m_positions->rowCount() == 0;
    m_positionsEmpty->setText(reasons.isEmpty() ? tr("No open positions") : reasons.join(QLatin1Char('\n')));
    m_positionStack->setCurrentWidget(empty ? static_cast<QWidget *>(m_positionsEmpty) : m_positionView);
}

void MainWindow::exportCsv()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export samples as CSV"),
        QStringLiteral("exdash-samples-%1.csv")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))),
        tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(SampleCsv::write(*m_log)) < 0 || !file.commit()) {
        QMessageBox::warning(this, tr("Export failed"),
                             tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    statusBar()->showMessage(tr("Exported %1 samples to %2").arg(m_log->size()).arg(path), 5000);
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_settings, m_credentials, this);
    connect(&dialog, &SettingsDialog::applied, this, [this] {
        SessionConfig config = configFromSettings(*m_settings);
        config.reuse = m_config.reuse;
        QString error;
        if (!startSession(config, &error))
            QMessageBox::warning(this, tr("Cannot start"), error);
        m_rtt->setValue(int(config.exsim.rttMs));
    });
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About exdash"),
        tr("<h3>exdash %1</h3><p>Bitunix and Hyperliquid in one window, and what keeping connections "
           "alive saves, measured on every request.</p><p>Qt %2 (built with %3)<br>%4</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), QSslSocket::sslLibraryVersionString()));
}

void MainWindow::placeOnScreen()
{
    // Qt refuses a geometry saved on a screen of a very different width, and puts any other one back as it
    // was, even if it no longer fits (a laptop taken off its big monitor): both end up on the screen here.
    m_geometryFromDefaults = !restoreGeometry(m_settings->windowGeometry());
    restoreState(m_settings->windowState());
    const QRect available = WindowPlacement::screenUnder(geometry(), this)->availableGeometry();
    const QRect normal = m_settings->windowNormalGeometry();
    if (!m_geometryFromDefaults && !isMaximized() && !isFullScreen() && available.contains(normal))
        setGeometry(normal); // as it was: Qt's own restore moves a window that filled the screen down
    if (m_geometryFromDefaults)
        setGeometry(WindowPlacement::firstGeometry(preferredSize, available, WindowPlacement::assumedFrame));
    else if (!isMaximized() && !isFullScreen() && !available.contains(geometry()))
        // It has to change anyway: leave room for a frame too. One that fits stays exactly as it was.
        setGeometry(
            WindowPlacement::fitted(geometry(), WindowPlacement::assumedFrame, available, minimumSizeHint()));
}

void MainWindow::fitWithFrame(const QMargins &frame)
{
    if (!isMaximized() && !isFullScreen()) {
        const QRect available = WindowPlacement::screenUnder(geometry(), this)->availableGeometry();
        // A first launch takes all the room the real frame leaves, not what the assumed one did.
        const QRect fitted = m_geometryFromDefaults
            ? WindowPlacement::firstGeometry(preferredSize, available, frame)
            : WindowPlacement::fitted(geometry(), frame, available, minimumSizeHint());
        if (fitted != geometry())
            setGeometry(fitted);
    }
    // A dock floated on a monitor that is gone comes back on this window's screen.
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        if (dock->isFloating())
            WindowPlacement::fitOnScreen(dock);
    }
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_frameFitDeadline.isForever()) {
        // The window manager's frame is known once the window is mapped, and X11 tells it a moment later
        // without an event to the widget: look for it a few times, then trust the window manager.
        m_frameFitDeadline.setRemainingTime(frameFitWaitMs);
        auto *poll = new QTimer(this);
        poll->setInterval(frameFitPollMs);
        const auto fitOnceKnown = [this, poll] {
            if (const std::optional<QMargins> frame = WindowPlacement::knownFrame(this)) {
                fitWithFrame(*frame);
                m_geometryFromDefaults = false;
            } else if (!m_frameFitDeadline.hasExpired()) {
                return;
            }
            poll->stop();
            poll->deleteLater();
        };
        connect(poll, &QTimer::timeout, this, fitOnceKnown);
        poll->start();
        QTimer::singleShot(0, poll, fitOnceKnown);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowNormalGeometry(normalGeometry());
    m_settings->setWindowState(saveState());
    QMainWindow::closeEvent(event);
}
