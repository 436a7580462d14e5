#include "gainpanel.h"
#include "latencychart.h"
#include "mainwindow.h"
#include "phasebar.h"
#include "settingsdialog.h"
#include "windowfixture.h"

#include "models/latencylog.h"
#include "models/tickermodel.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolBar>
#include <QWidgetAction>
#include <QXYSeries>

#include <algorithm>
#include <memory>
#include <tuple>

// The window from the keyboard and through the accessibility interfaces a screen reader reads, offscreen.
class tst_Keyboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void tabVisitsEveryControlOnce();
    void settingsDialogTabsInReadingOrder();
    void everyShortcutIsShownInAMenu();
    void ctrlCCopiesTheSelectedRows();
    void reuseShortcutsSwitchTheMode();
    void screenReaderReadsTheGain();
    void chartPointsFromTheKeyboard();

private:
    static SessionConfig demo();
    static QList<QWidget *> tabWalk(QWidget *window, QWidget *start);
    static QString nameOf(const QWidget *w);
    static QList<QWidget *> tabStops(QWidget *window); // what Tab should visit
    static QString accessibleText(QObject *object, QAccessible::Text text);

    std::unique_ptr<WindowFixture> m_fixture;
};

void tst_Keyboard::initTestCase()
{
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
    qunsetenv("HYPERLIQUID_ADDRESS");
}

void tst_Keyboard::init()
{
    m_fixture = std::make_unique<WindowFixture>(QStringLiteral("exdash-tst-keyboard"));
    QVERIFY(m_fixture->isValid());
}

void tst_Keyboard::cleanup()
{
    m_fixture.reset();
}

SessionConfig tst_Keyboard::demo()
{
    SessionConfig config;
    config.demo = true;
    config.exsim.rttMs = 0;
    config.sharePercent = 100;
    return config;
}

QString tst_Keyboard::nameOf(const QWidget *w)
{
    QString name = w->objectName();
    if (name.isEmpty())
        name = QString::fromLatin1(w->metaObject()->className());
    if (!w->accessibleName().isEmpty())
        name += QStringLiteral(" \"%1\"").arg(w->accessibleName());
    return name;
}

// Tab from `start` until focus comes back to it: the widgets it went through, in order.
QList<QWidget *> tst_Keyboard::tabWalk(QWidget *window, QWidget *start)
{
    QList<QWidget *> visited;
    start->setFocus(Qt::OtherFocusReason);
    if (!QTest::qWaitFor([&] { return QApplication::focusWidget() == start; }, 2000))
        return visited;
    visited << start;
    for (int i = 0; i < 100; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *now = QApplication::focusWidget();
        if (now == start || !now)
            break;
        visited << now;
    }
    Q_UNUSED(window);
    return visited;
}

QList<QWidget *> tst_Keyboard::tabStops(QWidget *window)
{
    QList<QWidget *> stops;
    for (QWidget *w : window->findChildren<QWidget *>()) {
        if (w->isVisible() && w->isEnabled() && (w->focusPolicy() & Qt::TabFocus) && !w->focusProxy()
            && w->window() == window)
            stops << w;
    }
    return stops;
}

QString tst_Keyboard::accessibleText(QObject *object, QAccessible::Text text)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(object);
    return iface ? iface->text(text) : QString();
}

void tst_Keyboard::tabVisitsEveryControlOnce()
{
    auto window = m_fixture->open(demo());
    QVERIFY(window->firstRefreshDone());
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    const QList<QWidget *> walk = tabWalk(window.get(), window->reuseSwitch());
    QStringList names;
    for (QWidget *w : walk)
        names << nameOf(w);
    const QString seen = names.join(QStringLiteral(" > "));

    // Once each, and nothing left out.
    QCOMPARE(QSet<QWidget *>(walk.cbegin(), walk.cend()).size(), walk.size());
    QList<QWidget *> stops = tabStops(window.get());
    for (QWidget *w : stops)
        QVERIFY2(walk.contains(w), qPrintable(nameOf(w) + QStringLiteral(" is never reached: ") + seen));
    QCOMPARE(walk.size(), stops.size());

    // In reading order: the toolbar, the tickers, the chart's controls, the positions.
    auto *bar = window->findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QList<QWidget *> expected {window->reuseSwitch(),
                               window->findChild<QWidget *>(QStringLiteral("rttSpin"))};
    for (QAction *action : bar->actions()) {
        if (!action->text().isEmpty() && !action->isSeparator() && bar->widgetForAction(action)
            && !qobject_cast<QWidgetAction *>(action))
            expected << bar->widgetForAction(action);
    }
    expected << window->findChild<QWidget *>(QStringLiteral("tickerFilter")) << window->tickerView();
    expected << window->latencyChart()->focusOrder() << window->positionView();
    QCOMPARE(walk, expected);

    // Shift+Tab goes back the same way.
    for (qsizetype k = 1; k <= walk.size(); ++k) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(QApplication::focusWidget(), walk[(walk.size() - k) % walk.size()]);
    }

    // Every control says what it is.
    for (QWidget *w : walk)
        QVERIFY2(!accessibleText(w, QAccessible::Name).isEmpty(),
                 qPrintable(nameOf(w) + QStringLiteral(" has no name")));
}

