#include "models/format.h"
#include "models/sortproxymodel.h"
#include "models/tickermodel.h"

#include <QAbstractItemModelTester>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

using Column = TickerModel::Column;

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

Ticker tick(Exchange exchange, const QString &symbol, const char *last, const char *open = "100")
{
    Ticker t;
    t.exchange = exchange;
    t.symbol = symbol;
    t.last = dec(last);
    t.mark = dec(last);
    t.open24h = dec(open);
    t.volumeQuote = dec("1000000");
    return t;
}

QString grouped(QString text)
{
    return text.replace(u'\'', digitGroupSeparator());
}

// Every structural signal of a model, as readable text so that a failing QCOMPARE shows what happened.
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
    // "row 0 Last..Last display,sort"
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
            QString text =
                QStringLiteral("row %1 %2..%3 %4")
                    .arg(topLeft.row())
                    .arg(QLatin1String(columns.valueToKey(topLeft.column())),
                         QLatin1String(columns.valueToKey(bottomRight.column())), roles.join(u','));
            if (bottomRight.row() != topLeft.row())
                text += QStringLiteral(" to row %1").arg(bottomRight.row());
            out.append(text);
        }
        return out;
    }
    int structural() const { return inserted.size() + removed.size() + reset.size() + layout.size(); }
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

class tst_TickerModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void insertsGroupedByExchange();
    void hyperliquidPricesShowFiveFigures_data();
    void hyperliquidPricesShowFiveFigures();
    void updatesOnlyTheChangedCells();
    void staleMarksOneExchangesRows();
    void removesVanishedRowsInRuns();
    void insertsUpdatesAndRemovesInOneUpdate();
    void exchangeArgumentWinsAndLastDuplicateWins();
    void display_data();
    void display();
    void changeSign_data();
    void changeSign();
    void toolTipsAreRawTexts();
    void bitunixFundingAndOpenInterestToolTips();
    void delistedShownOnlyWhileHeld();
    void shortcutsAgreeWithFormatting();
    void alignment();
    void sortRoleWithNaN();
    void sortProxyPutsAbsentLast();
    void priceMoves();
    void priceMovedAgainReportsOnlyTheTime();
    void headers();
    void accessors();

private:
    QString text(int row, Column column, int role = Qt::DisplayRole) const
    {
        return m_model->index(row, int(column)).data(role).toString();
    }
    QVariant value(int row, Column column, int role) const
    {
        return m_model->index(row, int(column)).data(role);
    }
    QStringList symbols() const
    {
        QStringList out;
        for (int row = 0; row < m_model->rowCount(); ++row)
            out.append(shortNameOf(m_model->ticker(row).exchange) + u':' + m_model->ticker(row).symbol);
        return out;
    }

    std::unique_ptr<TickerModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    qint64 m_now = 0;
};

void tst_TickerModel::init()
{
    m_model = std::make_unique<TickerModel>();
    m_now = 1'700'000'000'000;
    m_model->setClock([this] { return m_now; });
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::Fatal);
}

void tst_TickerModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_TickerModel::insertsGroupedByExchange()
{
    Spies spies(m_model.get());
    m_model->setTickers(
        Exchange::Hyperliquid,
        {tick(Exchange::Hyperliquid, "BTC", "97000"), tick(Exchange::Hyperliquid, "ETH", "2500")});
    QCOMPARE(spies.insertedRanges(), QStringList {"0..1"});

    m_model->setTickers(
        Exchange::Bitunix,
        {tick(Exchange::Bitunix, "BTCUSDT", "97010"), tick(Exchange::Bitunix, "ETHUSDT", "2501")});
    QCOMPARE(spies.insertedRanges(), (QStringList {"0..1", "0..1"})); // Bitunix goes first
    QCOMPARE(symbols(), (QStringList {"BX:BTCUSDT", "BX:ETHUSDT", "HL:BTC", "HL:ETH"}));
    QCOMPARE(text(0, Column::Exchange), QStringLiteral("BX"));
    QCOMPARE(text(2, Column::Exchange), QStringLiteral("HL"));
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, "BTC"), 2);
    QCOMPARE(m_model->rowOf(Exchange::Bitunix, "BTC"), -1);

    spies.clear();
    m_model->setTickers(Exchange::Hyperliquid,
                        {tick(Exchange::Hyperliquid, "BTC", "97000"),
                         tick(Exchange::Hyperliquid, "ETH", "2500"),
                         tick(Exchange::Hyperliquid, "SOL", "150")});
    m_model->setTickers(Exchange::Bitunix,
                        {tick(Exchange::Bitunix, "BTCUSDT", "97010"),
                         tick(Exchange::Bitunix, "ETHUSDT", "2501"),
                         tick(Exchange::Bitunix, "XRPUSDT", "2.5")});
    QCOMPARE(spies.insertedRanges(), (QStringList {"4..4", "2..2"})); // each at the end of its group
    QCOMPARE(symbols(),
             (QStringList {"BX:BTCUSDT", "BX:ETHUSDT", "BX:XRPUSDT", "HL:BTC", "HL:ETH", "HL:SOL"}));
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, "SOL"), 5);
    QCOMPARE(spies.changes(), QStringList()); // nothing changed in the rows that were there
    QCOMPARE(spies.removed.size(), 0);
    QCOMPARE(spies.reset.size(), 0);
    QCOMPARE(spies.layout.size(), 0);
}

