#include "theme.h"

#include <QApplication>
#include <QStyle>
#include <QtTest>

class tst_Theme : public QObject
{
    Q_OBJECT

private slots:
    void names_data();
    void names();
    void darkThenBackToTheSystem();
    void gainAndLossReadOnBoth();
};

void tst_Theme::names_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Theme::Choice>("choice");
    QTest::addColumn<QString>("back");
    QTest::newRow("light") << "light" << Theme::Choice::Light << "light";
    QTest::newRow("dark") << "dark" << Theme::Choice::Dark << "dark";
    QTest::newRow("system") << "system" << Theme::Choice::System << "system";
    QTest::newRow("unknown") << "Dark!" << Theme::Choice::System << "system";
    QTest::newRow("empty") << "" << Theme::Choice::System << "system";
}

void tst_Theme::names()
{
    QFETCH(QString, text);
    QFETCH(Theme::Choice, choice);
    QFETCH(QString, back);
    QCOMPARE(int(Theme::fromString(text)), int(choice));
    QCOMPARE(Theme::toString(choice), back);
}

void tst_Theme::darkThenBackToTheSystem()
{
    const QString systemStyle = QApplication::style()->name();
    const QColor systemBase = QApplication::palette().color(QPalette::Base);
    QCOMPARE(int(Theme::current()), int(Theme::Choice::System));

    Theme::apply(Theme::Choice::Dark);
    QCOMPARE(int(Theme::current()), int(Theme::Choice::Dark));
    QVERIFY(Theme::isDark(QApplication::palette()));
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));

    Theme::apply(Theme::Choice::Light);
    QVERIFY(!Theme::isDark(QApplication::palette()));

    Theme::apply(Theme::Choice::System);
    QCOMPARE(int(Theme::current()), int(Theme::Choice::System));
    QCOMPARE(QApplication::style()->name(), systemStyle);
    QCOMPARE(QApplication::palette().color(QPalette::Base), systemBase);
}

void tst_Theme::gainAndLossReadOnBoth()
{
    for (Theme::Choice choice : {Theme::Choice::Light, Theme::Choice::Dark}) {
        Theme::apply(choice);
        const QPalette palette = QApplication::palette();
        const QColor base = palette.color(QPalette::Base);
        for (const QColor &colour : {Theme::gain(palette), Theme::loss(palette)}) {
            // WCAG contrast of at least 3:1 against the table's background.
            const auto luminance = [](const QColor &c) {
                const auto channel = [](double v) {
                    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
                };
                return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                    + 0.0722 * channel(c.blueF());
            };
            const double a = luminance(colour), b = luminance(base);
            const double contrast = (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
            QVERIFY2(
                contrast >= 3.0,
                qPrintable(QStringLiteral("%1 on %2: %3").arg(colour.name(), base.name()).arg(contrast)));
        }
        QVERIFY(Theme::gain(palette) != Theme::loss(palette));
    }
    Theme::apply(Theme::Choice::System);
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
