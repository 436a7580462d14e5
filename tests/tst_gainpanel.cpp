#include "gainpanel.h"
#include "models/format.h"
#include "models/gainreport.h"
#include "models/latencylog.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLayout>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

#include <cmath>

// GainPanel shows a GainReport: the numbers it holds, formatted, and the hint only when one arm is missing.
class tst_GainPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void formats_data();
    void formats();
    void showsTheReport();
    void noGain();
    void noVerdictFromTheFirstCalls_data();
    void noVerdictFromTheFirstCalls();
    void hintOnlyWithOneArm_data();
    void hintOnlyWithOneArm();
    void fromALog();
    void rendersInLightAndDark_data();
    void rendersInLightAndDark();

private:
    QString text(const GainPanel &panel, const char *name);
    QPalette m_light;
};

namespace {

const QChar nnbsp(0x202F);
constexpr qint64 now = 1'700'000'000'000;

// 412 pooled calls at 52.5 ms against 398 no-reuse at 160.7 ms: 3.06×, 108.2 ms saved.
GainReport sampleReport()
{
    GainReport r;
    r.nowMs = now;
    r.pooled = {412, 52.5, 60.1, 0.4};
    r.noReuse = {398, 160.7, 190.0, 107.9};
    r.speedup = 160.7 / 52.5;
    r.msSavedPerCall = 160.7 - 52.5;
    r.pooledTotal.requests = 1452;
    r.pooledTotal.connectionsOpened = 12;
    r.pooledTotal.reused = 1440;
    r.noReuseTotal.requests = 1400;
    r.noReuseTotal.connectionsOpened = 1400;
    HostReuse bitunix;
    bitunix.host = QStringLiteral("fapi.bitunix.com:443");
    bitunix.exchange = QStringLiteral("bitunix");
    bitunix.pooled.requests = 1000;
    bitunix.pooled.reused = 990;
    HostReuse other;
    other.host = QStringLiteral("127.0.0.1:4433");
    other.pooled.requests = 452;
    other.pooled.reused = 450;
    r.hosts = {bitunix, other};
    r.callsInRateSpan = 240;
    r.rateSpanMs = 300'000;
    r.callsPerMinute = 48;
    r.secondsSavedPerDay = 150;
    OpenConnectionEstimate h2;
    h2.host = bitunix.host;
    h2.exchange = bitunix.exchange;
    h2.count = 1;
    h2.http2 = true;
    h2.ageMs = 252'000;
    OpenConnectionEstimate h1;
    h1.host = QStringLiteral("api.hyperliquid.xyz:443");
    h1.exchange = QStringLiteral("hyperliquid");
    h1.count = 3;
    h1.ageMs = 42'500;
    r.openConnections = {h2, h1};
    return r;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

// WCAG contrast ratio.
double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

void tst_GainPanel::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    m_light = QApplication::style()->standardPalette();
    QApplication::setPalette(m_light);
}

void tst_GainPanel::cleanup()
{
    QApplication::setPalette(m_light);
}

QString tst_GainPanel::text(const GainPanel &panel, const char *name)
{
    const auto *label = panel.findChild<QLabel *>(QLatin1String(name));
    if (!label)
        qFatal("no label %s", name);
    // No-break spaces keep an entry on one line; the words are the same.
    return QString(label->text()).replace(QChar(0x00A0), QLatin1Char(' '));
}

void tst_GainPanel::formats_data()
{
    QTest::addColumn<QString>("actual");
    QTest::addColumn<QString>("expected");
    QTest::newRow("speedup") << GainPanel::formatSpeedup(2.94) << QStringLiteral("2.9×");
    QTest::newRow("speedup 3.06") << GainPanel::formatSpeedup(160.7 / 52.5) << QStringLiteral("3.1×");
    QTest::newRow("speedup 12.4") << GainPanel::formatSpeedup(12.4) << QStringLiteral("12×");
    QTest::newRow("speedup NaN") << GainPanel::formatSpeedup(std::nan("")) << absentText();
    QTest::newRow("saved 105") << GainPanel::formatSavedMs(104.6) << QStringLiteral("105 ms");
    QTest::newRow("saved 4.2") << GainPanel::formatSavedMs(4.21) << QStringLiteral("4.2 ms");
    QTest::newRow("saved 1.2 s") << GainPanel::formatSavedMs(1234) << QStringLiteral("1.23 s");
    QTest::newRow("per day 4.2 s") << GainPanel::formatPerDay(4.24) << QStringLiteral("4.2 s/day");
    QTest::newRow("per day 42 s") << GainPanel::formatPerDay(42.4) << QStringLiteral("42 s/day");
    QTest::newRow("per day 2.5 min") << GainPanel::formatPerDay(150) << QStringLiteral("2.5 min/day");
    QTest::newRow("per day 2.0 h") << GainPanel::formatPerDay(7257.6) << QStringLiteral("2.0 h/day");
    QTest::newRow("rate 48") << GainPanel::formatRate(48) << QStringLiteral("48 calls/min");
    QTest::newRow("rate 9.6") << GainPanel::formatRate(9.6) << QStringLiteral("9.6 calls/min");
    QTest::newRow("rate 1200") << GainPanel::formatRate(1200.2)
                               << QStringLiteral("1") + nnbsp + QStringLiteral("200 calls/min");
    QTest::newRow("age 42 s") << GainPanel::formatAge(42'500) << QStringLiteral("42 s");
    QTest::newRow("age 4 min") << GainPanel::formatAge(252'000) << QStringLiteral("4 min 12 s");
    QTest::newRow("age 1 h") << GainPanel::formatAge(3'900'000) << QStringLiteral("1 h 05 min");
    QTest::newRow("reuse all") << GainPanel::formatReuseRate(5, 5) << QStringLiteral("100 %");
    QTest::newRow("reuse 451/452") << GainPanel::formatReuseRate(451, 452) << QStringLiteral("99.7 %");
    QTest::newRow("reuse none") << GainPanel::formatReuseRate(0, 3) << QStringLiteral("0.0 %");
    QTest::newRow("reuse no calls") << GainPanel::formatReuseRate(0, 0) << absentText();
    QTest::newRow("count") << GainPanel::formatCount(1440)
                           << QStringLiteral("1") + nnbsp + QStringLiteral("440");
    QTest::newRow("host by exchange")
        << GainPanel::hostLabel(QStringLiteral("fapi.bitunix.com:443"), QStringLiteral("bitunix"))
        << QStringLiteral("Bitunix");
    QTest::newRow("host without exchange") << GainPanel::hostLabel(QStringLiteral("fapi.bitunix.com:443"), {})
                                           << QStringLiteral("fapi.bitunix.com");
    QTest::newRow("host other port") << GainPanel::hostLabel(QStringLiteral("127.0.0.1:4433"), {})
                                     << QStringLiteral("127.0.0.1:4433");
}

void tst_GainPanel::formats()
{
    QFETCH(QString, actual);
    QFETCH(QString, expected);
    QCOMPARE(actual, expected);
}

void tst_GainPanel::showsTheReport()
{
    GainPanel panel;
    const GainReport report = sampleReport();
    panel.setReport(report);
    QCOMPARE(panel.report().pooled.count, 412);
    QCOMPARE(panel.report().msSavedPerCall, report.msSavedPerCall);
    QCOMPARE(text(panel, "headline"), QStringLiteral("Reuse is 3.1× faster · 108 ms saved per call"));
    QCOMPARE(panel.headlineText(), text(panel, "headline"));
    QCOMPARE(text(panel, "pooledP50"), QStringLiteral("52.5 ms"));
    QCOMPARE(text(panel, "pooledP95"), QStringLiteral("60.1 ms"));
    QCOMPARE(text(panel, "pooledConnect"), QStringLiteral("0.40 ms"));
    QCOMPARE(text(panel, "pooledCalls"), QStringLiteral("412"));
    QCOMPARE(text(panel, "noReuseP50"), QStringLiteral("160.7 ms"));
    QCOMPARE(text(panel, "noReuseP95"), QStringLiteral("190.0 ms"));
    QCOMPARE(text(panel, "noReuseConnect"), QStringLiteral("107.9 ms"));
    QCOMPARE(text(panel, "noReuseCalls"), QStringLiteral("398"));
    QCOMPARE(text(panel, "handshakesAvoided"), QStringLiteral("1") + nnbsp + QStringLiteral("440"));
    QCOMPARE(text(panel, "savedPerDay"), QStringLiteral("2.5 min/day at 48 calls/min"));
    QCOMPARE(text(panel, "reuseRates"), QStringLiteral("Bitunix 99.0 %\n127.0.0.1:4433 99.5 %"));
    QCOMPARE(text(panel, "openConnections"),
             QStringLiteral("Bitunix ≈1 (h2), oldest 4 min 12 s\nHyperliquid ≈3, oldest 42 s"));
    QVERIFY(text(panel, "openConnectionsCaption").contains(QStringLiteral("est.")));
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("openConnections"))
                ->toolTip()
                .contains(QStringLiteral("Estimated")));
    QCOMPARE(text(panel, "window"), QStringLiteral("Last 5 min · successful API calls"));
    QVERIFY(!panel.isHintShown());
    QVERIFY(panel.hintText().isEmpty());

    // A new report replaces every number.
    GainReport next = report;
    next.pooled = {27, 48.04, 51.0, 0};
    next.speedup = 160.7 / 48.04;
    next.msSavedPerCall = 160.7 - 48.04;
    next.secondsSavedPerDay = 42.4;
    next.callsPerMinute = 9.6;
    next.pooledTotal.requests = 20;
    next.pooledTotal.connectionsOpened = 2;
    next.hosts.clear();
    next.openConnections.clear();
    panel.setReport(next);
    QCOMPARE(panel.headlineText(), QStringLiteral("Reuse is 3.3× faster · 113 ms saved per call"));
    QCOMPARE(text(panel, "pooledP50"), QStringLiteral("48.0 ms"));
    QCOMPARE(text(panel, "pooledCalls"), QStringLiteral("27"));
    QCOMPARE(text(panel, "handshakesAvoided"), QStringLiteral("18"));
    QCOMPARE(text(panel, "savedPerDay"), QStringLiteral("42 s/day at 9.6 calls/min"));
    QCOMPARE(text(panel, "reuseRates"), absentText());
    QCOMPARE(text(panel, "openConnections"), QStringLiteral("none"));
}

void tst_GainPanel::noGain()
{
    GainPanel panel;
    GainReport report = sampleReport();
    report.pooled.p50 = 60;
    report.noReuse.p50 = 50;
    report.speedup = 50.0 / 60.0;
    report.msSavedPerCall = -10;
    report.secondsSavedPerDay = -10 * 48 * 1440 / 1000.0;
    panel.setReport(report);
    QCOMPARE(panel.headlineText(),
             QStringLiteral("No gain from reuse measured · 0.8× · 10 ms more per call"));
    QCOMPARE(text(panel, "savedPerDay"), QStringLiteral("none at 48 calls/min"));
}

void tst_GainPanel::noVerdictFromTheFirstCalls_data()
{
    QTest::addColumn<int>("pooledCalls");
    QTest::addColumn<int>("noReuseCalls");
    QTest::addColumn<QString>("headline");
    const QString measuring =
        QStringLiteral("Measuring: %1 pooled and %2 no-reuse calls so far, a verdict from 20 each");
    QTest::newRow("a few each") << 11 << 4 << measuring.arg(11).arg(4);
    QTest::newRow("pooled short by one") << 19 << 400 << measuring.arg(19).arg(400);
    QTest::newRow("no-reuse short by one") << 400 << 19 << measuring.arg(400).arg(19);
    QTest::newRow("enough") << 20 << 20 << QStringLiteral("Reuse is 3.1× faster · 108 ms saved per call");
}

void tst_GainPanel::noVerdictFromTheFirstCalls()
{
    // Right after launch the pooled arm's median is its first calls' handshakes: no verdict either way yet,
    // and the figures are still shown.
    QFETCH(int, pooledCalls);
    QFETCH(int, noReuseCalls);
    QFETCH(QString, headline);
    GainReport report = sampleReport();
    report.pooled.count = pooledCalls;
    report.noReuse.count = noReuseCalls;
    GainPanel panel;
    panel.setReport(report);
    QCOMPARE(panel.headlineText(), headline);
    QCOMPARE(text(panel, "pooledCalls"), QString::number(pooledCalls));
    const bool enough = pooledCalls >= 20 && noReuseCalls >= 20;
    QCOMPARE(text(panel, "savedPerDay").startsWith(QStringLiteral("measuring (")), !enough);
    QCOMPARE(text(panel, "noReuseP50"), QStringLiteral("160.7 ms"));
}

void tst_GainPanel::hintOnlyWithOneArm_data()
{
    QTest::addColumn<bool>("pooled");
    QTest::addColumn<bool>("noReuse");
    QTest::addColumn<QString>("headline");
    QTest::newRow("both") << true << true << QStringLiteral("Reuse is 3.1× faster · 108 ms saved per call");
    QTest::newRow("pooled only") << true << false
                                 << QStringLiteral(
                                        "Pooled: 52.5 ms per call (p50), nothing to compare with yet");
    QTest::newRow("no-reuse only") << false << true
                                   << QStringLiteral(
                                          "No reuse: 160.7 ms per call (p50), nothing to compare with yet");
    QTest::newRow("none") << false << false << QStringLiteral("No calls measured yet");
}

void tst_GainPanel::hintOnlyWithOneArm()
{
    QFETCH(bool, pooled);
    QFETCH(bool, noReuse);
    QFETCH(QString, headline);
    GainReport report = sampleReport();
    if (!pooled)
        report.pooled = {};
    if (!noReuse)
        report.noReuse = {};
    if (!report.bothArms()) {
        report.speedup = report.msSavedPerCall = report.secondsSavedPerDay = std::nan("");
    }
    GainPanel panel;
    panel.show(); // isVisibleTo() is the same hidden or shown; a shown panel also lays the hint out
    panel.setReport(report);
    QCOMPARE(panel.headlineText(), headline);
    const bool oneArm = pooled != noReuse;
    QCOMPARE(panel.isHintShown(), oneArm);
    QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("hint"))->isVisible(), oneArm);
    QCOMPARE(panel.hintText(), oneArm ? report.hint() : QString());
    if (oneArm)
        QVERIFY(panel.hintText().contains(QStringLiteral("Ctrl+3")));
    if (!report.bothArms()) {
        QCOMPARE(text(panel, "savedPerDay"), QStringLiteral("not measured yet (48 calls/min)"));
        QCOMPARE(text(panel, pooled ? "noReuseP50" : "pooledP50"), absentText());
    }
    // And back: a report with both arms hides it again.
    panel.setReport(sampleReport());
    QVERIFY(!panel.isHintShown());
}