void tst_Keyboard::settingsDialogTabsInReadingOrder()
{
    SettingsDialog dialog(m_fixture->settings(), m_fixture->credentials());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    const QList<QWidget *> stops = tabStops(&dialog);
    QVERIFY(stops.size() >= 10);
    // Reading order: down the dialog, and left to right within a row (widgets of one row may differ in
    // height by a pixel or two: a row is centres within half a line of each other).
    const int sameRow = dialog.fontMetrics().height() / 2;
    const auto centre = [&dialog](QWidget *w) {
        return w->mapTo(&dialog, w->rect().center());
    };
    const auto before = [&](QWidget *a, QWidget *b) {
        const QPoint pa = centre(a);
        const QPoint pb = centre(b);
        return std::abs(pa.y() - pb.y()) <= sameRow ? pa.x() < pb.x() : pa.y() < pb.y();
    };
    QWidget *first = stops.first();
    for (QWidget *w : stops) {
        if (before(w, first))
            first = w;
    }
    const QList<QWidget *> walk = tabWalk(&dialog, first);
    QStringList names;
    for (QWidget *w : walk)
        names << nameOf(w);
    const QString seen = names.join(QStringLiteral(" > "));
    QCOMPARE(QSet<QWidget *>(walk.cbegin(), walk.cend()).size(), walk.size());
    QCOMPARE(walk.size(), stops.size());
    for (qsizetype i = 1; i < walk.size(); ++i)
        QVERIFY2(before(walk[i - 1], walk[i]), qPrintable(seen));
}

void tst_Keyboard::everyShortcutIsShownInAMenu()
{
    MainWindow window(m_fixture->settings(), m_fixture->credentials(), demo(), exsimStarter());
    QSet<QAction *> inMenus;
    QList<QMenu *> menus;
    for (QAction *top : window.menuBar()->actions()) {
        if (top->menu())
            menus << top->menu();
    }
    while (!menus.isEmpty()) {
        QMenu *menu = menus.takeFirst();
        for (QAction *action : menu->actions()) {
            inMenus.insert(action);
            if (action->menu())
                menus << action->menu();
        }
    }
    QHash<QKeySequence, QString> owner;
    for (QAction *action : window.findChildren<QAction *>()) {
        for (const QKeySequence &key : action->shortcuts()) {
            const QString text = action->text().remove(QLatin1Char('&'));
            QVERIFY2(inMenus.contains(action),
                     qPrintable(QStringLiteral("%1 (%2) is in no menu").arg(text, key.toString())));
            QVERIFY2(!owner.contains(key),
                     qPrintable(
                         QStringLiteral("%1 is both %2 and %3").arg(key.toString(), owner.value(key), text)));
            owner.insert(key, text);
        }
    }
    QVERIFY(owner.contains(QKeySequence::Copy));
    QVERIFY(owner.contains(QKeySequence(QKeySequence::Find)));
    QVERIFY(owner.contains(QKeySequence(Qt::CTRL | Qt::Key_3)));
}

