#include "models/format.h"
#include "models/positionmodel.h"
#include "models/sortproxymodel.h"

#include <QAbstractItemModelTester>
#include <QMetaEnum>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

using Column = PositionModel::Column;
using Side = Position::Side;

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

// A long of 1.5 ETH at 2500, marked at 2450, 10x cross.
Position position(Exchange exchange, const QString &symbol, Side side = Side::Long)
{
    Position p;
    p.exchange = exchange;
    p.symbol = symbol;
    p.side = side;
    p.size = dec("1.5");
    p.entryPrice = dec("2500");
    p.markPrice = dec("2450");
    p.positionValue = dec("3675");
    p.unrealizedPnl = dec("-75");
    p.returnOnEquity = dec("-0.2");
    p.liquidationPrice = dec("1234.5");
    p.margin = dec("375");
    p.leverage = 10;
    return p;
}

QString grouped(QString text)
{
    return text.replace(u'\'', digitGroupSeparator());
}

struct Spies
{
    explicit Spies(QAbstractItemModel *model)
        : model(model)
        , inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , changed(model, &QAbstractItemModel::dataChanged)
        , reset(model, &QAbstractItemModel::modelReset)
        , layout(model, &QAbstractItemModel::layoutChanged)
    { }

    static QStringList ranges(const QSignalSpy &spy)
    {
        QStringList out;
        for (const QList<QVariant> &args : spy)
            out.append(QStringLiteral("%1..%2").arg(args.at(1).toInt()).arg(args.at(2).toInt()));
        return out;
    }
    QStringList insertedRanges() const { return ranges(inserted); }
    QStringList removedRanges() const { return ranges(removed); }
    QStringList changes() const
    {
        const QMetaEnum columns = QMetaEnum::fromType<Column>();
        const QHash<int, QByteArray> roleNames = model->roleNames();
        QStringList out;
        for (const QList<QVariant> &args : changed) {
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
    void clear()
    {
        inserted.clear();
        removed.clear();
        changed.clear();
        reset.clear();
        layout.clear();
    }

    QAbstractItemModel *model;
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy changed;
    QSignalSpy reset;
    QSignalSpy layout;
};

} // namespace

class tst_PositionModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void keyedByExchangeSymbolAndSide();
    void updatesOnlyTheChangedCells();
    void sideFlipIsARemovalAndAnInsertion();
    void removesAndInsertsAcrossExchanges();
    void display_data();
    void display();
    void pnlSign_data();
    void pnlSign();
    void sortRole();
    void toolTips();
    void headers();

private:
    QString text(int row, Column column, int role = Qt::DisplayRole) const
    {
        return m_model->index(row, int(column)).data(role).toString();
    }
    QVariant value(int row, Column column, int role) const
    {
        return m_model->index(row, int(column)).data(role);
    }

    std::unique_ptr<PositionModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void tst_PositionModel::init()
{
    m_model = std::make_unique<PositionModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void tst_PositionModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_PositionModel::keyedByExchangeSymbolAndSide()
{
    Spies spies(m_model.get());
    m_model->setPositions(Exchange::Hyperliquid, {position(Exchange::Hyperliquid, "ETH", Side::Short)});
    m_model->setPositions(Exchange::Bitunix,
                          {position(Exchange::Bitunix, "BTCUSDT", Side::Long),
                           position(Exchange::Bitunix, "BTCUSDT", Side::Short)});
    QCOMPARE(spies.insertedRanges(), (QStringList {"0..0", "0..1"}));
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->rowOf(Exchange::Bitunix, "BTCUSDT", Side::Long), 0);
    QCOMPARE(m_model->rowOf(Exchange::Bitunix, "BTCUSDT", Side::Short), 1);
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, "ETH", Side::Short), 2);
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, "ETH", Side::Long), -1);
    QCOMPARE(text(1, Column::Side), QStringLiteral("short"));
    QCOMPARE(m_model->position(2).symbol, QStringLiteral("ETH"));
    QCOMPARE(m_model->position(3).symbol, QString());
    QCOMPARE(spies.reset.size(), 0);
}