void tst_TickerModel::staleMarksOneExchangesRows()
{
    m_model->setTickers(
        Exchange::Bitunix,
        {tick(Exchange::Bitunix, "BTCUSDT", "100"), tick(Exchange::Bitunix, "ETHUSDT", "2500")});
    m_model->setTickers(Exchange::Hyperliquid, {tick(Exchange::Hyperliquid, "BTC", "100")});
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    auto stale = [this](int row) {
        return m_model->index(row, int(Column::Last)).data(KeyedTableModelDetail::StaleRole).toBool();
    };
    QVERIFY(!stale(0) && !stale(2));

    m_model->setStale(Exchange::Bitunix, true);
    QVERIFY(m_model->isStale(Exchange::Bitunix));
    QVERIFY(stale(0) && stale(1));
    QVERIFY(!stale(2));
    QCOMPARE(changed.size(), 1); // the whole group, every column, that role only
    QCOMPARE(changed.at(0).at(0).toModelIndex(), m_model->index(0, 0));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), m_model->index(1, TickerModel::ColumnCount - 1));
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int> {KeyedTableModelDetail::StaleRole});

    m_model->setStale(Exchange::Bitunix, true); // no change, no signal
    QCOMPARE(changed.size(), 1);
    // New data does not clear the mark: the refresher's status does.
    m_model->setTickers(Exchange::Bitunix, {tick(Exchange::Bitunix, "BTCUSDT", "101")});
    QVERIFY(stale(0));
    m_model->setStale(Exchange::Bitunix, false);
    QVERIFY(!stale(0));
    m_model->setStale(Exchange::Hyperliquid, true);
    QVERIFY(stale(1) && !stale(0));
}

void tst_TickerModel::updatesOnlyTheChangedCells()
{
    Ticker btc = tick(Exchange::Bitunix, "BTCUSDT", "100");
    const Ticker eth = tick(Exchange::Bitunix, "ETHUSDT", "2500");
    const Ticker hl = tick(Exchange::Hyperliquid, "BTC", "100");
    m_model->setTickers(Exchange::Bitunix, {btc, eth});
    m_model->setTickers(Exchange::Hyperliquid, {hl});
    Spies spies(m_model.get());

    btc.last = dec("101"); // mark stays at 100
    m_model->setTickers(Exchange::Bitunix, {btc, eth});
    QCOMPARE(spies.changes(),
             (QStringList {"row 0 Last..Last display,sort,toolTip,priceMove,priceMovedAt",
                           "row 0 Change24h..Change24h display,sort,toolTip,changeSign"}));

    spies.clear();
    m_model->setTickers(Exchange::Bitunix, {btc, eth}); // same price: the move is over, nothing else
    QCOMPARE(spies.changes(), QStringList {"row 0 Last..Last priceMove"});

    spies.clear();
    m_model->setTickers(Exchange::Bitunix, {btc, eth});
    QCOMPARE(spies.changes(), QStringList());

    spies.clear();
    btc.volumeQuote = dec("2000000");
    btc.funding = dec("0.0000125");
    m_model->setTickers(Exchange::Bitunix, {btc, eth}); // adjacent cells: one signal
    QCOMPARE(spies.changes(), QStringList {"row 0 Volume..Funding display,sort,toolTip"});

    spies.clear();
    btc.last = dec("101.0"); // the same value written differently: shown differently, sorts the same
    m_model->setTickers(Exchange::Bitunix, {btc, eth});
    QCOMPARE(spies.changes(),
             (QStringList {"row 0 Last..Last display,toolTip",
                           "row 0 Change24h..Change24h toolTip"})); // its tooltip quotes last

    spies.clear();
    Ticker ethMoved = eth;
    ethMoved.mark = dec("2600");
    m_model->setTickers(Exchange::Bitunix, {btc, ethMoved}); // mark drives the open interest in USD too
    ethMoved.openInterest = dec("10");
    m_model->setTickers(Exchange::Bitunix, {btc, ethMoved});
    QCOMPARE(spies.changes(),
             (QStringList {"row 1 Mark..Mark display,sort,toolTip",
                           "row 1 OpenInterest..OpenInterest display,sort,toolTip"}));
    QCOMPARE(spies.structural(), 0);
    QCOMPARE(text(2, Column::Last), QStringLiteral("100")); // the other exchange untouched
}