void tst_Keyboard::ctrlCCopiesTheSelectedRows()
{
    auto window = m_fixture->open(demo());
    QVERIFY(window->firstRefreshDone());
    window->session()->refresher()->setPaused(true);
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    QTableView *view = window->tickerView();
    QAbstractItemModel *model = view->model();
    QVERIFY(model->rowCount() >= 3);
    view->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), view);
    view->selectRow(0);
    view->selectionModel()->select(model->index(2, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);

    const QStringList lines = QGuiApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4); // header, two rows, and the final line break
    QVERIFY(lines.last().isEmpty());
    const int columns = model->columnCount();
    QCOMPARE(lines[0].split(QLatin1Char('\t')).size(), columns);
    QCOMPARE(lines[0].split(QLatin1Char('\t')).first(), model->headerData(0, Qt::Horizontal).toString());
    for (int i = 0; i < 2; ++i) {
        const int row = i == 0 ? 0 : 2;
        const QStringList cells = lines[i + 1].split(QLatin1Char('\t'));
        QCOMPARE(cells.size(), columns);
        for (int c = 0; c < columns; ++c) {
            QString shown = model->index(row, c).data().toString();
            shown.remove(QChar(0x202F));
            if (shown == QStringLiteral("—"))
                shown.clear();
            QCOMPARE(cells[c], shown);
        }
    }
    // A price pastes as a number: no digit-group spaces.
    const int last = int(TickerModel::Column::Last);
    bool isNumber = false;
    lines[1].split(QLatin1Char('\t'))[last].toDouble(&isNumber);
    QVERIFY2(isNumber, qPrintable(lines[1]));

    // From the positions, floated out of the window: its own rows.
    auto *positionsDock = window->findChild<QDockWidget *>(QStringLiteral("positionsDock"));
    positionsDock->setFloating(true);
    QTableView *positions = window->positionView();
    QTRY_VERIFY(positions->isVisible() && positions->model()->rowCount() > 0);
    positions->activateWindow();
    positions->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), positions);
    positions->selectRow(0);
    QTest::keyClick(positions, Qt::Key_C, Qt::ControlModifier);
    const QString positionHeader = positions->model()->headerData(2, Qt::Horizontal).toString();
    QCOMPARE(
        QGuiApplication::clipboard()->text().split(QLatin1Char('\n')).first().split(QLatin1Char('\t')).at(2),
        positionHeader);
    positionsDock->setFloating(false);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));

    // In the filter field, Ctrl+C is the field's own copy.
    auto *filter = window->findChild<QLineEdit *>(QStringLiteral("tickerFilter"));
    filter->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), filter);
    filter->setText(QStringLiteral("BTC"));
    filter->selectAll();
    QTest::keyClick(filter, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("BTC"));
}

void tst_Keyboard::reuseShortcutsSwitchTheMode()
{
    auto window = m_fixture->open(demo());
    QVERIFY(window->firstRefreshDone());
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    const ReuseMode modes[] = {ReuseMode::NoReuse, ReuseMode::Interleaved, ReuseMode::Pooled};
    const Qt::Key keys[] = {Qt::Key_2, Qt::Key_3, Qt::Key_1};
    for (int i = 0; i < 3; ++i) {
        QTest::keyClick(window->tickerView(), keys[i], Qt::ControlModifier);
        QCOMPARE(window->session()->http()->reuseMode(), modes[i]);
        QCOMPARE(ReuseMode(window->reuseSwitch()->currentData().toInt()), modes[i]);
        QCOMPARE(m_fixture->settings()->reuseMode(), modes[i]);
    }
}