void tst_PositionModel::updatesOnlyTheChangedCells()
{
    Position long1 = position(Exchange::Bitunix, "ETHUSDT");
    const Position other = position(Exchange::Bitunix, "BTCUSDT");
    m_model->setPositions(Exchange::Bitunix, {long1, other});
    Spies spies(m_model.get());

    long1.markPrice = dec("2550");
    long1.unrealizedPnl = dec("75");
    long1.returnOnEquity = dec("0.2");
    m_model->setPositions(Exchange::Bitunix, {long1, other});
    QCOMPARE(spies.changes(), QStringList {"row 0 Mark..Roe display,sort,toolTip,pnlSign"});

    spies.clear();
    long1.liquidationPrice = {};
    m_model->setPositions(Exchange::Bitunix, {long1, other});
    QCOMPARE(spies.changes(), QStringList {"row 0 LiquidationPrice..LiquidationPrice display,sort,toolTip"});

    spies.clear();
    long1.leverage = 5;
    long1.isolated = true;
    long1.margin = dec("765");
    m_model->setPositions(Exchange::Bitunix, {long1, other});
    QCOMPARE(
        spies.changes(),
        (QStringList {"row 0 Leverage..Leverage display,sort", "row 0 Margin..Margin display,sort,toolTip"}));

    spies.clear();
    m_model->setPositions(Exchange::Bitunix, {long1, other});
    QCOMPARE(spies.changes(), QStringList());
    QCOMPARE(spies.inserted.size() + spies.removed.size() + spies.reset.size() + spies.layout.size(), 0);
}

void tst_PositionModel::sideFlipIsARemovalAndAnInsertion()
{
    m_model->setPositions(Exchange::Bitunix, {position(Exchange::Bitunix, "ETHUSDT", Side::Long)});
    m_model->setPositions(Exchange::Hyperliquid, {position(Exchange::Hyperliquid, "ETH", Side::Long)});
    Spies spies(m_model.get());
    m_model->setPositions(Exchange::Bitunix, {position(Exchange::Bitunix, "ETHUSDT", Side::Short)});
    QCOMPARE(spies.removedRanges(), QStringList {"0..0"});
    QCOMPARE(spies.insertedRanges(), QStringList {"0..0"});
    QCOMPARE(spies.changes(), QStringList());
    QCOMPARE(text(0, Column::Side), QStringLiteral("short"));
    QCOMPARE(text(1, Column::Exchange), QStringLiteral("HL"));
    QCOMPARE(spies.reset.size(), 0);
}

void tst_PositionModel::removesAndInsertsAcrossExchanges()
{
    m_model->setPositions(Exchange::Bitunix,
                          {position(Exchange::Bitunix, "A"), position(Exchange::Bitunix, "B"),
                           position(Exchange::Bitunix, "C")});
    m_model->setPositions(Exchange::Hyperliquid, {position(Exchange::Hyperliquid, "X")});
    Spies spies(m_model.get());

    m_model->setPositions(Exchange::Bitunix, {position(Exchange::Bitunix, "B")});
    QCOMPARE(spies.removedRanges(), (QStringList {"2..2", "0..0"}));
    m_model->setPositions(Exchange::Hyperliquid,
                          {position(Exchange::Hyperliquid, "X"), position(Exchange::Hyperliquid, "Y")});
    QCOMPARE(spies.insertedRanges(), QStringList {"2..2"});
    m_model->setPositions(Exchange::Bitunix, {});
    QCOMPARE(spies.removedRanges(), (QStringList {"2..2", "0..0", "0..0"}));
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, "Y", Side::Long), 1);
    QCOMPARE(spies.changes(), QStringList());
    QCOMPARE(spies.reset.size(), 0);
}