void tst_TickerModel::removesVanishedRowsInRuns()
{
    QList<Ticker> all;
    for (const char *symbol : {"A", "B", "C", "D", "E"})
        all.append(tick(Exchange::Bitunix, symbol, "1"));
    m_model->setTickers(Exchange::Bitunix, all);
    m_model->setTickers(Exchange::Hyperliquid, {tick(Exchange::Hyperliquid, "X", "1")});
    Spies spies(m_model.get());

    m_model->setTickers(Exchange::Bitunix, {all.at(1), all.at(3)});
    QCOMPARE(spies.removedRanges(), (QStringList {"4..4", "2..2", "0..0"}));
    QCOMPARE(symbols(), (QStringList {"BX:B", "BX:D", "HL:X"}));
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, "X"), 2);
    QCOMPARE(m_model->rowOf(Exchange::Bitunix, "A"), -1);
    QCOMPARE(m_model->rowOf(Exchange::Bitunix, "D"), 1);

    spies.clear();
    m_model->setTickers(Exchange::Bitunix, {});
    QCOMPARE(spies.removedRanges(), QStringList {"0..1"});
    m_model->setTickers(Exchange::Hyperliquid, {});
    QCOMPARE(spies.removedRanges(), (QStringList {"0..1", "0..0"}));
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(spies.inserted.size(), 0);
    QCOMPARE(spies.changed.size(), 0);
    QCOMPARE(spies.reset.size(), 0);
}

void tst_TickerModel::insertsUpdatesAndRemovesInOneUpdate()
{
    m_model->setTickers(Exchange::Bitunix,
                        {tick(Exchange::Bitunix, "A", "1"), tick(Exchange::Bitunix, "B", "2"),
                         tick(Exchange::Bitunix, "C", "3")});
    m_model->setTickers(Exchange::Hyperliquid,
                        {tick(Exchange::Hyperliquid, "X", "1"), tick(Exchange::Hyperliquid, "Y", "2")});
    Spies spies(m_model.get());

    Ticker c = tick(Exchange::Bitunix, "C", "3");
    c.mark = dec("3.5");
    m_model->setTickers(Exchange::Bitunix,
                        {c, tick(Exchange::Bitunix, "D", "4"), tick(Exchange::Bitunix, "B", "2")});
    QCOMPARE(spies.removedRanges(), QStringList {"0..0"});
    QCOMPARE(spies.changes(), (QStringList {"row 1 Mark..Mark display,sort,toolTip"}));
    QCOMPARE(spies.insertedRanges(), QStringList {"2..2"});
    QCOMPARE(symbols(), (QStringList {"BX:B", "BX:C", "BX:D", "HL:X", "HL:Y"}));
    QCOMPARE(text(1, Column::Mark), QStringLiteral("3.5"));
    QCOMPARE(spies.reset.size(), 0);
    QCOMPARE(spies.layout.size(), 0);
}

void tst_TickerModel::exchangeArgumentWinsAndLastDuplicateWins()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("hyperliquid.*repeats 1 keys"));
    m_model->setTickers(Exchange::Hyperliquid,
                        {tick(Exchange::Bitunix, "BTC", "1"), tick(Exchange::Hyperliquid, "BTC", "2")});
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->ticker(0).exchange, Exchange::Hyperliquid);
    QCOMPARE(text(0, Column::Last), QStringLiteral("2"));
    QCOMPARE(m_model->rowOf(Exchange::Bitunix, "BTC"), -1);
}

