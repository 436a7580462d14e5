#include "columnfitter.h"
#include "elidinglabel.h"
#include "gainpanel.h"
#include "latencychart.h"
#include "mainwindow.h"
#include "phasebar.h"
#include "settingsdialog.h"
#include "windowfixture.h"
#include "windowplacement.h"

#include "models/latencylog.h"
#include "sim/exsimthread.h"

#include <QApplication>
#include <QDataStream>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QRegularExpression>
#include <QScreen>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

#include <memory>

// The window on the screen it opens on. CTest runs this once per screen size (EXDASH_TEST_SCREEN, "WxH"),
// on an offscreen screen of that size: it must fit, with every dock shown at least at its minimum size and
// every figure shown whole.
class tst_WindowFit : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void placementFunctions();
    void firstLaunchFitsTheScreen();
    void oneArmWithItsHintFits();
    void geometryFromABiggerMonitorFits_data();
    void geometryFromABiggerMonitorFits();
    void docksSavedOnABiggerMonitorFit();
    void geometryThatFitsComesBackAsItWas();
    void floatingDockFromAGoneMonitorComesBack();
    void longErrorsDoNotWidenTheWindow();
    void settingsDialogFits();

private:
    static SessionConfig demo();
    // Opens a window with the settings as they are, its gain panel showing both arms (its tallest form).
    std::unique_ptr<MainWindow> openFull();
    static QStringList problemsOf(MainWindow *window);

    std::unique_ptr<WindowFixture> m_fixture;
};

// The labels change every second (ages, rates) and are laid out again on the next pass of the event loop:
// a problem must last to count.
#define VERIFY_FITS(window)                                                                                  \
    QTRY_VERIFY2(problemsOf(window).isEmpty(), qPrintable(problemsOf(window).join(QLatin1Char('\n'))))

namespace {

// What QWidget::saveGeometry() writes (Qt 6.4, format 3.0): a geometry as a window on another monitor would
// have saved it. Checked against Qt's own output in placementFunctions().
QByteArray savedGeometry(const QRect &client, const QMargins &frame, int screenWidth, bool maximized = false)
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    stream.setVersion(QDataStream::Qt_4_0);
    stream << quint32(0x1D9D0CB) << quint16(3) << quint16(0) << client.marginsAdded(frame) << client
           << qint32(0) << quint8(maximized) << quint8(0) << qint32(screenWidth) << client;
    return bytes;
}

QString describe(const QRect &r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

QString describe(const QSize &s)
{
    return QStringLiteral("%1x%2").arg(s.width()).arg(s.height());
}

QString nameOf(const QWidget *w)
{
    QString name = w->objectName();
    for (const QObject *p = w->parent(); name.isEmpty() && p; p = p->parent())
        name = p->objectName().isEmpty()
            ? QString()
            : p->objectName() + QStringLiteral("/") + w->metaObject()->className();
    return name.isEmpty() ? QString::fromLatin1(w->metaObject()->className()) : name;
}

} // namespace

void tst_WindowFit::init()
{
    m_fixture = std::make_unique<WindowFixture>(QStringLiteral("exdash-tst-windowfit"));
    QVERIFY(m_fixture->isValid());
}

void tst_WindowFit::cleanup()
{
    m_fixture.reset();
}

SessionConfig tst_WindowFit::demo()
{
    SessionConfig config;
    config.demo = true;
    config.exsim.rttMs = 0;
    config.reuse = ReuseMode::Interleaved;
    // As fast as the whole rate limit allows (prices every second), and never held back by it.
    config.sharePercent = 100;
    return config;
}