void tst_PositionModel::display_data()
{
    QTest::addColumn<Position>("position");
    QTest::addColumn<Column>("column");
    QTest::addColumn<QString>("expected");

    const Position p = position(Exchange::Hyperliquid, "ETH");
    QTest::newRow("exchange") << p << Column::Exchange << "HL";
    QTest::newRow("symbol") << p << Column::Symbol << "ETH";
    QTest::newRow("side long") << p << Column::Side << "long";
    QTest::newRow("side short") << position(Exchange::Hyperliquid, "ETH", Side::Short) << Column::Side
                                << "short";
    QTest::newRow("size as received") << p << Column::Size << "1.5";
    QTest::newRow("entry") << p << Column::Entry << "2'500";
    QTest::newRow("mark") << p << Column::Mark << "2'450";
    QTest::newRow("upnl negative") << p << Column::UnrealizedPnl << "-75.00";
    QTest::newRow("roe negative") << p << Column::Roe << "-20.00 %";
    QTest::newRow("leverage cross") << p << Column::Leverage << "10× cross";
    QTest::newRow("liquidation price") << p << Column::LiquidationPrice << "1'234.5";
    QTest::newRow("margin") << p << Column::Margin << "375.00";
    Position won = p;
    won.unrealizedPnl = dec("75.005");
    won.returnOnEquity = dec("0.2");
    won.leverage = 5;
    won.isolated = true;
    won.liquidationPrice = {};
    won.entryPrice = dec("0.00002311");
    QTest::newRow("upnl positive") << won << Column::UnrealizedPnl << "+75.01";
    QTest::newRow("roe positive") << won << Column::Roe << "+20.00 %";
    QTest::newRow("leverage isolated") << won << Column::Leverage << "5× isolated";
    QTest::newRow("no liquidation price") << won << Column::LiquidationPrice << "—";
    QTest::newRow("tiny entry") << won << Column::Entry << "0.00002311";
    Position absent = p;
    absent.markPrice = {};
    absent.unrealizedPnl = {};
    absent.returnOnEquity = {};
    absent.margin = {};
    QTest::newRow("mark absent") << absent << Column::Mark << "—";
    QTest::newRow("upnl absent") << absent << Column::UnrealizedPnl << "—";
    QTest::newRow("roe absent") << absent << Column::Roe << "—";
    QTest::newRow("margin absent") << absent << Column::Margin << "—";
}

void tst_PositionModel::display()
{
    QFETCH(Position, position);
    QFETCH(Column, column);
    QFETCH(QString, expected);
    m_model->setPositions(position.exchange, {position});
    QCOMPARE(text(0, column), grouped(expected));
}

void tst_PositionModel::pnlSign_data()
{
    QTest::addColumn<QString>("pnl");
    QTest::addColumn<QString>("roe");
    QTest::addColumn<int>("pnlSign");
    QTest::addColumn<int>("roeSign");

    QTest::newRow("winning") << "75"
                             << "0.2" << 1 << 1;
    QTest::newRow("losing") << "-75"
                            << "-0.2" << -1 << -1;
    QTest::newRow("flat") << "0"
                          << "0" << 0 << 0;
    QTest::newRow("rounds to zero as shown") << "-0.004"
                                             << "-0.00004" << 0 << 0;
    QTest::newRow("absent") << ""
                            << "" << 0 << 0;
}

void tst_PositionModel::pnlSign()
{
    QFETCH(QString, pnl);
    QFETCH(QString, roe);
    QFETCH(int, pnlSign);
    QFETCH(int, roeSign);
    Position p = position(Exchange::Bitunix, "X");
    p.unrealizedPnl = dec(pnl.toLatin1().constData());
    p.returnOnEquity = dec(roe.toLatin1().constData());
    m_model->setPositions(Exchange::Bitunix, {p});
    QCOMPARE(value(0, Column::UnrealizedPnl, PositionModel::PnlSignRole), QVariant(pnlSign));
    QCOMPARE(value(0, Column::Roe, PositionModel::PnlSignRole), QVariant(roeSign));
    QVERIFY(!value(0, Column::Margin, PositionModel::PnlSignRole).isValid());
}

