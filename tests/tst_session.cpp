#include "refresh/session.h"

#include <QTest>

// Session against the demo seam alone: this test links exdash_core without the simulator, so the live code
// path building and linking without exdash_sim is checked on every build.
class tst_Session : public QObject
{
    Q_OBJECT

private slots:
    void demoWithoutASimulatorIsAClearError();
    void demoUsesWhatTheStarterHandsBack();
    void aStarterThatFailsSaysWhy();
    void rttChangesReachTheSimulator();
    void liveNeedsNoSimulator();
};

namespace {

constexpr char address[] = "0x0123456789abcdef0123456789abcdef01234567";

class FakeExchanges : public DemoExchanges
{
public:
    explicit FakeExchanges(QList<double> *rtts)
        : m_rtts(rtts)
    { }
    DemoEndpoints endpoints() const override
    {
        return {QUrl(QStringLiteral("https://127.0.0.1:4001")),
                QUrl(QStringLiteral("https://127.0.0.1:4002")),
                QSslCertificate(),
                "demo-key",
                "demo-secret",
                QString::fromLatin1(address)};
    }
    void setRttMs(double ms) override { m_rtts->append(ms); }
    double cpuMs() const override { return 0; }

private:
    QList<double> *m_rtts;
};

SessionConfig demo()
{
    SessionConfig config;
    config.demo = true;
    config.exsim.rttMs = 7;
    return config;
}

} // namespace

void tst_Session::demoWithoutASimulatorIsAClearError()
{
    Session session;
    QString error;
    QVERIFY(!session.start(demo(), &error));
    QVERIFY2(error.contains(QLatin1String("demo mode is not available")), qPrintable(error));
    QVERIFY(!session.demo());
}

void tst_Session::demoUsesWhatTheStarterHandsBack()
{
    QList<double> rtts;
    DemoConfig asked;
    int starts = 0;
    Session session([&](const DemoConfig &config, QString *) -> std::unique_ptr<DemoExchanges> {
        asked = config;
        ++starts;
        return std::make_unique<FakeExchanges>(&rtts);
    });
    QString error;
    QVERIFY2(session.start(demo(), &error), qPrintable(error));
    QCOMPARE(starts, 1);
    QCOMPARE(asked.rttMs, 7.0);
    QVERIFY(session.demo());
    QCOMPARE(session.bitunix()->baseUrl(), QUrl(QStringLiteral("https://127.0.0.1:4001")));
    QCOMPARE(session.hyperliquid()->baseUrl(), QUrl(QStringLiteral("https://127.0.0.1:4002")));
    QVERIFY(session.bitunix()->hasCredentials());
    QCOMPARE(session.hyperliquid()->address(), QString::fromLatin1(address));
    QCOMPARE(session.clients().size(), 2);
}

void tst_Session::aStarterThatFailsSaysWhy()
{
    Session session([](const DemoConfig &, QString *error) -> std::unique_ptr<DemoExchanges> {
        *error = QStringLiteral("port 4001 is taken");
        return nullptr;
    });
    QString error;
    QVERIFY(!session.start(demo(), &error));
    QCOMPARE(error, QStringLiteral("port 4001 is taken"));
}

void tst_Session::rttChangesReachTheSimulator()
{
    QList<double> rtts;
    Session session([&](const DemoConfig &, QString *) -> std::unique_ptr<DemoExchanges> {
        return std::make_unique<FakeExchanges>(&rtts);
    });
    QVERIFY(session.start(demo()));
    session.setDemoRttMs(120);
    QCOMPARE(rtts, QList<double> {120});
    QCOMPARE(session.config().exsim.rttMs, 120.0);
}

void tst_Session::liveNeedsNoSimulator()
{
    SessionConfig config;
    config.demo = false;
    config.bitunixUrl = QUrl(QStringLiteral("https://bitunix.invalid"));
    config.hyperliquidAddress = QString::fromLatin1(address);
    Session session;
    QString error;
    QVERIFY2(session.start(config, &error), qPrintable(error));
    QVERIFY(!session.demo());
    QCOMPARE(session.bitunix()->baseUrl(), config.bitunixUrl);
    QVERIFY(!session.bitunix()->hasCredentials());

    config.hyperliquidAddress = QStringLiteral("0x12");
    Session wrong;
    QVERIFY(!wrong.start(config, &error));
    QVERIFY2(error.contains(QLatin1String("not a Hyperliquid address")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
