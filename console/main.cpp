// veza-console: the moderators' and on-call engineers' desktop console.
// Usage: veza-console [ws://host:port/]   (language follows the system locale: en, fr)
#include "MainWindow.h"
#include "VezaVersion.h"

#include <QApplication>
#include <QLocale>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    app.setApplicationName(QStringLiteral("veza-console"));
    app.setApplicationVersion(QLatin1StringView(veza::kVersion));

    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("veza-console"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        app.installTranslator(&translator);

    MainWindow window;
    window.show();
    const QStringList args = app.arguments();
    if (args.size() > 1)
        window.connectTo(QUrl(args.at(1)));
    return app.exec();
}