void tst_PositionModel::sortRole()
{
    Position a = position(Exchange::Bitunix, "A");
    a.liquidationPrice = {};
    Position b = position(Exchange::Bitunix, "B", Side::Short);
    b.liquidationPrice = dec("3000");
    b.leverage = 3;
    Position c = position(Exchange::Bitunix, "C");
    c.liquidationPrice = dec("900");
    m_model->setPositions(Exchange::Bitunix, {a, b, c});

    QVERIFY(std::isnan(value(0, Column::LiquidationPrice, PositionModel::SortRole).toDouble()));
    QCOMPARE(value(0, Column::LiquidationPrice, PositionModel::SortRole).metaType(),
             QMetaType::fromType<double>());
    QCOMPARE(value(1, Column::Leverage, PositionModel::SortRole), QVariant(3));
    QCOMPARE(value(1, Column::Side, PositionModel::SortRole), QVariant(QStringLiteral("short")));
    QCOMPARE(value(0, Column::Size, PositionModel::SortRole).toDouble(), 1.5);
    QCOMPARE(value(0, Column::Roe, PositionModel::SortRole).toDouble(), -0.2);

    SortProxyModel proxy;
    proxy.setSourceModel(m_model.get());
    const auto order = [&](Qt::SortOrder sortOrder) {
        proxy.sort(int(Column::LiquidationPrice), sortOrder);
        QStringList out;
        for (int row = 0; row < proxy.rowCount(); ++row)
            out.append(proxy.index(row, int(Column::Symbol)).data().toString());
        return out;
    };
    QCOMPARE(order(Qt::AscendingOrder), (QStringList {"C", "B", "A"}));
    QCOMPARE(order(Qt::DescendingOrder), (QStringList {"B", "C", "A"}));
}

void tst_PositionModel::toolTips()
{
    Position p = position(Exchange::Bitunix, "ETHUSDT");
    p.positionId = "12345";
    p.unrealizedPnl = dec("-75.0012");
    m_model->setPositions(Exchange::Bitunix, {p});
    QCOMPARE(text(0, Column::Exchange, Qt::ToolTipRole), QStringLiteral("bitunix"));
    QCOMPARE(text(0, Column::Symbol, Qt::ToolTipRole), QStringLiteral("position id 12345"));
    QCOMPARE(text(0, Column::Size, Qt::ToolTipRole), QStringLiteral("size: 1.5\nvalue: 3675"));
    QCOMPARE(text(0, Column::UnrealizedPnl, Qt::ToolTipRole), QStringLiteral("-75.0012"));
    QCOMPARE(text(0, Column::Roe, Qt::ToolTipRole), QStringLiteral("fraction: -0.2"));
    QCOMPARE(text(0, Column::LiquidationPrice, Qt::ToolTipRole), QStringLiteral("1234.5"));
    QCOMPARE(text(0, Column::Margin, Qt::ToolTipRole), QStringLiteral("375"));
    p.liquidationPrice = {};
    p.positionId.clear();
    m_model->setPositions(Exchange::Bitunix, {p});
    QCOMPARE(text(0, Column::LiquidationPrice, Qt::ToolTipRole), QStringLiteral("no liquidation price"));
    QVERIFY(!value(0, Column::Symbol, Qt::ToolTipRole).isValid());
}

void tst_PositionModel::headers()
{
    QCOMPARE(m_model->columnCount(), 11);
    const QStringList expected = {"Exchange",       "Symbol", "Side",     "Size",       "Entry", "Mark",
                                  "uPnL", "ROE",    "Leverage", "Liq. price", "Margin"};
    for (int column = 0; column < m_model->columnCount(); ++column)
        QCOMPARE(m_model->headerData(column, Qt::Horizontal).toString(), expected.at(column));
    QCOMPARE(m_model->headerData(int(Column::Size), Qt::Horizontal, Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
    QCOMPARE(m_model->roleNames().value(PositionModel::PnlSignRole), QByteArray("pnlSign"));
}

QTEST_GUILESS_MAIN(tst_PositionModel)
#include "tst_positionmodel.moc"