void tst_TickerModel::display_data()
{
    QTest::addColumn<Ticker>("ticker");
    QTest::addColumn<Column>("column");
    QTest::addColumn<QString>("expected");

    const Ticker bx = tick(Exchange::Bitunix, "BTCUSDT", "97010.5", "95000");
    const Ticker hl = tick(Exchange::Hyperliquid, "kPEPE", "0.00002311", "0.00002");
    QTest::newRow("exchange BX") << bx << Column::Exchange << "BX";
    QTest::newRow("exchange HL") << hl << Column::Exchange << "HL";
    QTest::newRow("symbol") << hl << Column::Symbol << "kPEPE";
    QTest::newRow("last, unknown precision") << bx << Column::Last << "97'010.5";
    Ticker precise = bx;
    precise.priceDecimals = 2;
    QTest::newRow("last, precision known") << precise << Column::Last << "97'010.50";
    QTest::newRow("mark, precision known") << precise << Column::Mark << "97'010.50";
    QTest::newRow("last, tiny") << hl << Column::Last << "0.00002311";
    Ticker tinyPrecise = hl;
    tinyPrecise.priceDecimals = 6;
    QTest::newRow("last, tiny, precision known") << tinyPrecise << Column::Last << "0.000023";
    Ticker absent = bx;
    absent.last = {};
    absent.mark = {};
    absent.volumeQuote = {};
    QTest::newRow("last absent") << absent << Column::Last << "—";
    QTest::newRow("mark absent") << absent << Column::Mark << "—";
    QTest::newRow("change absent") << absent << Column::Change24h << "—";
    QTest::newRow("volume absent") << absent << Column::Volume << "—";
    QTest::newRow("funding absent (bitunix)") << bx << Column::Funding << "—";
    QTest::newRow("open interest absent") << bx << Column::OpenInterest << "—";
    QTest::newRow("change") << tick(Exchange::Bitunix, "X", "97014", "95000") << Column::Change24h
                            << "+2.12 %";
    QTest::newRow("change negative") << tick(Exchange::Bitunix, "X", "98.5", "100") << Column::Change24h
                                     << "-1.50 %";
    Ticker markOnly = tick(Exchange::Hyperliquid, "X", "110", "100");
    markOnly.last = {};
    QTest::newRow("change from mark without last") << markOnly << Column::Change24h << "+10.00 %";
    Ticker volume = bx;
    volume.volumeQuote = dec("1234567890.12");
    QTest::newRow("volume") << volume << Column::Volume << "1.23 B";
    volume.volumeQuote = dec("456712345");
    QTest::newRow("volume millions") << volume << Column::Volume << "456.7 M";
    Ticker funded = tick(Exchange::Hyperliquid, "BTC", "97010.5");
    funded.funding = dec("0.0000125");
    funded.openInterest = dec("1000");
    QTest::newRow("funding per hour") << funded << Column::Funding << "+0.0013 %";
    funded.funding = dec("-0.00000625");
    QTest::newRow("funding negative") << funded << Column::Funding << "-0.0006 %";
    QTest::newRow("open interest in USD at mark") << funded << Column::OpenInterest << "97.0 M";
    funded.mark = {};
    funded.last = dec("50000");
    QTest::newRow("open interest at last without mark") << funded << Column::OpenInterest << "50.0 M";
}

void tst_TickerModel::display()
{
    QFETCH(Ticker, ticker);
    QFETCH(Column, column);
    QFETCH(QString, expected);
    m_model->setTickers(ticker.exchange, {ticker});
    QCOMPARE(text(0, column), grouped(expected));
}

void tst_TickerModel::changeSign_data()
{
    QTest::addColumn<QString>("last");
    QTest::addColumn<QString>("open");
    QTest::addColumn<int>("sign");

    QTest::newRow("up") << "102"
                        << "100" << 1;
    QTest::newRow("down") << "98"
                          << "100" << -1;
    QTest::newRow("flat") << "100"
                          << "100" << 0;
    QTest::newRow("down, but shown as 0.00 %") << "99.9999"
                                               << "100" << 0;
    QTest::newRow("unknown") << "100"
                             << "" << 0;
}

void tst_TickerModel::changeSign()
{
    QFETCH(QString, last);
    QFETCH(QString, open);
    QFETCH(int, sign);
    m_model->setTickers(
        Exchange::Bitunix,
        {tick(Exchange::Bitunix, "X", last.toLatin1().constData(), open.toLatin1().constData())});
    QCOMPARE(value(0, Column::Change24h, TickerModel::ChangeSignRole), QVariant(sign));
    QVERIFY(!value(0, Column::Last, TickerModel::ChangeSignRole).isValid());
}

