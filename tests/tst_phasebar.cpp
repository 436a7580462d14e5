#include "phasebar.h"

#include "models/format.h"

#include <QApplication>
#include <QImage>
#include <QPalette>
#include <QTest>

namespace {

// Phases in ms: queue, connect+TLS, wait, download (a negative value: that mark is absent).
RequestSample sample(double queue, double connect, double wait, double download,
                     ConnectionKind kind = ConnectionKind::New, ReuseMode arm = ReuseMode::Pooled,
                     HttpProtocol protocol = HttpProtocol::Http2)
{
    RequestSample s;
    s.exchange = QStringLiteral("bitunix");
    s.endpoint = QStringLiteral("tickers");
    s.host = QStringLiteral("127.0.0.1:40123");
    s.method = "GET";
    s.httpStatus = 200;
    s.protocol = protocol;
    s.reuse = arm;
    s.connection = kind;
    if (connect > 0) {
        s.connectStartMs = queue;
        s.tlsDoneMs = queue + connect;
    }
    s.requestSentMs = queue + std::max(0.0, connect);
    s.firstByteMs = s.requestSentMs + wait;
    s.finishedMs = s.firstByteMs + std::max(0.0, download);
    if (download < 0)
        s.firstByteMs = -1; // no first-byte mark: everything after the send is wait
    return s;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xF0, 0xF0, 0xF0));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2B, 0x2B, 0x2B));
    p.setColor(QPalette::Base, QColor(0x1E, 0x1E, 0x1E));
    p.setColor(QPalette::Text, QColor(0xE0, 0xE0, 0xE0));
    p.setColor(QPalette::WindowText, QColor(0xE0, 0xE0, 0xE0));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    return p;
}

int countPixels(const QImage &image, const QColor &colour)
{
    int n = 0;
    const QRgb wanted = colour.rgb();
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            n += (image.pixel(x, y) & 0xFFFFFF) == (wanted & 0xFFFFFF);
    }
    return n;
}

} // namespace

class TestPhaseBar : public QObject
{
    Q_OBJECT

private slots:
    void emptyState();
    void title_data();
    void title();
    void segments_data();
    void segments();
    void labelsOnlyWhereTheyFit();
    void legend();
    void clearAfterSample();
    void sizeHint();
    void render_data();
    void render();
};

void TestPhaseBar::emptyState()
{
    PhaseBar bar;
    QVERIFY(!bar.hasSample());
    QVERIFY(bar.titleText().isEmpty());
    QVERIFY(bar.segments().isEmpty());
    QVERIFY(bar.legendTexts().isEmpty());
    QCOMPARE(PhaseBar::emptyText(), QStringLiteral("Hover or click a request in the chart"));
}

void TestPhaseBar::title_data()
{
    QTest::addColumn<RequestSample>("sample");
    QTest::addColumn<QString>("title");

    QTest::newRow("new h2") << sample(0.5, 101.2, 50, 1.5)
                            << QStringLiteral("GET tickers · bitunix · new connection (h2) · 153.2 ms");
    QTest::newRow("reused http/1.1") << sample(0.2, 0, 50, 2.3, ConnectionKind::Reused, ReuseMode::Pooled,
                                               HttpProtocol::Http1)
                                     << QStringLiteral(
                                            "GET tickers · bitunix · reused connection (http/1.1) · 52.5 ms");
    QTest::newRow("no-reuse arm") << sample(0, 100, 50, 0, ConnectionKind::New, ReuseMode::NoReuse)
                                  << QStringLiteral(
                                         "GET tickers · bitunix · new connection (h2, no-reuse) · 150.0 ms");
    QTest::newRow("shared") << sample(100, 0, 50, 0, ConnectionKind::Shared)
                            << QStringLiteral(
                                   "GET tickers · bitunix · shared new connection (h2) · 150.0 ms");
    QTest::newRow("queued") << sample(100, 0, 50, 0, ConnectionKind::Queued, ReuseMode::Pooled,
                                      HttpProtocol::Http1)
                            << QStringLiteral(
                                   "GET tickers · bitunix · queued for new connection (http/1.1) · 150.0 ms");

    RequestSample timeout = sample(0, 100, 9900, -1);
    timeout.error = NetError::Timeout;
    timeout.httpStatus = 0;
    QTest::newRow("timeout")
        << timeout
        << QStringLiteral("GET tickers · bitunix · new connection (h2) · 10.00 s · failed: timeout");
    RequestSample http500 = sample(0, 0, 50, 1, ConnectionKind::Reused);
    http500.error = NetError::HttpStatus;
    http500.httpStatus = 500;
    QTest::newRow("500")
        << http500
        << QStringLiteral("GET tickers · bitunix · reused connection (h2) · 51.0 ms · failed: HTTP 500");
    RequestSample warm = sample(0, 100, 0, 0);
    warm.warmUp = true;
    QTest::newRow("warm-up") << warm << QStringLiteral("warm-up · bitunix · new connection (h2) · 100.0 ms");
    RequestSample post =
        sample(0, 0, 52, 0.5, ConnectionKind::Reused, ReuseMode::Pooled, HttpProtocol::Http1);
    post.method = "POST";
    post.exchange.clear();
    post.endpoint = QStringLiteral("info metaAndAssetCtxs");
    QTest::newRow("no exchange: host")
        << post
        << QStringLiteral(
               "POST info metaAndAssetCtxs · 127.0.0.1:40123 · reused connection (http/1.1) · 52.5 ms");
}

