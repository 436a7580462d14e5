#include "models/format.h"

#include <QTest>

#include <cmath>
#include <limits>

// Expected texts write the digit group separator (U+202F) as an apostrophe.
static QString grouped(QString text)
{
    return text.replace(u'\'', digitGroupSeparator());
}

static Decimal dec(const char *text)
{
    Decimal d;
    d.text = QString::fromLatin1(text);
    bool ok = false;
    const double value = QByteArray(text).toDouble(&ok);
    if (ok)
        d.value = value;
    return d;
}

static const double notANumber = std::numeric_limits<double>::quiet_NaN();
static const double infinity = std::numeric_limits<double>::infinity();

class tst_Format : public QObject
{
    Q_OBJECT

private slots:
    void price_data();
    void price();
    void decimalGrouping();
    void money_data();
    void money();
    void percent_data();
    void percent();
    void fractionAsPercent_data();
    void fractionAsPercent();
    void funding_data();
    void funding();
    void compact_data();
    void compact();
    void leverageAndSide();
    void milliseconds_data();
    void milliseconds();
    void signOfFormatted_data();
    void signOfFormatted();
};

void tst_Format::price_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QString>("expected");

    QTest::newRow("btc, decimals known") << "97010.5" << 1 << "97'010.5";
    QTest::newRow("padded to the precision") << "97010" << 1 << "97'010.0";
    QTest::newRow("rounded up") << "97010.56" << 1 << "97'010.6";
    QTest::newRow("rounded down") << "97010.44" << 1 << "97'010.4";
    QTest::newRow("half away from zero on the digits") << "1.005" << 2 << "1.01"; // as a double: 1.00499...
    QTest::newRow("negative half away from zero") << "-12.5" << 0 << "-13";
    QTest::newRow("carry into a new digit") << "999.9995" << 3 << "1'000.000";
    QTest::newRow("carry across the point") << "9.99" << 1 << "10.0";
    QTest::newRow("tiny, precision known") << "0.00002311" << 8 << "0.00002311";
    QTest::newRow("tiny, more precision") << "0.00002311" << 10 << "0.0000231100";
    QTest::newRow("tiny, less precision") << "0.00002311" << 6 << "0.000023";
    QTest::newRow("tiny, unknown precision") << "0.00002311" << -1 << "0.00002311";
    QTest::newRow("unknown: decimals as written") << "97010.5" << -1 << "97'010.5";
    QTest::newRow("unknown: six significant figures") << "1.23456789" << -1 << "1.23457";
    QTest::newRow("unknown: huge") << "123456789.987" << -1 << "123'456'790";
    QTest::newRow("unknown: no zeros invented") << "2500.1" << -1 << "2'500.1";
    QTest::newRow("unknown: integer") << "1234" << -1 << "1'234";
    QTest::newRow("three digits are not grouped") << "123" << -1 << "123";
    QTest::newRow("zero") << "0" << -1 << "0";
    QTest::newRow("leading plus and zeros") << "+005" << 2 << "5.00";
    QTest::newRow("no negative zero") << "-0.0001" << 2 << "0.00";
    QTest::newRow("beyond double precision") << "12345678901234567890.5" << 0 << "12'345'678'901'234'567'891";
    QTest::newRow("exponent text: from the value") << "1e-5" << -1 << "0.00001";
    QTest::newRow("absent") << "" << -1 << "—";
    QTest::newRow("absent with decimals") << "" << 2 << "—";
    QTest::newRow("unparsable") << "n/a" << 2 << "—";
}

void tst_Format::price()
{
    QFETCH(QString, text);
    QFETCH(int, decimals);
    QFETCH(QString, expected);
    QCOMPARE(formatPrice(dec(text.toLatin1().constData()), decimals), grouped(expected));
}

void tst_Format::decimalGrouping()
{
    QCOMPARE(formatPrice(dec("97010.5"), 1, DigitGrouping::None), QStringLiteral("97010.5"));
    QCOMPARE(formatMoney(dec("-1234567.891"), SignStyle::NegativeOnly, DigitGrouping::None),
             QStringLiteral("-1234567.89"));
    QCOMPARE(formatDecimal(dec("1234.5678")), grouped("1'234.5678"));
    QCOMPARE(formatDecimal(dec("1234.5678"), 2, SignStyle::Always), grouped("+1'234.57"));
    QCOMPARE(formatSize(dec("12345.000")), grouped("12'345.000")); // as received, trailing zeros included
    QCOMPARE(formatSize(Decimal()), absentText());
    QCOMPARE(digitGroupSeparator(), QChar(0x202F));
}

void tst_Format::money_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("withSign");
    QTest::addColumn<QString>("expected");

    QTest::newRow("equity") << "3000" << false << "3'000.00";
    QTest::newRow("rounded") << "1234567.891" << false << "1'234'567.89";
    QTest::newRow("pnl positive") << "75" << true << "+75.00";
    QTest::newRow("pnl negative") << "-0.254" << true << "-0.25";
    QTest::newRow("pnl rounds to zero: no sign") << "-0.004" << true << "0.00";
    QTest::newRow("negative without sign style") << "-12.345" << false << "-12.35";
    QTest::newRow("absent") << "" << true << "—";
}

void tst_Format::money()
{
    QFETCH(QString, text);
    QFETCH(bool, withSign);
    QFETCH(QString, expected);
    QCOMPARE(
        formatMoney(dec(text.toLatin1().constData()), withSign ? SignStyle::Always : SignStyle::NegativeOnly),
        grouped(expected));
}