std::unique_ptr<MainWindow> tst_WindowFit::openFull()
{
    auto window = m_fixture->open(demo());
    if (!window->firstRefreshDone())
        return nullptr;
    // Both arms in the panel: it is tallest then, and the status bar has its longest texts.
    if (!QTest::qWaitFor([&] { return window->gainPanel()->report().bothArms(); }, 20'000))
        return nullptr;
    window->session()->refresher()->setPaused(true);
    // Columns fit new rows at once and wider values within an interval: fit now, to see what the layout
    // leaves them.
    for (QTableView *view : {window->tickerView(), window->positionView()}) {
        for (ColumnFitter *fitter : view->findChildren<ColumnFitter *>())
            fitter->fit();
    }
    QTest::qWait(0);
    return window;
}

// Everything that makes a window unusable on a small screen, one line each.
QStringList tst_WindowFit::problemsOf(MainWindow *window)
{
    QStringList problems;
    const QRect available = window->screen()->availableGeometry();
    if (!available.contains(window->frameGeometry()))
        problems << QStringLiteral("window %1 is not inside the screen's %2")
                        .arg(describe(window->frameGeometry()), describe(available));
    auto tooSmall = [](const QWidget *w) {
        const QSize hint = w->minimumSizeHint().expandedTo(w->minimumSize());
        return w->width() < hint.width() || w->height() < hint.height();
    };
    for (QDockWidget *dock : window->findChildren<QDockWidget *>()) {
        if (!dock->isVisible() || dock->isFloating() || dock->visibleRegion().isEmpty())
            problems << QStringLiteral("dock %1 is hidden or floating").arg(dock->objectName());
        else if (tooSmall(dock->widget()))
            problems << QStringLiteral("dock %1 is %2, below its minimum %3")
                            .arg(dock->objectName(), describe(dock->widget()->size()),
                                 describe(dock->widget()->minimumSizeHint()));
    }
    for (QWidget *w :
         {window->centralWidget(), static_cast<QWidget *>(window->latencyChart()),
          static_cast<QWidget *>(window->phaseBar()), static_cast<QWidget *>(window->gainPanel())}) {
        if (tooSmall(w))
            problems << QStringLiteral("%1 is %2, below its minimum %3")
                            .arg(nameOf(w), describe(w->size()), describe(w->minimumSizeHint()));
    }
    // A label cut short: its text needs more room than it has.
    for (QLabel *label : window->findChildren<QLabel *>()) {
        if (!label->isVisibleTo(window) || label->text().isEmpty())
            continue;
        const QRect room = label->contentsRect();
        // A message that may give way, after figures that may not.
        if (qobject_cast<ElidingLabel *>(label)) {
            if (label->width() < label->minimumSizeHint().width())
                problems << QStringLiteral("label %1 \"%2\" is cut inside its figures")
                                .arg(nameOf(label), label->text().left(60));
            continue;
        }
        const bool cut = label->wordWrap()
            ? label->heightForWidth(label->width()) > label->height()
            : label->sizeHint().width() > label->width() || label->sizeHint().height() > label->height() + 1;
        if (cut)
            problems << QStringLiteral("label %1 \"%2\" is cut: %3 for a hint of %4")
                            .arg(nameOf(label), label->text().left(60), describe(room.size()),
                                 describe(label->sizeHint()));
    }
    // Every toolbar control on the bar itself, none behind the overflow button.
    for (QToolBar *bar : window->findChildren<QToolBar *>()) {
        for (QAction *action : bar->actions()) {
            QWidget *w = bar->widgetForAction(action);
            if (action->isVisible() && !action->isSeparator() && w && !w->isVisible())
                problems << QStringLiteral("toolbar item %1 is hidden in the overflow")
                                .arg(action->text().isEmpty() ? nameOf(w) : action->text());
        }
    }
    // Tables keep their columns at the width their contents need and scroll instead.
    for (QTableView *view : {window->tickerView(), window->positionView()}) {
        if (!view->isVisibleTo(window))
            continue;
        const QHeaderView *header = view->horizontalHeader();
        for (int c = 0; c + 1 < header->count(); ++c) { // the last one stretches
            const int needed = std::max(static_cast<const QAbstractItemView *>(view)->sizeHintForColumn(c),
                                        header->sectionSizeHint(c));
            if (view->columnWidth(c) < needed)
                problems << QStringLiteral("%1 column %2 is %3 px, its contents need %4")
                                .arg(view->objectName())
                                .arg(c)
                                .arg(view->columnWidth(c))
                                .arg(needed);
        }
    }
    return problems;
}

void tst_WindowFit::placementFunctions()
{
    const QRect screen(0, 0, 1366, 768);
    const QMargins frame(2, 30, 2, 2);
    // First launch: the preferred size where it fits, else the whole available area, frame included.
    QCOMPARE(WindowPlacement::firstGeometry({1440, 900}, QRect(0, 0, 2560, 1440), frame).size(),
             QSize(1440, 900));
    const QRect first = WindowPlacement::firstGeometry({1440, 900}, screen, frame);
    QCOMPARE(first.marginsAdded(frame), screen);
    // A geometry that fits is left alone; one that does not is shrunk, then moved in.
    const QRect fits(100, 100, 800, 500);
    QCOMPARE(WindowPlacement::fitted(fits, frame, screen, {400, 300}), fits);
    const QRect big = WindowPlacement::fitted(QRect(1200, 700, 2560, 1400), frame, screen, {400, 300});
    QCOMPARE(big.marginsAdded(frame), screen);
    const QRect offRight = WindowPlacement::fitted(QRect(1000, 200, 800, 500), frame, screen, {400, 300});
    QCOMPARE(offRight.size(), QSize(800, 500));
    QCOMPARE(offRight.marginsAdded(frame).right(), screen.right());
    // Never below the minimum: a window that cannot fit keeps its title bar on the screen.
    const QRect tiny(0, 0, 640, 400);
    const QRect forced = WindowPlacement::fitted(QRect(0, 0, 2000, 2000), frame, tiny, {700, 450});
    QCOMPARE(forced.size(), QSize(700, 450));
    QCOMPARE(forced.marginsAdded(frame).topLeft(), tiny.topLeft());

    // The saved-geometry bytes the tests below make are the ones Qt writes.
    QWidget widget;
    widget.setGeometry(QRect(40, 50, 600, 400));
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    const QRect g = widget.geometry();
    const QRect f = widget.frameGeometry();
    const QMargins m(g.left() - f.left(), g.top() - f.top(), f.right() - g.right(), f.bottom() - g.bottom());
    QCOMPARE(widget.saveGeometry(), savedGeometry(g, m, widget.screen()->geometry().width()));
}

void tst_WindowFit::firstLaunchFitsTheScreen()
{
    auto window = openFull();
    QVERIFY(window);
    const QRect available = window->screen()->availableGeometry();
    qInfo("screen %s, window %s", qPrintable(describe(available)),
          qPrintable(describe(window->frameGeometry())));
    VERIFY_FITS(window.get());
    // It takes the room it is given: the preferred 1440x900, or all of a smaller screen.
    QCOMPARE(window->width(),
             std::min(1440, available.width() - (window->frameGeometry().width() - window->width())));
}

void tst_WindowFit::oneArmWithItsHintFits()
{
    // Pooled, the default: the gain panel has one arm and says, under its facts, how to measure the other.
    SessionConfig config = demo();
    config.reuse = ReuseMode::Pooled;
    auto window = m_fixture->open(config);
    QVERIFY(window->firstRefreshDone());
    QVERIFY(QTest::qWaitFor([&] { return window->gainPanel()->isHintShown(); }, 20'000));
    window->session()->refresher()->setPaused(true);
    VERIFY_FITS(window.get());
}

void tst_WindowFit::geometryFromABiggerMonitorFits_data()
{
    QTest::addColumn<QRect>("saved");
    QTest::addColumn<int>("savedScreenWidth");
    QTest::addColumn<bool>("maximized");
    // Qt itself refuses a geometry from a screen of a very different width...
    QTest::newRow("2560x1440 monitor") << QRect(0, 30, 2560, 1380) << 2560 << false;
    // ... and puts one from a screen of about this width back as it was, even where it does not fit.
    QTest::newRow("too tall, same width") << QRect(0, 30, 1360, 1380) << 0 << false;
    QTest::newRow("off the right edge") << QRect(1000, 100, 1000, 600) << 0 << false;
    QTest::newRow("maximized") << QRect(100, 100, 2000, 1200) << 0 << true;
}

void tst_WindowFit::geometryFromABiggerMonitorFits()
{
    QFETCH(QRect, saved);
    QFETCH(int, savedScreenWidth);
    QFETCH(bool, maximized);
    const int width =
        savedScreenWidth > 0 ? savedScreenWidth : QGuiApplication::primaryScreen()->geometry().width();
    m_fixture->settings()->setWindowGeometry(savedGeometry(saved, QMargins(2, 30, 2, 2), width, maximized));
    auto window = openFull();
    QVERIFY(window);
    QCOMPARE(window->isMaximized(), maximized);
    VERIFY_FITS(window.get());
}

void tst_WindowFit::docksSavedOnABiggerMonitorFit()
{
    {
        // A window on a big monitor, its docks made large there, then closed (which saves them).
        auto window = std::make_unique<MainWindow>(m_fixture->settings(), m_fixture->credentials(), demo(),
                                                   exsimStarter());
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QCoreApplication::processEvents(); // the fit after the first show
        window->setGeometry(0, 0, 2560, 1400);
        QTRY_COMPARE(window->width(), 2560);
        auto *positions = window->findChild<QDockWidget *>(QStringLiteral("positionsDock"));
        auto *latency = window->findChild<QDockWidget *>(QStringLiteral("latencyDock"));
        window->resizeDocks({positions}, {1000}, Qt::Vertical);
        window->resizeDocks({latency}, {1800}, Qt::Horizontal);
        QTest::qWait(0);
        QVERIFY(positions->height() > 800);
        window->close();
    }
    auto window = openFull();
    QVERIFY(window);
    VERIFY_FITS(window.get());
}

void tst_WindowFit::geometryThatFitsComesBackAsItWas()
{
    QRect before;
    {
        auto window = std::make_unique<MainWindow>(m_fixture->settings(), m_fixture->credentials(), demo(),
                                                   exsimStarter());
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QCoreApplication::processEvents(); // the fit after the first show
        before = window->geometry();
        window->close();
    }
    auto window =
        std::make_unique<MainWindow>(m_fixture->settings(), m_fixture->credentials(), demo(), exsimStarter());
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QCoreApplication::processEvents();
    QCOMPARE(window->geometry(), before);
}

void tst_WindowFit::floatingDockFromAGoneMonitorComesBack()
{
    {
        auto window = std::make_unique<MainWindow>(m_fixture->settings(), m_fixture->credentials(), demo(),
                                                   exsimStarter());
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        auto *gain = window->findChild<QDockWidget *>(QStringLiteral("gainDock"));
        gain->setFloating(true);
        // Where a second monitor to the right was.
        gain->setGeometry(QRect(window->screen()->geometry().right() + 200, 100, 600, 300));
        QTest::qWait(0);
        window->close();
    }
    auto window = m_fixture->open(demo());
    auto *gain = window->findChild<QDockWidget *>(QStringLiteral("gainDock"));
    QVERIFY(gain->isFloating());
    QVERIFY2(window->screen()->availableGeometry().contains(gain->frameGeometry()),
             qPrintable(describe(gain->frameGeometry())));
}

void tst_WindowFit::longErrorsDoNotWidenTheWindow()
{
    auto window = openFull();
    QVERIFY(window);
    ExsimThread *exsim = exsimOf(window->session());
    exsim->setFault(SimExchange::Bitunix, Fault {Fault::Kind::MalformedJson});
    exsim->setFault(SimExchange::Hyperliquid, Fault {Fault::Kind::Unprocessable});
    window->session()->refresher()->setPaused(false);
    window->session()->refresher()->refreshNow();
    // "BX error: …", or "BX stale 2 s: …" once the last good data has aged.
    const QRegularExpression bothFailing(
        QStringLiteral("BX (error|stale \\d+ s): .*HL (error|stale \\d+ s): "));
    QTRY_VERIFY2_WITH_TIMEOUT(bothFailing.match(window->statusText()).hasMatch(),
                              qPrintable(window->statusText()), 20'000);
    VERIFY_FITS(window.get());
}

void tst_WindowFit::settingsDialogFits()
{
    MainWindow window(m_fixture->settings(), m_fixture->credentials(), demo(), exsimStarter());
    window.show();
    SettingsDialog dialog(m_fixture->settings(), m_fixture->credentials(), &window);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // Its tallest: with the keychain's message (none here), which comes after it is shown.
    QTRY_VERIFY(!dialog.credentialsStatusText().isEmpty());
    QCoreApplication::processEvents();
    const QRect available = dialog.screen()->availableGeometry();
    QVERIFY2(available.contains(dialog.frameGeometry()),
             qPrintable(describe(dialog.frameGeometry()) + QStringLiteral(" on ") + describe(available)));
    for (QLabel *label : dialog.findChildren<QLabel *>()) {
        if (!label->isVisibleTo(&dialog) || label->text().isEmpty())
            continue;
        const bool cut = label->wordWrap() ? label->heightForWidth(label->width()) > label->height()
                                           : label->sizeHint().width() > label->width();
        QVERIFY2(!cut, qPrintable(label->text()));
    }
}

int main(int argc, char *argv[])
{
    // The offscreen platform takes its screens from a JSON file (Qt 6 "configfile" option).
    const QByteArray size = qEnvironmentVariable("EXDASH_TEST_SCREEN", QStringLiteral("1366x768")).toLatin1();
    const QList<QByteArray> wh = size.split('x');
    if (wh.size() != 2 || wh[0].toInt() <= 0 || wh[1].toInt() <= 0) {
        std::fprintf(stderr, "EXDASH_TEST_SCREEN must be WIDTHxHEIGHT, not %s\n", size.constData());
        return 64;
    }
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("screen.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return 70;
    file.write(QByteArrayLiteral(R"({"screens": [{"name": "screen", "x": 0, "y": 0, "width": )") + wh[0]
               + R"(, "height": )" + wh[1] + R"(, "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]})");
    file.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    QApplication app(argc, argv);
    if (QGuiApplication::primaryScreen()->geometry().size() != QSize(wh[0].toInt(), wh[1].toInt())) {
        std::fprintf(stderr, "the offscreen platform did not take the screen size\n");
        return 70;
    }
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    qunsetenv("HYPERLIQUID_ADDRESS");
    tst_WindowFit test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_windowfit.moc"
