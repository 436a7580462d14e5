#include "models/accountmodel.h"
#include "models/format.h"

#include <QAbstractItemModelTester>
#include <QMetaEnum>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

using Column = AccountModel::Column;

namespace {

Decimal dec(const char *text)
{
    Decimal d;
    d.text = QString::fromLatin1(text);
    bool ok = false;
    const double value = QByteArray(text).toDouble(&ok);
    if (ok && !d.text.isEmpty())
        d.value = value;
    return d;
}

AccountSummary account(Exchange exchange, const char *equity = "3000", const char *pnl = "-0.25")
{
    AccountSummary a;
    a.exchange = exchange;
    a.equity = dec(equity);
    a.available = dec("1234");
    a.unrealizedPnl = dec(pnl);
    a.marginUsed = dec("1765.75");
    return a;
}

QString grouped(QString text)
{
    return text.replace(u'\'', digitGroupSeparator());
}

QStringList ranges(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out.append(QStringLiteral("%1..%2").arg(args.at(1).toInt()).arg(args.at(2).toInt()));
    return out;
}

QStringList changes(const QSignalSpy &spy, const QAbstractItemModel &model)
{
    const QMetaEnum columns = QMetaEnum::fromType<Column>();
    const QHash<int, QByteArray> roleNames = model.roleNames();
    QStringList out;
    for (const QList<QVariant> &args : spy) {
        const auto topLeft = args.at(0).value<QModelIndex>();
        const auto bottomRight = args.at(1).value<QModelIndex>();
        QStringList roles;
        for (int role : args.at(2).value<QList<int>>())
            roles.append(QString::fromLatin1(roleNames.value(role, QByteArray::number(role))));
        out.append(QStringLiteral("row %1 %2..%3 %4")
                       .arg(topLeft.row())
                       .arg(QLatin1String(columns.valueToKey(topLeft.column())),
                            QLatin1String(columns.valueToKey(bottomRight.column())), roles.join(u',')));
    }
    return out;
}

} // namespace

class tst_AccountModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void oneRowPerExchangeThatReported();
    void updatesOnlyTheChangedCells();
    void clearRemovesTheRow();
    void display_data();
    void display();
    void rolesAndHeaders();

private:
    QString text(int row, Column column, int role = Qt::DisplayRole) const
    {
        return m_model->index(row, int(column)).data(role).toString();
    }

    std::unique_ptr<AccountModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_AccountModel::init()
{
    m_model = std::make_unique<AccountModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void tst_AccountModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_AccountModel::oneRowPerExchangeThatReported()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QVERIFY(!m_model->has(Exchange::Bitunix));
    QCOMPARE(m_model->account(Exchange::Hyperliquid).exchange, Exchange::Hyperliquid);
    QVERIFY(!m_model->account(Exchange::Hyperliquid).equity.isValid());

    m_model->setAccount(account(Exchange::Hyperliquid, "500"));
    m_model->setAccount(account(Exchange::Bitunix, "3000"));
    QCOMPARE(ranges(inserted), (QStringList {"0..0", "0..0"})); // Bitunix goes first
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(text(0, Column::Exchange), QStringLiteral("BX"));
    QCOMPARE(text(1, Column::Exchange), QStringLiteral("HL"));
    QVERIFY(m_model->has(Exchange::Bitunix));
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid), 1);
    QCOMPARE(m_model->account(Exchange::Hyperliquid).equity.text, QStringLiteral("500"));
    QCOMPARE(reset.size(), 0);
}

void tst_AccountModel::updatesOnlyTheChangedCells()
{
    m_model->setAccount(account(Exchange::Bitunix));
    m_model->setAccount(account(Exchange::Hyperliquid));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);

    m_model->setAccount(account(Exchange::Hyperliquid, "3010", "9.75"));
    QCOMPARE(changes(changed, *m_model),
             (QStringList {"row 1 Equity..Equity display,sort,toolTip",
                           "row 1 UnrealizedPnl..UnrealizedPnl display,sort,toolTip,pnlSign"}));
    changed.clear();
    m_model->setAccount(account(Exchange::Hyperliquid, "3010", "9.75"));
    QCOMPARE(changes(changed, *m_model), QStringList());
    QCOMPARE(inserted.size() + removed.size(), 0);
}