void TestPhaseBar::title()
{
    QFETCH(RequestSample, sample);
    QFETCH(QString, title);
    PhaseBar bar;
    bar.setSample(sample);
    QVERIFY(bar.hasSample());
    QCOMPARE(bar.titleText(), title);
}

void TestPhaseBar::segments_data()
{
    QTest::addColumn<RequestSample>("sample");
    QTest::addColumn<int>("width");
    QTest::addColumn<QList<int>>("phases"); // the phases that must have a segment, in order

    QTest::newRow("new connection") << sample(1, 100, 50, 10) << 500
                                    << QList<int> {PhaseBar::Queue, PhaseBar::Connect, PhaseBar::Wait,
                                                   PhaseBar::Download};
    QTest::newRow("reused: no connect segment")
        << sample(0.5, 0, 50, 2, ConnectionKind::Reused) << 500
        << QList<int> {PhaseBar::Queue, PhaseBar::Wait, PhaseBar::Download};
    QTest::newRow("no queue, no download")
        << sample(0, 100, 50, 0) << 333 << QList<int> {PhaseBar::Connect, PhaseBar::Wait};
    QTest::newRow("tiny phases keep a pixel")
        << sample(0.01, 1000, 0.02, 0.01) << 301
        << QList<int> {PhaseBar::Queue, PhaseBar::Connect, PhaseBar::Wait, PhaseBar::Download};
    QTest::newRow("odd width") << sample(33.3, 33.3, 33.4, 0) << 97
                               << QList<int> {PhaseBar::Queue, PhaseBar::Connect, PhaseBar::Wait};
    QTest::newRow("wait only") << sample(0, 0, 40, -1, ConnectionKind::Reused) << 400
                               << QList<int> {PhaseBar::Wait};
}

void TestPhaseBar::segments()
{
    QFETCH(RequestSample, sample);
    QFETCH(int, width);
    QFETCH(QList<int>, phases);

    PhaseBar bar;
    bar.resize(width, bar.sizeHint().height());
    bar.setSample(sample);
    const QRect barRect = bar.barRect();
    QCOMPARE(barRect.width(), width - 8);
    QVERIFY(barRect.top() > 0); // below the title
    QVERIFY(barRect.bottom() < bar.height());

    const QList<PhaseBar::Segment> segments = bar.segments();
    QList<int> got;
    for (const PhaseBar::Segment &s : segments)
        got << s.phase;
    QCOMPARE(got, phases);

    double total = 0;
    for (int p = 0; p < PhaseBar::phaseCount; ++p)
        total += PhaseBar::phaseMs(sample, PhaseBar::Phase(p));
    QVERIFY(qAbs(total - sample.totalMs()) < 1e-9);

    int borrowers = 0; // phases under a pixel, widened to one at the expense of the widest
    for (const PhaseBar::Segment &s : segments)
        borrowers += barRect.width() * s.ms / total < 1;
    int x = barRect.left();
    int sum = 0;
    for (const PhaseBar::Segment &s : segments) {
        QCOMPARE(s.rect.left(), x); // contiguous, left to right
        QCOMPARE(s.rect.top(), barRect.top());
        QCOMPARE(s.rect.height(), barRect.height());
        QVERIFY2(s.rect.width() >= 1, qPrintable(PhaseBar::phaseName(s.phase)));
        QCOMPARE(s.ms, PhaseBar::phaseMs(sample, s.phase));
        // Proportional: within the rounding pixel, and the pixel a tiny phase may borrow.
        const double ideal = barRect.width() * s.ms / total;
        QVERIFY2(qAbs(s.rect.width() - ideal) < 1.0 + borrowers,
                 qPrintable(QStringLiteral("%1: %2 px for %3 px")
                                .arg(PhaseBar::phaseName(s.phase))
                                .arg(s.rect.width())
                                .arg(ideal)));
        x += s.rect.width();
        sum += s.rect.width();
    }
    QCOMPARE(sum, barRect.width());
}

