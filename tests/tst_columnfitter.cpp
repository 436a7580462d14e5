#include "columnfitter.h"

#include <QHeaderView>
#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>

class tst_ColumnFitter : public QObject
{
    Q_OBJECT

private slots:
    void widensToTheContent();
    void firstFitIsExact();
    void neverNarrows();
    void leavesHandSizedColumnsAlone();
    void fitSoonIsAtOnceForNewRowsElseThrottled();
};

namespace {

struct Table
{
    QStandardItemModel model {0, 3};
    QTableView view;
    ColumnFitter *fitter;

    explicit Table(int initialWidth = 40)
    {
        view.setModel(&model);
        view.horizontalHeader()->setStretchLastSection(true);
        view.resize(800, 300);
        for (int c = 0; c < 3; ++c)
            view.setColumnWidth(c, initialWidth);
        fitter = new ColumnFitter(&view);
    }
    void set(int row, int column, const QString &text)
    {
        model.setItem(row, column, new QStandardItem(text));
    }
    int textWidth(const QString &text) const { return view.fontMetrics().horizontalAdvance(text); }
};

} // namespace

void tst_ColumnFitter::widensToTheContent()
{
    Table t;
    const QString price = QStringLiteral("97 688.123456789");
    t.set(0, 0, price);
    t.fitter->fit();
    QVERIFY(t.view.columnWidth(0) > t.textWidth(price));
    QCOMPARE(t.view.columnWidth(1),
             t.view.horizontalHeader()->sectionSizeHint(1)); // empty: the header's width
}

void tst_ColumnFitter::firstFitIsExact()
{
    Table t(300);
    t.fitter->fit(); // no rows yet: nothing to fit to
    QCOMPARE(t.view.columnWidth(0), 300);
    t.set(0, 0, QStringLiteral("BX"));
    t.fitter->fit();
    QVERIFY(t.view.columnWidth(0) < 300);
    QVERIFY(t.view.columnWidth(0) >= t.textWidth(QStringLiteral("BX")));
    QVERIFY(t.view.columnWidth(1) < 300); // the header's width, the column being empty
}

void tst_ColumnFitter::neverNarrows()
{
    Table t;
    t.set(0, 0, QStringLiteral("a rather long symbol name"));
    t.fitter->fit();
    const int wide = t.view.columnWidth(0);
    t.set(0, 0, QStringLiteral("x"));
    t.fitter->fit();
    QCOMPARE(t.view.columnWidth(0), wide); // no jitter when a value gets shorter
}

void tst_ColumnFitter::leavesHandSizedColumnsAlone()
{
    Table t;
    t.view.horizontalHeader()->resizeSection(0, 30); // as a drag on the header does
    QVERIFY(t.fitter->isUserSized(0));
    t.set(0, 0, QStringLiteral("a rather long symbol name"));
    t.set(0, 1, QStringLiteral("another long value here"));
    t.fitter->fit();
    QCOMPARE(t.view.columnWidth(0), 30);
    QVERIFY(t.view.columnWidth(1) > t.textWidth(QStringLiteral("another long value here")));
    QVERIFY(!t.fitter->isUserSized(1));
}

// Measuring lays out every visible cell's text: on every refresh that was most of an idle window's cost. New
// rows fit at once (the other exchange's longer symbols); a value that grows waits for the interval.
void tst_ColumnFitter::fitSoonIsAtOnceForNewRowsElseThrottled()
{
    Table t;
    t.fitter->setMinimumIntervalMs(60'000);
    t.set(0, 0, QStringLiteral("BTC"));
    t.fitter->fitSoon(); // the first data
    const int first = t.view.columnWidth(0);
    QVERIFY(first >= t.textWidth(QStringLiteral("BTC")));

    const QString longer = QStringLiteral("1000PEPEUSDT and then some");
    t.set(1, 0, longer); // a new row
    t.fitter->fitSoon();
    QVERIFY(t.view.columnWidth(0) >= t.textWidth(longer));

    const QString longest = longer + QStringLiteral(" and more still");
    t.set(1, 0, longest); // the same rows, a wider value: within the interval, not yet
    t.fitter->fitSoon();
    QVERIFY(t.view.columnWidth(0) < t.textWidth(longest));

    t.fitter->setMinimumIntervalMs(1); // the interval over: the pending fit comes by itself
    QTRY_VERIFY(t.view.columnWidth(0) >= t.textWidth(longest));
}

QTEST_MAIN(tst_ColumnFitter)
#include "tst_columnfitter.moc"