void tst_AccountModel::clearRemovesTheRow()
{
    m_model->setAccount(account(Exchange::Bitunix));
    m_model->setAccount(account(Exchange::Hyperliquid));
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    m_model->clear(Exchange::Bitunix);
    QCOMPARE(ranges(removed), QStringList {"0..0"});
    QVERIFY(!m_model->has(Exchange::Bitunix));
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid), 0);
    m_model->clear(Exchange::Bitunix); // nothing left to clear
    QCOMPARE(removed.size(), 1);
    m_model->setAccount(account(Exchange::Bitunix));
    QCOMPARE(m_model->rowOf(Exchange::Bitunix), 0);
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid), 1);
}

void tst_AccountModel::display_data()
{
    QTest::addColumn<AccountSummary>("summary");
    QTest::addColumn<Column>("column");
    QTest::addColumn<QString>("expected");

    const AccountSummary a = account(Exchange::Bitunix);
    QTest::newRow("exchange") << a << Column::Exchange << "BX";
    QTest::newRow("equity") << a << Column::Equity << "3'000.00";
    QTest::newRow("available") << a << Column::Available << "1'234.00";
    QTest::newRow("upnl negative") << a << Column::UnrealizedPnl << "-0.25";
    QTest::newRow("upnl positive") << account(Exchange::Bitunix, "1", "75") << Column::UnrealizedPnl
                                   << "+75.00";
    QTest::newRow("margin used") << a << Column::MarginUsed << "1'765.75";
    QTest::newRow("huge equity") << account(Exchange::Bitunix, "123456789.129") << Column::Equity
                                 << "123'456'789.13";
    QTest::newRow("absent") << account(Exchange::Bitunix, "") << Column::Equity << "—";
}

void tst_AccountModel::display()
{
    QFETCH(AccountSummary, summary);
    QFETCH(Column, column);
    QFETCH(QString, expected);
    m_model->setAccount(summary);
    QCOMPARE(text(0, column), grouped(expected));
}

void tst_AccountModel::rolesAndHeaders()
{
    m_model->setAccount(account(Exchange::Hyperliquid, "", "-0.25"));
    QCOMPARE(text(0, Column::Exchange, AccountModel::SortRole), QStringLiteral("HL"));
    QCOMPARE(text(0, Column::Exchange, Qt::ToolTipRole), QStringLiteral("hyperliquid"));
    const QVariant equity = m_model->index(0, int(Column::Equity)).data(AccountModel::SortRole);
    QCOMPARE(equity.metaType(), QMetaType::fromType<double>());
    QVERIFY(std::isnan(equity.toDouble()));
    QCOMPARE(m_model->index(0, int(Column::MarginUsed)).data(AccountModel::SortRole).toDouble(), 1765.75);
    QCOMPARE(text(0, Column::MarginUsed, Qt::ToolTipRole), QStringLiteral("1765.75"));
    QCOMPARE(m_model->index(0, int(Column::UnrealizedPnl)).data(AccountModel::PnlSignRole), QVariant(-1));
    QVERIFY(!m_model->index(0, int(Column::Equity)).data(AccountModel::PnlSignRole).isValid());
    QCOMPARE(m_model->index(0, int(Column::Equity)).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    QVERIFY(!m_model->index(0, int(Column::Equity)).data(Qt::ForegroundRole).isValid());

    QCOMPARE(m_model->columnCount(), 5);
    const QStringList expected = {"Exchange", "Equity", "Available", "Unrealized PnL", "Margin used"};
    for (int column = 0; column < m_model->columnCount(); ++column)
        QCOMPARE(m_model->headerData(column, Qt::Horizontal).toString(), expected.at(column));
}

QTEST_GUILESS_MAIN(tst_AccountModel)
#include "tst_accountmodel.moc"
