#include "sim/http1parser.h"

#include <QTest>

class tst_Http1Parser : public QObject
{
    Q_OBJECT

private slots:
    void parsesGetWithQuery();
    void parsesPostBodyAcrossChunks();
    void parsesPipelinedRequests();
    void byteByByte();
    void keepAliveRules_data();
    void keepAliveRules();
    void rejects_data();
    void rejects();
    void errorIsSticky();
    void headerLimitWhereverTheBytesSplit_data();
    void headerLimitWhereverTheBytesSplit();
};

void tst_Http1Parser::parsesGetWithQuery()
{
    Http1RequestParser parser;
    parser.feed("GET /api/v1/futures/account?marginCoin=USDT HTTP/1.1\r\nHost: x\r\nApi-Key: k\r\n\r\n");
    SimRequest request;
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Ready);
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.path(), QByteArray("/api/v1/futures/account"));
    QCOMPARE(request.query(), QByteArray("marginCoin=USDT"));
    QCOMPARE(request.header("api-key"), QByteArray("k"));
    QVERIFY(request.body.isEmpty());
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::NeedMore);
    QCOMPARE(parser.buffered(), 0);
}

void tst_Http1Parser::parsesPostBodyAcrossChunks()
{
    Http1RequestParser parser;
    SimRequest request;
    parser.feed("POST /info HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                "15\r\n\r\n{\"type\":");
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::NeedMore);
    parser.feed("\"meta\"}");
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Ready);
    QCOMPARE(request.body, QByteArray("{\"type\":\"meta\"}"));
}

void tst_Http1Parser::parsesPipelinedRequests()
{
    Http1RequestParser parser;
    parser.feed(
        "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiGET /c "
        "HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArrayList paths;
    SimRequest request;
    while (parser.next(&request) == Http1RequestParser::Status::Ready)
        paths.append(request.path());
    QCOMPARE(paths, (QByteArrayList {"/a", "/b", "/c"}));
}

void tst_Http1Parser::byteByByte()
{
    const QByteArray wire = "POST /info HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    Http1RequestParser parser;
    SimRequest request;
    for (qsizetype i = 0; i < wire.size() - 1; ++i) {
        parser.feed(wire.mid(i, 1));
        QCOMPARE(parser.next(&request), Http1RequestParser::Status::NeedMore);
    }
    parser.feed(wire.right(1));
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Ready);
    QCOMPARE(request.body, QByteArray("abc"));
}

void tst_Http1Parser::keepAliveRules_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                               << false;
    QTest::newRow("1.1 Close") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nconnection: Close\r\n\r\n")
                               << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
}

void tst_Http1Parser::keepAliveRules()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, keepAlive);
    Http1RequestParser parser;
    parser.feed(wire);
    SimRequest request;
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Ready);
    QCOMPARE(request.keepAlive(), keepAlive);
}

void tst_Http1Parser::rejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << 400;
    QTest::newRow("no target") << QByteArray("GET HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("absolute target") << QByteArray("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400;
    QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << 400;
    QTest::newRow("space in header name") << QByteArray("GET / HTTP/1.1\r\nHo st: x\r\n\r\n") << 400;
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
                                     << 400;
    QTest::newRow("plus length") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\n")
                                 << 400;
    QTest::newRow("text length") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
                                 << 400;
    QTest::newRow("huge length") << QByteArray(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
                                 << 413;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                             << 501;
    QTest::newRow("endless header") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(20000, 'a')) << 431;
}

void tst_Http1Parser::rejects()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    Http1RequestParser parser;
    parser.feed(wire);
    SimRequest request;
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), status);
    QVERIFY(!parser.error().isEmpty());
}

void tst_Http1Parser::errorIsSticky()
{
    Http1RequestParser parser;
    parser.feed("BROKEN\r\n\r\n");
    SimRequest request;
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Error);
    parser.feed("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(parser.next(&request), Http1RequestParser::Status::Error);
    QCOMPARE(parser.buffered(), 0);
}

void tst_Http1Parser::headerLimitWhereverTheBytesSplit_data()
{
    QTest::addColumn<int>("headerBytes");
    QTest::addColumn<int>("blankLineBytesFirst"); // how much of the closing "\r\n\r\n" the first read holds
    QTest::addColumn<bool>("accepted");
    // Found by fuzzing: a header of exactly the maximum size was refused when a read ended inside the blank
    // line.
    for (int partial = 0; partial <= 3; ++partial) {
        QTest::addRow("at the limit, %d of 4 bytes first", partial)
            << Http1RequestParser::maxHeaderBytes << partial << true;
        QTest::addRow("one byte over, %d of 4 bytes first", partial)
            << Http1RequestParser::maxHeaderBytes + 1 << partial << false;
    }
}

void tst_Http1Parser::headerLimitWhereverTheBytesSplit()
{
    QFETCH(int, headerBytes);
    QFETCH(int, blankLineBytesFirst);
    QFETCH(bool, accepted);
    const QByteArray start = "GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ";
    const QByteArray padding(headerBytes - start.size(), 'a');
    const QByteArray wire = start + padding + "\r\n\r\n";
    const qsizetype firstRead = headerBytes + blankLineBytesFirst;
    Http1RequestParser parser;
    SimRequest request;
    parser.feed(wire.left(firstRead));
    auto status = parser.next(&request);
    if (status == Http1RequestParser::Status::NeedMore) {
        parser.feed(wire.mid(firstRead));
        status = parser.next(&request);
    }
    QCOMPARE(status, accepted ? Http1RequestParser::Status::Ready : Http1RequestParser::Status::Error);
    if (accepted)
        QCOMPARE(request.header("x-padding"), padding);
    else
        QCOMPARE(parser.errorStatus(), 431);
}

QTEST_GUILESS_MAIN(tst_Http1Parser)
#include "tst_http1parser.moc"