void tst_TickerModel::toolTipsAreRawTexts()
{
    Ticker t = tick(Exchange::Hyperliquid, "BTC", "97010.50", "95000.0");
    t.mark = dec("97011");
    t.oracle = dec("97005.5");
    t.volumeBase = dec("12.345");
    t.volumeQuote = dec("1197599.12");
    t.funding = dec("0.0000125");
    t.openInterest = dec("1000.5");
    t.delisted = true;
    m_model->setHeldSymbols(Exchange::Hyperliquid, {QStringLiteral("BTC")});
    m_model->setTickers(Exchange::Hyperliquid, {t});
    QCOMPARE(text(0, Column::Exchange, Qt::ToolTipRole), QStringLiteral("hyperliquid"));
    QCOMPARE(text(0, Column::Symbol, Qt::ToolTipRole),
             QStringLiteral("Delisted: shown because a position holds it"));
    QCOMPARE(text(0, Column::Symbol), QStringLiteral("BTC (delisted)"));
    QCOMPARE(text(0, Column::Last, Qt::ToolTipRole), QStringLiteral("mid: 97010.50"));
    QCOMPARE(text(0, Column::Mark, Qt::ToolTipRole), QStringLiteral("mark: 97011\noracle: 97005.5"));
    QCOMPARE(text(0, Column::Change24h, Qt::ToolTipRole),
             QStringLiteral("open 24 h: 95000.0\nlast: 97010.50"));
    QCOMPARE(text(0, Column::Volume, Qt::ToolTipRole), QStringLiteral("USD: 1197599.12\ncoins: 12.345"));
    QCOMPARE(text(0, Column::Funding, Qt::ToolTipRole), QStringLiteral("per hour: 0.0000125"));
    QCOMPARE(text(0, Column::OpenInterest, Qt::ToolTipRole), QStringLiteral("coins: 1000.5"));

    t.last = {};
    t.delisted = false;
    m_model->setTickers(Exchange::Hyperliquid, {t});
    QVERIFY(!value(0, Column::Last, Qt::ToolTipRole).isValid());
    QVERIFY(!value(0, Column::Symbol, Qt::ToolTipRole).isValid());
}

void tst_TickerModel::alignment()
{
    m_model->setTickers(Exchange::Bitunix, {tick(Exchange::Bitunix, "X", "1")});
    const int right = int(Qt::AlignRight | Qt::AlignVCenter);
    const int left = int(Qt::AlignLeft | Qt::AlignVCenter);
    for (int column = 0; column < TickerModel::ColumnCount; ++column) {
        const bool isText = column == int(Column::Exchange) || column == int(Column::Symbol);
        QCOMPARE(m_model->index(0, column).data(Qt::TextAlignmentRole).toInt(), isText ? left : right);
        QCOMPARE(m_model->headerData(column, Qt::Horizontal, Qt::TextAlignmentRole).toInt(),
                 isText ? left : right);
        QVERIFY(!m_model->index(0, column).data(Qt::ForegroundRole).isValid()); // colour is the view's job
    }
}

void tst_TickerModel::sortRoleWithNaN()
{
    Ticker a = tick(Exchange::Bitunix, "BTCUSDT", "97010.5");
    a.funding = dec("-0.0001");
    Ticker b = tick(Exchange::Bitunix, "ETHUSDT", "");
    b.volumeQuote = {};
    m_model->setTickers(Exchange::Bitunix, {a, b});

    const QVariant last = value(0, Column::Last, TickerModel::SortRole);
    QCOMPARE(last.metaType(), QMetaType::fromType<double>());
    QCOMPARE(last.toDouble(), 97010.5);
    QCOMPARE(value(0, Column::Funding, TickerModel::SortRole).toDouble(), -0.0001);
    for (Column column : {Column::Last, Column::Mark, Column::Change24h, Column::Volume, Column::Funding,
                          Column::OpenInterest}) {
        const QVariant absent = value(1, column, TickerModel::SortRole);
        QCOMPARE(absent.metaType(), QMetaType::fromType<double>());
        QVERIFY2(std::isnan(absent.toDouble()), QMetaEnum::fromType<Column>().valueToKey(int(column)));
    }
    QCOMPARE(value(1, Column::Symbol, TickerModel::SortRole), QVariant(QStringLiteral("ETHUSDT")));
    QCOMPARE(value(1, Column::Exchange, TickerModel::SortRole), QVariant(QStringLiteral("BX")));
}