void TestPhaseBar::labelsOnlyWhereTheyFit()
{
    PhaseBar bar;
    bar.resize(600, bar.sizeHint().height());
    bar.setSample(sample(0.3, 300, 290, 2));
    const QList<PhaseBar::Segment> segments = bar.segments();
    QCOMPARE(segments.size(), 4);
    QVERIFY(!segments[0].labelShown); // 0.3 ms of 592 ms: a sliver
    QVERIFY(segments[1].labelShown); // half the bar
    QVERIFY(segments[2].labelShown);
    QVERIFY(!segments[3].labelShown);
    const QFontMetrics fm = bar.fontMetrics();
    for (const PhaseBar::Segment &s : segments) {
        if (s.labelShown)
            QVERIFY(fm.horizontalAdvance(formatMs(s.ms)) < s.rect.width());
    }
}

void TestPhaseBar::legend()
{
    PhaseBar bar;
    bar.setSample(sample(0.3, 101, 50.1, 1.8));
    QCOMPARE(bar.legendTexts(),
             (QStringList {QStringLiteral("queue 0.30 ms"), QStringLiteral("connect+TLS 101.0 ms"),
                           QStringLiteral("wait 50.1 ms"), QStringLiteral("download 1.8 ms")}));
    bar.setSample(sample(0.3, 0, 50.1, 1.8, ConnectionKind::Reused));
    QCOMPARE(bar.legendTexts().at(1), QStringLiteral("connect+TLS 0.00 ms"));
}

void TestPhaseBar::clearAfterSample()
{
    PhaseBar bar;
    bar.setPalette(lightPalette());
    bar.resize(500, bar.sizeHint().height());
    bar.setSample(sample(1, 100, 50, 10));
    const QColor connect = PhaseBar::phaseColor(PhaseBar::Connect, bar.palette());
    QVERIFY(countPixels(bar.grab().toImage(), connect) > 100);

    bar.clear();
    QVERIFY(!bar.hasSample());
    QVERIFY(bar.titleText().isEmpty());
    QVERIFY(bar.segments().isEmpty());
    const QImage empty = bar.grab().toImage();
    QCOMPARE(countPixels(empty, connect), 0); // no bar
    // The empty text is drawn, centred: placeholder-coloured pixels in the middle third.
    const QImage middle = empty.copy(empty.width() / 3, 0, empty.width() / 3, empty.height());
    int inked = 0;
    const QRgb background = empty.pixel(1, 1);
    for (int y = 0; y < middle.height(); ++y) {
        for (int x = 0; x < middle.width(); ++x)
            inked += middle.pixel(x, y) != background;
    }
    QVERIFY(inked > 20);
}

void TestPhaseBar::sizeHint()
{
    PhaseBar bar;
    const QSize hint = bar.sizeHint();
    QVERIFY2(hint.height() >= 50 && hint.height() <= 90, qPrintable(QString::number(hint.height())));
    QVERIFY(bar.barRect().height() >= 18);
    // Title, bar and legend all fit in the hinted height.
    QVERIFY(bar.barRect().bottom() + bar.fontMetrics().height() < hint.height());
}

void TestPhaseBar::render_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestPhaseBar::render()
{
    QFETCH(bool, dark);
    PhaseBar bar;
    bar.setPalette(dark ? darkPalette() : lightPalette());
    bar.resize(520, bar.sizeHint().height());
    RequestSample s = sample(0.4, 101.2, 50.1, 1.8);
    bar.setSample(s);
    const QImage image = bar.grab().toImage();
    QCOMPARE(image.size(), bar.size() * image.devicePixelRatio());
    // Each segment is painted in its phase's colour (sampled away from its centred label).
    for (const PhaseBar::Segment &segment : bar.segments()) {
        if (segment.rect.width() < 6)
            continue;
        const QPoint probe = segment.rect.topLeft() + QPoint(3, 2);
        QCOMPARE(QColor(image.pixel(probe)).name(),
                 PhaseBar::phaseColor(segment.phase, bar.palette()).name());
    }
    // connect+TLS is what reuse saves: it must stand apart from the quiet phases.
    const QColor connect = PhaseBar::phaseColor(PhaseBar::Connect, bar.palette());
    const QColor queue = PhaseBar::phaseColor(PhaseBar::Queue, bar.palette());
    QVERIFY(connect.hsvSaturation() > 150);
    QVERIFY(queue.hsvSaturation() < 40);

    // A failed request renders too.
    s.error = NetError::Timeout;
    bar.setSample(s);
    QVERIFY(!bar.grab().isNull());
}

QTEST_MAIN(TestPhaseBar)
#include "tst_phasebar.moc"
