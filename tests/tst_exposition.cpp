#include "probe/exposition.h"

#include <QTest>

#include <cmath>

// The Prometheus text format: values, label escaping, histograms.
class tst_Exposition : public QObject
{
    Q_OBJECT

private slots:
    void values_data();
    void values();
    void labelValuesAreEscaped();
    void histogramBucketsAreCumulative();
    void histogramWritesBucketsSumAndCount();
};

void tst_Exposition::values_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("integer") << 42.0 << QByteArray("42");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("bucket bound") << 0.0005 << QByteArray("0.0005");
    QTest::newRow("shortest decimal") << 0.1 << QByteArray("0.1");
    QTest::newRow("negative") << -1.5 << QByteArray("-1.5");
    QTest::newRow("tiny") << 1e-9 << QByteArray("1e-09");
    QTest::newRow("huge") << 1e20 << QByteArray("1e+20");
    QTest::newRow("+Inf") << double(INFINITY) << QByteArray("+Inf");
    QTest::newRow("-Inf") << double(-INFINITY) << QByteArray("-Inf");
    QTest::newRow("NaN") << double(NAN) << QByteArray("NaN");
}

void tst_Exposition::values()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QCOMPARE(Exposition::formatValue(value), text);
    if (std::isfinite(value))
        QCOMPARE(text.toDouble(), value); // reads back exactly
}

void tst_Exposition::labelValuesAreEscaped()
{
    QCOMPARE(Exposition::escapeLabelValue(QStringLiteral("a\"b\\c\nd")), QByteArray("a\\\"b\\\\c\\nd"));
    QCOMPARE(Exposition::escapeLabelValue(QStringLiteral("ü")), QStringLiteral("ü").toUtf8());

    ExpositionWriter out;
    out.family("x_total", "counter", "An example.");
    out.sample("x_total", {QStringLiteral("a"), QStringLiteral("b")},
               {QStringLiteral("1"), QStringLiteral("\"")}, 3);
    QCOMPARE(
        out.text(),
        QByteArray("# HELP x_total An example.\n# TYPE x_total counter\nx_total{a=\"1\",b=\"\\\"\"} 3\n"));
}

void tst_Exposition::histogramBucketsAreCumulative()
{
    Histogram h({0.01, 0.1, 1});
    for (double v : {0.005, 0.01, 0.05, 0.5, 2.0, 3.0})
        h.observe(v);
    h.observe(NAN); // ignored
    // An observation equal to a bound belongs to that bucket (le: less or equal).
    QCOMPARE(h.cumulativeCounts(), (QList<quint64> {2, 3, 4, 6}));
    QCOMPARE(h.count(), quint64(6));
    QCOMPARE(h.sum(), 0.005 + 0.01 + 0.05 + 0.5 + 2.0 + 3.0);
}

void tst_Exposition::histogramWritesBucketsSumAndCount()
{
    Histogram h({0.5, 1});
    h.observe(0.25);
    ExpositionWriter out;
    out.histogram("d_seconds", {QStringLiteral("arm")}, {QStringLiteral("pooled")}, h);
    QCOMPARE(out.text(),
             QByteArray("d_seconds_bucket{arm=\"pooled\",le=\"0.5\"} 1\n"
                        "d_seconds_bucket{arm=\"pooled\",le=\"1\"} 1\n"
                        "d_seconds_bucket{arm=\"pooled\",le=\"+Inf\"} 1\n"
                        "d_seconds_sum{arm=\"pooled\"} 0.25\n"
                        "d_seconds_count{arm=\"pooled\"} 1\n"));
}

QTEST_GUILESS_MAIN(tst_Exposition)
#include "tst_exposition.moc"
