#include "models/format.h"
#include "models/tabletext.h"

#include <QStandardItemModel>
#include <QTest>

// Rows as a spreadsheet pastes them: the header, tab-separated cells, numbers without digit-group spaces.
class tst_TableText : public QObject
{
    Q_OBJECT

private slots:
    void headerThenRowsInTheOrderGiven();
    void numbersPasteAsNumbers();
    void separatorsInsideACellCannotShiftTheOthers();
    void noRowsIsTheHeaderAlone();

private:
    static QStandardItemModel *model(QObject *parent);
};

QStandardItemModel *tst_TableText::model(QObject *parent)
{
    auto *m = new QStandardItemModel(3, 3, parent);
    m->setHorizontalHeaderLabels(
        {QStringLiteral("Symbol"), QStringLiteral("Last"), QStringLiteral("Change")});
    const QString rows[3][3] = {
        {QStringLiteral("BTCUSDT"), formatPrice(Decimal {QStringLiteral("97010.5"), 97010.5}),
         QStringLiteral("+1.14 %")},
        {QStringLiteral("ETH"), formatPrice(Decimal {QStringLiteral("3611.7"), 3611.7}), absentText()},
        {QStringLiteral("kPEPE"), formatPrice(Decimal {QStringLiteral("0.023101"), 0.023101}),
         QStringLiteral("-1.55 %")},
    };
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c)
            m->setItem(r, c, new QStandardItem(rows[r][c]));
    }
    return m;
}

void tst_TableText::headerThenRowsInTheOrderGiven()
{
    QStandardItemModel *m = model(this);
    QCOMPARE(tabSeparatedRows(*m, {2, 0}, {0, 1, 2}),
             QStringLiteral("Symbol\tLast\tChange\nkPEPE\t0.023101\t-1.55 %\nBTCUSDT\t97010.5\t+1.14 %\n"));
    // The columns as the view shows them: moved and hidden ones as given.
    QCOMPARE(tabSeparatedRows(*m, {0}, {1, 0}), QStringLiteral("Last\tSymbol\n97010.5\tBTCUSDT\n"));
}

void tst_TableText::numbersPasteAsNumbers()
{
    QStandardItemModel *m = model(this);
    QVERIFY(m->index(0, 1).data().toString().contains(digitGroupSeparator())); // shown grouped
    const QStringList lines = tabSeparatedRows(*m, {0, 1}, {1, 2}).split(QLatin1Char('\n'));
    bool ok = false;
    QCOMPARE(lines[1].split(QLatin1Char('\t'))[0].toDouble(&ok), 97010.5);
    QVERIFY(ok);
    QCOMPARE(lines[2], QStringLiteral("3611.7\t")); // the absent mark is an empty cell
}

void tst_TableText::separatorsInsideACellCannotShiftTheOthers()
{
    QStandardItemModel *m = model(this);
    m->setItem(0, 0, new QStandardItem(QStringLiteral("two\tcells\nand a line")));
    QCOMPARE(tabSeparatedRows(*m, {0}, {0, 1}),
             QStringLiteral("Symbol\tLast\ntwo cells and a line\t97010.5\n"));
}

void tst_TableText::noRowsIsTheHeaderAlone()
{
    QStandardItemModel *m = model(this);
    QCOMPARE(tabSeparatedRows(*m, {}, {0, 1, 2}), QStringLiteral("Symbol\tLast\tChange\n"));
}

QTEST_GUILESS_MAIN(tst_TableText)
#include "tst_tabletext.moc"