void tst_GainPanel::fromALog()
{
    // The panel shows what GainReport::compute made, end to end.
    LatencyLog log;
    // count calls of one arm from startMs on, stepMs apart; the pooled arm's first call opens its connection.
    const auto append = [&log](ReuseMode arm, int count, qint64 startMs, qint64 stepMs, double ms) {
        RequestSample s;
        s.host = QStringLiteral("fapi.bitunix.com:443");
        s.exchange = QStringLiteral("bitunix");
        s.protocol = HttpProtocol::Http2;
        s.reuse = arm;
        s.finishedMs = ms;
        for (int i = 0; i < count; ++i) {
            const bool opens = arm == ReuseMode::NoReuse || (log.size() == 0 && i == 0);
            s.connection = opens ? ConnectionKind::New : ConnectionKind::Reused;
            s.connectionsOpened = opens ? 1 : 0;
            s.startedAtMsSinceEpoch = startMs + i * stepMs;
            log.append(s);
        }
    };
    append(ReuseMode::Pooled, 10, now - 100'000, 10'000, 50);
    GainPanel panel;
    panel.setReport(GainReport::compute(log, now));
    QVERIFY(panel.isHintShown());
    QVERIFY(panel.hintText().contains(QStringLiteral("No reuse (Ctrl+2)")));
    QCOMPARE(text(panel, "pooledCalls"), QStringLiteral("10"));
    QCOMPARE(text(panel, "handshakesAvoided"), QStringLiteral("9"));
    QCOMPARE(text(panel, "reuseRates"), QStringLiteral("Bitunix 90.0 %"));
    QCOMPARE(text(panel, "openConnections"), QStringLiteral("Bitunix ≈1 (h2), oldest 1 min 40 s"));

    append(ReuseMode::NoReuse, 10, now - 95'000, 4'000, 150);
    panel.setReport(GainReport::compute(log, now));
    QVERIFY(!panel.isHintShown());
    QCOMPARE(panel.headlineText(),
             QStringLiteral("Measuring: 10 pooled and 10 no-reuse calls so far, a verdict from 20 each"));

    append(ReuseMode::Pooled, 10, now - 93'000, 4'000, 50);
    append(ReuseMode::NoReuse, 10, now - 95'000, 4'000, 150);
    panel.setReport(GainReport::compute(log, now));
    QCOMPARE(panel.headlineText(), QStringLiteral("Reuse is 3.0× faster · 100 ms saved per call"));
}

