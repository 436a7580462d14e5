#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("exdash"));
    QApplication::setOrganizationName(QStringLiteral("exdash"));
    QApplication::setApplicationVersion(QStringLiteral(EXDASH_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Bitunix and Hyperliquid dashboard that measures what connection reuse saves."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save the window as a PNG image and exit."),
                                        QStringLiteral("file"));
    const QCommandLineOption after(QStringLiteral("after"),
                                   QStringLiteral("Seconds to wait before --screenshot (default 20)."),
                                   QStringLiteral("seconds"), QStringLiteral("20"));
    parser.addOptions({screenshot, after});
    parser.process(app);

    MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(int(parser.value(after).toDouble() * 1000), &window, [&window, file] {
            if (!window.grab().save(file, "PNG")) {
                std::fprintf(stderr, "exdash: cannot write %s\n", qPrintable(file));
                QApplication::exit(1);
                return;
            }
            QApplication::quit();
        });
    }
    return app.exec();
}