void tst_TickerModel::sortProxyPutsAbsentLast()
{
    QList<Ticker> tickers;
    const QList<std::pair<const char *, const char *>> rows = {{"ETH", ""}, {"kPEPE", "3"}, {"BTC", "1e3"},
                                                               {"SOL", ""}, {"AVAX", "2"},  {"doge", "0.5"}};
    for (const auto &[symbol, volume] : rows) {
        Ticker t = tick(Exchange::Hyperliquid, symbol, "1");
        t.volumeQuote = dec(volume);
        tickers.append(t);
    }
    m_model->setTickers(Exchange::Hyperliquid, tickers);
    SortProxyModel proxy;
    proxy.setSourceModel(m_model.get());
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto sorted = [&](Column column, Qt::SortOrder order) {
        proxy.sort(int(column), order);
        QStringList out;
        for (int row = 0; row < proxy.rowCount(); ++row)
            out.append(proxy.index(row, int(Column::Symbol)).data().toString());
        return out;
    };
    QCOMPARE(sorted(Column::Volume, Qt::AscendingOrder),
             (QStringList {"doge", "AVAX", "kPEPE", "BTC", "ETH", "SOL"}));
    QCOMPARE(sorted(Column::Volume, Qt::DescendingOrder),
             (QStringList {"BTC", "kPEPE", "AVAX", "doge", "ETH", "SOL"}));
    QCOMPARE(sorted(Column::Symbol, Qt::AscendingOrder),
             (QStringList {"AVAX", "BTC", "doge", "ETH", "kPEPE", "SOL"}));

    // A live update re-sorts through the proxy: a value that appears moves out of the absent tail.
    proxy.sort(int(Column::Volume), Qt::DescendingOrder);
    tickers[3].volumeQuote = dec("5000");
    m_model->setTickers(Exchange::Hyperliquid, tickers);
    QCOMPARE(proxy.index(0, int(Column::Symbol)).data().toString(), QStringLiteral("SOL"));
    QCOMPARE(proxy.index(5, int(Column::Symbol)).data().toString(), QStringLiteral("ETH"));
}

void tst_TickerModel::priceMoves()
{
    Ticker t = tick(Exchange::Bitunix, "BTCUSDT", "100");
    m_model->setTickers(Exchange::Bitunix, {t});
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(0));
    QVERIFY(!value(0, Column::Last, TickerModel::PriceMovedAtRole).isValid());
    QVERIFY(!value(0, Column::Mark, TickerModel::PriceMoveRole).isValid());

    const auto update = [&](qint64 now, const char *last) {
        m_now = now;
        t.last = dec(last);
        m_model->setTickers(Exchange::Bitunix, {t});
    };
    update(m_now + 1000, "101");
    const qint64 firstMove = m_now;
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(1));
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMovedAtRole), QVariant(firstMove));

    update(m_now + 1000, "101");
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(0));
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMovedAtRole), QVariant(firstMove));

    update(m_now + 1000, "99.5");
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(-1));
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMovedAtRole), QVariant(m_now));

    update(m_now + 1000, ""); // a price that disappears did not move
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(0));
    update(m_now + 1000, "150");
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(0));

    update(m_now + 1000, "150.00"); // the same value written differently
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(0));

    m_model->setTickers(Exchange::Bitunix, {});
    update(m_now + 1000, "200"); // a row that comes back starts afresh
    QCOMPARE(value(0, Column::Last, TickerModel::PriceMoveRole), QVariant(0));
    QVERIFY(!value(0, Column::Last, TickerModel::PriceMovedAtRole).isValid());
}

void tst_TickerModel::priceMovedAgainReportsOnlyTheTime()
{
    Ticker t = tick(Exchange::Hyperliquid, "BTC", "100", "");
    m_model->setTickers(Exchange::Hyperliquid, {t});
    t.last = dec("101");
    m_model->setTickers(Exchange::Hyperliquid, {t});
    Spies spies(m_model.get());
    m_now += 500;
    t.last = dec("102");
    m_model->setTickers(Exchange::Hyperliquid, {t});
    QCOMPARE(spies.changes(),
             (QStringList {"row 0 Last..Last display,sort,toolTip,priceMovedAt",
                           "row 0 Change24h..Change24h toolTip"}));
}