void tst_GainPanel::rendersInLightAndDark_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void tst_GainPanel::rendersInLightAndDark()
{
    QFETCH(bool, dark);
    const QPalette palette = dark ? darkPalette() : m_light;
    QApplication::setPalette(palette);

    // The colours the panel picks are legible on this palette (WCAG AA for text: 4.5:1).
    const QColor window = palette.color(QPalette::Window);
    QVERIFY2(contrast(GainPanel::gainColor(palette), window) >= 4.5,
             qPrintable(QString::number(contrast(GainPanel::gainColor(palette), window))));

    for (const auto &[oneArm, width] : {std::pair {false, 640}, {true, 640}, {false, 400}}) {
        GainPanel panel;
        GainReport report = sampleReport();
        if (oneArm) {
            report.noReuse = {};
            report.speedup = report.msSavedPerCall = report.secondsSavedPerDay = std::nan("");
        }
        panel.setReport(report);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.resize(width, 1000);
        QCoreApplication::sendPostedEvents();
        panel.layout()->activate();
        const int height = panel.layout()->hasHeightForWidth() ? panel.layout()->totalHeightForWidth(width)
                                                               : panel.sizeHint().height();
        panel.resize(width, height);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(panel.width(), width); // it fits a narrow dock
        const QImage image = panel.grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= width);

        // The background follows the palette, and the gain headline is drawn in the gain colour.
        QCOMPARE(image.pixelColor(2, image.height() - 2).rgb(), window.rgb());
        const auto *headline = panel.findChild<QLabel *>(QStringLiteral("headline"));
        QCOMPARE(headline->palette().color(QPalette::WindowText),
                 oneArm ? palette.color(QPalette::WindowText) : GainPanel::gainColor(palette));
        const QRect headlineRect = headline->geometry();
        int gainPixels = 0;
        for (int y = headlineRect.top(); y <= headlineRect.bottom(); ++y) {
            for (int x = headlineRect.left(); x <= headlineRect.right(); ++x) {
                if (image.pixelColor(x, y).rgb() == GainPanel::gainColor(palette).rgb())
                    ++gainPixels;
            }
        }
        QCOMPARE(gainPixels > 20, !oneArm);
        // Every label's text colour is legible on the window (captions included).
        for (const QLabel *label : panel.findChildren<QLabel *>()) {
            const double ratio = contrast(label->palette().color(QPalette::WindowText), window);
            QVERIFY2(ratio >= 3.0, qPrintable(label->objectName() + QLatin1Char(' ') + label->text()));
        }
        // Nothing is cut off: the panel fits its size hint.
        QVERIFY(panel.height() >= panel.minimumSizeHint().height());

        const QString dir = qEnvironmentVariable("EXDASH_GRAB_DIR");
        if (!dir.isEmpty()) {
            const QString name = QStringLiteral("gainpanel-%1%2-%3.png")
                                     .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"),
                                          oneArm ? QStringLiteral("-one-arm") : QString())
                                     .arg(width);
            QVERIFY(image.save(QDir(dir).filePath(name)));
        }
    }
}

QTEST_MAIN(tst_GainPanel)
#include "tst_gainpanel.moc"