void tst_Format::percent_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("positive") << 2.1234 << "+2.12 %";
    QTest::newRow("negative") << -1.5 << "-1.50 %";
    QTest::newRow("zero") << 0.0 << "0.00 %";
    QTest::newRow("tiny negative shows as zero") << -0.001 << "0.00 %";
    QTest::newRow("large") << 12345.678 << "+12'345.68 %";
    QTest::newRow("nan") << notANumber << "—";
    QTest::newRow("infinite") << infinity << "—";
}

void tst_Format::percent()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    QCOMPARE(formatPercent(value), grouped(expected));
}

void tst_Format::fractionAsPercent_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("roe 20 %") << "0.2"
                              << "+20.00 %";
    QTest::newRow("exact half rounds away") << "-0.12345"
                                            << "-12.35 %";
    QTest::newRow("tiny") << "0.00005"
                          << "+0.01 %";
    QTest::newRow("above 100 %") << "12.5"
                                 << "+1'250.00 %";
    QTest::newRow("zero") << "0"
                          << "0.00 %";
    QTest::newRow("absent") << ""
                            << "—";
}

void tst_Format::fractionAsPercent()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(formatFractionAsPercent(dec(text.toLatin1().constData())), grouped(expected));
}

void tst_Format::funding_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");

    QTest::newRow("hyperliquid hourly") << "0.0000125"
                                        << "+0.0013 %";
    QTest::newRow("negative") << "-0.00000625"
                              << "-0.0006 %";
    QTest::newRow("one basis point") << "0.0001"
                                     << "+0.0100 %";
    QTest::newRow("exponent text") << "1.25e-5"
                                   << "+0.0013 %";
    QTest::newRow("zero") << "0"
                          << "0.0000 %";
    QTest::newRow("absent (bitunix ticker)") << ""
                                             << "—";
}

void tst_Format::funding()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(formatFunding(dec(text.toLatin1().constData())), grouped(expected));
}

void tst_Format::compact_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("billions") << 1.23e9 << "1.23 B";
    QTest::newRow("hundreds of millions") << 4.567e8 << "456.7 M";
    QTest::newRow("tens of millions") << 45.678e6 << "45.7 M";
    QTest::newRow("thousands") << 12345.0 << "12.3 k";
    QTest::newRow("below a thousand") << 950.0 << "950.0";
    QTest::newRow("single digits") << 7.5 << "7.50";
    QTest::newRow("rounds into the next unit") << 999.96 << "1.00 k";
    QTest::newRow("rounds into mega") << 999960.0 << "1.00 M";
    QTest::newRow("rounds into two digits") << 9.996e6 << "10.0 M";
    QTest::newRow("trillions beyond") << 1.5e15 << "1'500.0 T";
    QTest::newRow("negative") << -2.5e9 << "-2.50 B";
    QTest::newRow("zero") << 0.0 << "0.00";
    QTest::newRow("tiny negative") << -0.001 << "0.00";
    QTest::newRow("nan") << notANumber << "—";
    QTest::newRow("infinite") << -infinity << "—";
}

void tst_Format::compact()
{
    QFETCH(double, value);
    QFETCH(QString, expected);
    QCOMPARE(formatCompact(value), grouped(expected));
}

void tst_Format::leverageAndSide()
{
    QCOMPARE(formatLeverage(10, false), QStringLiteral("10× cross"));
    QCOMPARE(formatLeverage(5, true), QStringLiteral("5× isolated"));
    QCOMPARE(formatLeverage(0, true), QStringLiteral("isolated"));
    QCOMPARE(formatSide(Position::Side::Long), QStringLiteral("long"));
    QCOMPARE(formatSide(Position::Side::Short), QStringLiteral("short"));
    QCOMPARE(absentText(), QStringLiteral("—"));
}

void tst_Format::milliseconds_data()
{
    QTest::addColumn<double>("ms");
    QTest::addColumn<QString>("expected");

    QTest::newRow("sub-millisecond") << 0.853 << "0.85 ms";
    QTest::newRow("reused call") << 52.54 << "52.5 ms";
    QTest::newRow("new connection") << 160.74 << "160.7 ms";
    QTest::newRow("rounds into seconds") << 999.96 << "1.00 s";
    QTest::newRow("seconds") << 1234.5 << "1.23 s";
    QTest::newRow("nan") << notANumber << "—";
}

void tst_Format::milliseconds()
{
    QFETCH(double, ms);
    QFETCH(QString, expected);
    QCOMPARE(formatMs(ms), grouped(expected));
}

void tst_Format::signOfFormatted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("sign");

    QTest::newRow("plus") << formatPercent(2.0) << 1;
    QTest::newRow("minus") << formatMoney(dec("-3"), SignStyle::Always) << -1;
    QTest::newRow("minus without sign style") << formatMoney(dec("-3")) << -1;
    QTest::newRow("zero") << formatPercent(0.0) << 0;
    QTest::newRow("rounded to zero") << formatPercent(-0.001) << 0;
    QTest::newRow("absent is not negative") << absentText() << 0;
}

void tst_Format::signOfFormatted()
{
    QFETCH(QString, text);
    QFETCH(int, sign);
    QCOMPARE(::signOfFormatted(text), sign);
}

QTEST_GUILESS_MAIN(tst_Format)
#include "tst_format.moc"