void tst_TickerModel::bitunixFundingAndOpenInterestToolTips()
{
    Ticker t = tick(Exchange::Bitunix, "BTCUSDT", "60001");
    t.funding = Decimal::fromValue(0.0005 / 8);
    t.fundingIntervalHours = 8;
    t.nextFundingMs = 1770710400000; // 2026-02-10 08:00 UTC
    Ticker unknownInterval = tick(Exchange::Bitunix, "ETHUSDT", "3000");
    m_model->setTickers(Exchange::Bitunix, {t, unknownInterval});
    QCOMPARE(text(0, Column::Funding, Qt::ToolTipRole),
             QStringLiteral("per hour: 0.0000625\npaid every 8 h: 0.0005\nnext: 2026-02-10 08:00 UTC"));
    QCOMPARE(text(0, Column::OpenInterest, Qt::ToolTipRole),
             QStringLiteral("Bitunix publishes no open interest"));
    QCOMPARE(text(0, Column::Last, Qt::ToolTipRole), QStringLiteral("last trade: 60001"));
    QVERIFY(text(1, Column::Funding, Qt::ToolTipRole).isEmpty());
}

// Hyperliquid keeps delisted assets in its universe; nobody can trade them. A row appears only while an open
// position holds the asset, and goes when the position does.
void tst_TickerModel::delistedShownOnlyWhileHeld()
{
    Ticker live = tick(Exchange::Hyperliquid, "BTC", "97000");
    Ticker gone = tick(Exchange::Hyperliquid, "MATIC", "0.37");
    gone.delisted = true;
    m_model->setTickers(Exchange::Hyperliquid, {live, gone});
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, QStringLiteral("MATIC")), -1);

    Position held;
    held.exchange = Exchange::Hyperliquid;
    held.symbol = QStringLiteral("MATIC");
    m_model->setHeldPositions(Exchange::Hyperliquid, {held});
    QCOMPARE(m_model->rowCount(), 2);
    const int row = m_model->rowOf(Exchange::Hyperliquid, QStringLiteral("MATIC"));
    QVERIFY(row >= 0);
    QCOMPARE(text(row, Column::Symbol), QStringLiteral("MATIC (delisted)"));
    // The other exchange's positions hold nothing here.
    m_model->setHeldSymbols(Exchange::Bitunix, {QStringLiteral("BTC")});
    QCOMPARE(m_model->rowCount(), 2);
    // A new snapshot keeps it while the position lasts.
    m_model->setTickers(Exchange::Hyperliquid, {live, gone});
    QCOMPARE(m_model->rowCount(), 2);

    m_model->setHeldPositions(Exchange::Hyperliquid, {});
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->rowOf(Exchange::Hyperliquid, QStringLiteral("BTC")), 0);
}

