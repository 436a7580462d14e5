#include "config/credentialstore.h"

#include <QSignalSpy>
#include <QTest>

// CredentialStore: the environment first, else the keychain. CI has no keychain service (no D-Bus session
// bus), which is exactly the failure path a headless machine takes.
class tst_CredentialStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void environmentTakesPrecedence();
    void incompleteEnvironment_data();
    void incompleteEnvironment();
    void keychainFailureIsReportedOnce();
    void saveFailsWithAReason();

private:
    // A service name of the test's own, so that a machine with a keychain never sees its real entry touched.
    const QString m_service = QStringLiteral("exdash-tst-credentialstore");
};

void tst_CredentialStore::initTestCase()
{
    // Headless: no session bus, whatever the developer's shell has (CTest also sets this, see
    // CMakeLists.txt).
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qRegisterMetaType<BitunixCredentials>();
}

void tst_CredentialStore::init()
{
    qunsetenv("BITUNIX_API_KEY");
    qunsetenv("BITUNIX_API_SECRET");
}

void tst_CredentialStore::cleanup()
{
    init();
}

void tst_CredentialStore::environmentTakesPrecedence()
{
    qputenv("BITUNIX_API_KEY", "  env-key ");
    qputenv("BITUNIX_API_SECRET", "env-secret\n");
    CredentialStore store(m_service);
    QSignalSpy loaded(&store, &CredentialStore::bitunixLoaded);
    QSignalSpy failed(&store, &CredentialStore::keychainFailed);
    store.loadBitunix();
    QCOMPARE(loaded.size(), 1); // synchronously: no keychain involved
    const auto credentials = loaded.first().first().value<BitunixCredentials>();
    QCOMPARE(credentials.apiKey, QByteArray("env-key"));
    QCOMPARE(credentials.secret, QByteArray("env-secret"));
    QCOMPARE(credentials.source, QStringLiteral("environment"));
    QVERIFY(credentials.isComplete());
    QCOMPARE(failed.size(), 0);
    QVERIFY(!store.keychainUnavailable());
    QCOMPARE(CredentialStore::fromEnvironment().apiKey, QByteArray("env-key"));
}

void tst_CredentialStore::incompleteEnvironment_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("key only") << QByteArray("env-key") << QByteArray();
    QTest::newRow("secret only") << QByteArray() << QByteArray("env-secret");
    QTest::newRow("blank secret") << QByteArray("env-key") << QByteArray("   ");
}

void tst_CredentialStore::incompleteEnvironment()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, secret);
    if (!key.isNull())
        qputenv("BITUNIX_API_KEY", key);
    if (!secret.isNull())
        qputenv("BITUNIX_API_SECRET", secret);
    const BitunixCredentials environment = CredentialStore::fromEnvironment();
    QVERIFY(!environment.isComplete());
    QVERIFY(environment.apiKey.isEmpty() && environment.secret.isEmpty()); // half a pair is not kept
    QVERIFY(environment.source.isEmpty());

    // Then the keychain is asked, and (here) has nothing: empty credentials, and no half pair either.
    CredentialStore store(m_service);
    QSignalSpy loaded(&store, &CredentialStore::bitunixLoaded);
    store.loadBitunix();
    QVERIFY(loaded.size() == 1 || loaded.wait(30'000));
    QCOMPARE(loaded.size(), 1);
    const auto credentials = loaded.first().first().value<BitunixCredentials>();
    QVERIFY(!credentials.isComplete());
    QVERIFY(credentials.apiKey.isEmpty() && credentials.secret.isEmpty());
    QVERIFY(credentials.source.isEmpty());
}

void tst_CredentialStore::keychainFailureIsReportedOnce()
{
    CredentialStore store(m_service);
    QSignalSpy loaded(&store, &CredentialStore::bitunixLoaded);
    QSignalSpy failed(&store, &CredentialStore::keychainFailed);
    for (int attempt = 1; attempt <= 2; ++attempt) {
        store.loadBitunix();
        while (loaded.size() < attempt)
            QVERIFY2(loaded.wait(30'000), "the keychain job never finished");
        const auto credentials = loaded.last().first().value<BitunixCredentials>();
        QVERIFY(!credentials.isComplete());
        QVERIFY(credentials.apiKey.isEmpty() && credentials.secret.isEmpty() && credentials.source.isEmpty());
    }
    QCOMPARE(loaded.size(), 2);
    QCOMPARE(failed.size(), 1); // said once per store, not per load
    const QString reason = failed.first().first().toString();
    qInfo("keychain failure: %s", qPrintable(reason));
    QVERIFY(!reason.isEmpty());
    QVERIFY(store.keychainUnavailable());
    QCOMPARE(store.keychainError(), reason);
}

void tst_CredentialStore::saveFailsWithAReason()
{
    CredentialStore store(m_service);
    QSignalSpy saved(&store, &CredentialStore::saveFinished);
    QSignalSpy failed(&store, &CredentialStore::keychainFailed);
    store.saveBitunix("tst-key", "tst-secret-never-stored");
    QVERIFY(saved.size() == 1 || saved.wait(30'000));
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().at(0).toBool(), false);
    const QString error = saved.first().at(1).toString();
    qInfo("keychain save error: %s", qPrintable(error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!error.contains(QLatin1String("tst-secret-never-stored")));
    QCOMPARE(failed.size(), 1);
    QVERIFY(store.keychainUnavailable());

    // A load after a failed save reports nothing new, and the pair that was not saved does not come back
    // from anywhere (no in-memory fallback).
    QSignalSpy loaded(&store, &CredentialStore::bitunixLoaded);
    store.loadBitunix();
    QVERIFY(loaded.size() == 1 || loaded.wait(30'000));
    QCOMPARE(failed.size(), 1);
    const auto credentials = loaded.first().first().value<BitunixCredentials>();
    QVERIFY(!credentials.isComplete());
    QVERIFY(credentials.apiKey.isEmpty() && credentials.secret.isEmpty() && credentials.source.isEmpty());
}

QTEST_GUILESS_MAIN(tst_CredentialStore)
#include "tst_credentialstore.moc"
