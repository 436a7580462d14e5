#include "models/latencylog.h"
#include "models/samplecsv.h"

#include <QtTest>

class tst_SampleCsv : public QObject
{
    Q_OBJECT

private slots:
    void headerNamesEveryColumn();
    void rowHoldsEveryField();
    void freeTextIsQuotedAndDefused_data();
    void freeTextIsQuotedAndDefused();
    void writeIsOldestFirst();
};

namespace {

RequestSample reusedGet(quint64 id)
{
    RequestSample s;
    s.id = id;
    s.startedAtMsSinceEpoch = 1'700'000'000'123;
    s.exchange = QStringLiteral("bitunix");
    s.endpoint = QStringLiteral("tickers");
    s.host = QStringLiteral("fapi.bitunix.com:443");
    s.method = "GET";
    s.httpStatus = 200;
    s.bytesReceived = 4096;
    s.protocol = HttpProtocol::Http2;
    s.reuse = ReuseMode::Pooled;
    s.connection = ConnectionKind::Reused;
    s.requestSentMs = 0.25;
    s.firstByteMs = 52.5;
    s.finishedMs = 53.0;
    return s;
}

QList<QByteArray> cells(QByteArray line)
{
    if (line.endsWith("\r\n"))
        line.chop(2);
    return line.split(',');
}

} // namespace

void tst_SampleCsv::headerNamesEveryColumn()
{
    const QList<QByteArray> names = cells(SampleCsv::header());
    QCOMPARE(names.size(), 25);
    QCOMPARE(names.first(), QByteArray("id"));
    QCOMPARE(names.last(), QByteArray("download_ms"));
    QCOMPARE(QSet<QByteArray>(names.cbegin(), names.cend()).size(), names.size()); // no duplicate
    QCOMPARE(cells(SampleCsv::row(reusedGet(1))).size(), names.size());
}

void tst_SampleCsv::rowHoldsEveryField()
{
    const QList<QByteArray> header = cells(SampleCsv::header());
    const QList<QByteArray> row = cells(SampleCsv::row(reusedGet(7)));
    QHash<QByteArray, QByteArray> value;
    for (int i = 0; i < header.size(); ++i)
        value.insert(header[i], row[i]);
    QCOMPARE(value["id"], QByteArray("7"));
    QCOMPARE(value["started_at"], QByteArray("2023-11-14T22:13:20.123Z"));
    QCOMPARE(value["exchange"], QByteArray("bitunix"));
    QCOMPARE(value["host"], QByteArray("fapi.bitunix.com:443"));
    QCOMPARE(value["method"], QByteArray("GET"));
    QCOMPARE(value["status"], QByteArray("200"));
    QCOMPARE(value["bytes"], QByteArray("4096"));
    QCOMPARE(value["protocol"], nameOf(HttpProtocol::Http2).toLatin1());
    QCOMPARE(value["reuse"], nameOf(ReuseMode::Pooled).toLatin1());
    QCOMPARE(value["connection"], nameOf(ConnectionKind::Reused).toLatin1());
    QCOMPARE(value["connect_start_ms"], QByteArray()); // a reused connection has no connect mark
    QCOMPARE(value["first_byte_ms"], QByteArray("52.500"));
    QCOMPARE(value["total_ms"], QByteArray("53.000"));
    QCOMPARE(value["connect_ms"], QByteArray("0.000"));
}

void tst_SampleCsv::freeTextIsQuotedAndDefused_data()
{
    QTest::addColumn<QString>("errorText");
    QTest::addColumn<QByteArray>("cell");
    QTest::newRow("plain") << "timed out" << QByteArray("timed out");
    QTest::newRow("comma") << "a, b" << QByteArray("\"a, b\"");
    QTest::newRow("quote") << "say \"hi\"" << QByteArray("\"say \"\"hi\"\"\"");
    QTest::newRow("newline") << "two\nlines" << QByteArray("\"two\nlines\"");
    QTest::newRow("formula") << "=HYPERLINK(1)" << QByteArray("'=HYPERLINK(1)");
    QTest::newRow("at") << "@SUM(A1)" << QByteArray("'@SUM(A1)");
    QTest::newRow("tab") << "\t=1" << QByteArray("'\t=1");
    QTest::newRow("negative number") << "-12.5" << QByteArray("-12.5");
}

void tst_SampleCsv::freeTextIsQuotedAndDefused()
{
    QFETCH(QString, errorText);
    QFETCH(QByteArray, cell);
    RequestSample s = reusedGet(1);
    s.error = NetError::HttpStatus;
    s.errorText = errorText;
    const QByteArray line = SampleCsv::row(s);
    QVERIFY(line.endsWith("\r\n"));
    QVERIFY2(line.contains("," + cell + ","), line.constData());
}

void tst_SampleCsv::writeIsOldestFirst()
{
    LatencyLog log;
    for (quint64 id : {3, 1, 2})
        log.append(reusedGet(id));
    const QList<QByteArray> lines = SampleCsv::write(log).split('\n');
    QCOMPARE(lines.size(), 5); // header, three rows, and the empty rest after the last CRLF
    QVERIFY(lines[0].startsWith("id,"));
    QVERIFY(lines[1].startsWith("3,"));
    QVERIFY(lines[2].startsWith("1,"));
    QVERIFY(lines[3].startsWith("2,"));
    QVERIFY(lines[4].isEmpty());
}

QTEST_GUILESS_MAIN(tst_SampleCsv)
#include "tst_samplecsv.moc"