void tst_Keyboard::screenReaderReadsTheGain()
{
    SessionConfig config = demo();
    config.reuse = ReuseMode::Interleaved;
    auto window = m_fixture->open(config);
    QVERIFY(window->firstRefreshDone());
    GainPanel *panel = window->gainPanel();
    QTRY_VERIFY_WITH_TIMEOUT(panel->report().bothArms(), 20'000);
    window->session()->refresher()->setPaused(true);

    auto *p50 = panel->findChild<QLabel *>(QStringLiteral("pooledP50"));
    QCOMPARE(accessibleText(p50, QAccessible::Name), QStringLiteral("Pooled p50: ") + p50->text());
    auto *handshakes = panel->findChild<QLabel *>(QStringLiteral("handshakesAvoided"));
    QCOMPARE(accessibleText(handshakes, QAccessible::Name),
             QStringLiteral("Handshakes avoided: ") + handshakes->text());
    QCOMPARE(accessibleText(panel, QAccessible::Name), QStringLiteral("What reuse saves"));
    const QString gist = accessibleText(panel, QAccessible::Description);
    QVERIFY2(gist.startsWith(panel->headlineText()), qPrintable(gist));
    QVERIFY2(gist.contains(QStringLiteral("Handshakes avoided: ")), qPrintable(gist));
    for (QDockWidget *dock : window->findChildren<QDockWidget *>()) {
        QCOMPARE(accessibleText(dock, QAccessible::Name), dock->windowTitle());
        QCOMPARE(accessibleText(dock->widget(), QAccessible::Name), dock->windowTitle());
        QVERIFY(!accessibleText(dock->widget(), QAccessible::Description).isEmpty());
    }
}

void tst_Keyboard::chartPointsFromTheKeyboard()
{
    auto window = m_fixture->open(demo());
    QVERIFY(window->firstRefreshDone());
    window->session()->refresher()->setPaused(true);
    QTRY_COMPARE(window->session()->http()->inFlight(), 0);
    LatencyChart *chart = window->latencyChart();
    chart->updateNow();
    QVERIFY(chart->pointCount() >= 2);
    QWidget *view = chart->focusOrder().last();
    view->setFocus();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    QTRY_COMPARE(QApplication::focusWidget(), view);

    // A hovered point shows in the phase bar, and is said in its description.
    PhaseBar *bar = window->phaseBar();
    QXYSeries *series = nullptr;
    for (QXYSeries *s : chart->scatterSeries()) {
        if (s->count() >= 2 && s != chart->errorSeries())
            series = s;
    }
    QVERIFY(series);
    const std::optional<RequestSample> hovered = chart->sampleAt(series, series->at(0));
    QVERIFY(hovered);
    emit series->hovered(series->at(0), true);
    QCOMPARE(bar->sample().id, hovered->id);
    QVERIFY(accessibleText(bar, QAccessible::Description).startsWith(PhaseBar::titleFor(*hovered)));

    // The arrow keys go on from a clicked point (the oldest of its series, so not the newest of all).
    QSignalSpy picked(chart, &LatencyChart::sampleClicked);
    emit series->clicked(series->at(0));
    QCOMPARE(picked.count(), 1);
    // Every request shown, in the order the keys walk them: by start, then by id.
    QList<RequestSample> shown;
    for (QXYSeries *scatter : chart->scatterSeries()) {
        for (int i = 0; i < scatter->count(); ++i) {
            if (const std::optional<RequestSample> sample = chart->sampleAt(scatter, scatter->at(i)))
                shown << *sample;
        }
    }
    std::sort(shown.begin(), shown.end(), [](const RequestSample &a, const RequestSample &b) {
        return std::tie(a.startedAtMsSinceEpoch, a.id) < std::tie(b.startedAtMsSinceEpoch, b.id);
    });
    const qsizetype clicked = std::find_if(shown.cbegin(), shown.cend(),
                                           [&](const RequestSample &r) { return r.id == hovered->id; })
        - shown.cbegin();
    QVERIFY(clicked < shown.size());
    QTest::keyClick(view, Qt::Key_Left);
    QCOMPARE(picked.last().first().value<RequestSample>().id, shown[std::max<qsizetype>(0, clicked - 1)].id);
    picked.clear();

    QTest::keyClick(view, Qt::Key_End);
    QCOMPARE(picked.count(), 1);
    const RequestSample newest = picked.last().first().value<RequestSample>();
    QTest::keyClick(view, Qt::Key_Left);
    QCOMPARE(picked.count(), 2);
    const RequestSample before = picked.last().first().value<RequestSample>();
    QVERIFY(before.startedAtMsSinceEpoch <= newest.startedAtMsSinceEpoch);
    QVERIFY(before.id != newest.id);
    QTest::keyClick(view, Qt::Key_Home);
    const RequestSample oldest = picked.last().first().value<RequestSample>();
    QVERIFY(oldest.startedAtMsSinceEpoch <= before.startedAtMsSinceEpoch);
    QTest::keyClick(view, Qt::Key_Left); // stays on the oldest
    QCOMPARE(picked.last().first().value<RequestSample>().id, oldest.id);
    QVERIFY(chart->hoverText().contains(PhaseBar::phaseName(PhaseBar::Wait)));

    // The phase bar shows it, and says it to a screen reader.
    QCOMPARE(bar->sample().id, oldest.id);
    const QString said = accessibleText(bar, QAccessible::Description);
    QVERIFY2(said.startsWith(PhaseBar::titleFor(oldest)), qPrintable(said));
    QVERIFY2(said.contains(PhaseBar::phaseName(PhaseBar::Wait)), qPrintable(said));
}

QTEST_MAIN(tst_Keyboard)
#include "tst_keyboard.moc"