// sameCell() and sameInRole() spare an update the formatting of cells whose fields did not change: they must
// never say "same" where the formatted data differs, nor "differs" where it is the same for a role they
// answer. Checked against formatting both, over random changes to every field.
void tst_TickerModel::shortcutsAgreeWithFormatting()
{
    struct Probe : TickerModel
    {
        using TickerModel::cellData;
        using TickerModel::changingRoles;
        using TickerModel::sameCell;
        using TickerModel::sameInRole;
    } probe;
    QRandomGenerator random(13);
    const char *const prices[] = {"", "1", "1.0", "2.5", "97010.5", "97010.50", "0.000012"};
    auto pick = [&] {
        return dec(prices[random.bounded(int(std::size(prices)))]);
    };
    auto randomRow = [&](Exchange exchange) {
        TickerRow row;
        Ticker &t = row.ticker;
        t.exchange = exchange;
        t.symbol = QStringLiteral("BTC");
        for (Decimal *d : {&t.last, &t.mark, &t.open24h, &t.high24h, &t.low24h, &t.volumeBase, &t.volumeQuote,
                           &t.funding, &t.openInterest, &t.oracle})
            *d = pick();
        t.priceDecimals = random.bounded(2) ? -1 : 2;
        t.fundingIntervalHours = random.bounded(2) * 8;
        t.nextFundingMs = random.bounded(2) * 1770710400000;
        t.delisted = random.bounded(4) == 0;
        row.priceMove = random.bounded(3) - 1;
        row.priceMovedAtMs = random.bounded(2) * 1000;
        return row;
    };
    int shortcuts = 0;
    for (int round = 0; round < 3000; ++round) {
        const Exchange exchange = random.bounded(2) ? Exchange::Bitunix : Exchange::Hyperliquid;
        const TickerRow a = randomRow(exchange);
        const TickerRow b = random.bounded(3) == 0 ? a : randomRow(exchange);
        for (int column = 0; column < TickerModel::ColumnCount; ++column) {
            const bool cellSame = probe.sameCell(a, b, column);
            for (int role : probe.changingRoles()) {
                const bool formattedSame = KeyedTableModelDetail::sameData(probe.cellData(a, column, role),
                                                                           probe.cellData(b, column, role));
                if (cellSame)
                    QVERIFY2(formattedSame,
                             qPrintable(QStringLiteral("column %1 role %2").arg(column).arg(role)));
                if (const std::optional<bool> same = probe.sameInRole(a, b, column, role)) {
                    ++shortcuts;
                    QVERIFY2(
                        *same == formattedSame,
                        qPrintable(
                            QStringLiteral("column %1 role %2: said %3").arg(column).arg(role).arg(*same)));
                }
            }
        }
    }
    QVERIFY(shortcuts > 10'000);
}

void tst_TickerModel::headers()
{
    QCOMPARE(m_model->columnCount(), 8);
    const QStringList expected = {"Exchange",   "Symbol",     "Last / mid",  "Mark",
                                  "24h change", "Volume 24h", "Funding / h", "Open interest"};
    for (int column = 0; column < m_model->columnCount(); ++column) {
        QCOMPARE(m_model->headerData(column, Qt::Horizontal).toString(), expected.at(column));
        QVERIFY(!m_model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    }
    QVERIFY(!m_model->headerData(8, Qt::Horizontal).isValid());
    const QHash<int, QByteArray> roles = m_model->roleNames();
    QCOMPARE(roles.value(TickerModel::SortRole), QByteArray("sort"));
    QCOMPARE(roles.value(Qt::DisplayRole), QByteArray("display"));
    QCOMPARE(int(TickerModel::SortRole), Qt::UserRole + 1);
}

void tst_TickerModel::accessors()
{
    Ticker t = tick(Exchange::Bitunix, "BTCUSDT", "100");
    t.priceDecimals = 1;
    m_model->setTickers(Exchange::Bitunix, {t});
    QCOMPARE(m_model->ticker(0).symbol, QStringLiteral("BTCUSDT"));
    QCOMPARE(m_model->ticker(0).last.text, QStringLiteral("100"));
    QCOMPARE(m_model->ticker(0).priceDecimals, 1);
    QCOMPARE(m_model->ticker(-1).symbol, QString());
    QCOMPARE(m_model->ticker(1).symbol, QString());
    QVERIFY(!m_model->index(0, 0, m_model->index(0, 0)).isValid());
    QCOMPARE(m_model->rowCount(m_model->index(0, 0)), 0);
}

void tst_TickerModel::hyperliquidPricesShowFiveFigures_data()
{
    QTest::addColumn<QString>("last");
    QTest::addColumn<int>("szDecimals");
    QTest::addColumn<QString>("shown");
    QTest::newRow("XRP") << "2.3858" << 0 << "2.3858"; // not 2.385800
    QTest::newRow("BTC") << "96777.0" << 5 << grouped(QStringLiteral("96'777"));
    QTest::newRow("DOGE") << "0.3909" << 0 << "0.39090";
    QTest::newRow("kPEPE") << "0.023086" << 0 << "0.023086";
    QTest::newRow("ETH") << "3624.6" << 4 << grouped(QStringLiteral("3'624.6"));
}

void tst_TickerModel::hyperliquidPricesShowFiveFigures()
{
    QFETCH(QString, last);
    QFETCH(int, szDecimals);
    QFETCH(QString, shown);
    Ticker t = tick(Exchange::Hyperliquid, QStringLiteral("X"), last.toLatin1().constData());
    t.sizeDecimals = szDecimals;
    t.priceDecimals = 6 - szDecimals;
    m_model->setTickers(Exchange::Hyperliquid, {t});
    QCOMPARE(m_model->index(0, int(TickerModel::Column::Last)).data().toString(), shown);
}

QTEST_GUILESS_MAIN(tst_TickerModel)
#include "tst_tickermodel.moc"
