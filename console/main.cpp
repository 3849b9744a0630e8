// veza-console: the moderators' and on-call engineers' desktop console.
// Usage: veza-console [http://host:port]   (with VEZA_TOKEN set: connects at once; otherwise
// the connect dialog opens). The language follows the system locale (English, French), or the
// one chosen in View > Language, which applies at once.
#include "ConsoleIcon.h"
#include "ConsoleLanguage.h"
#include "MainWindow.h"
#include "VezaVersion.h"

#include <QApplication>
#include <QTimer>
#include <QUrl>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("Veza"));
    app.setApplicationName(QStringLiteral("veza-console"));
    app.setApplicationVersion(QLatin1StringView(veza::kVersion));
    app.setWindowIcon(veza::console::consoleIcon());

    // The system's language unless View > Language chose another (numbers and dates too).
    veza::console::ConsoleLanguage::apply();

    veza::console::MainWindow window;
    window.show();
    const QStringList args = app.arguments();
    const QByteArray token = qgetenv("VEZA_TOKEN");
    if (args.size() > 1 && !token.isEmpty()) {
        veza::console::ServerProfile profile;
        profile.baseUrl = veza::console::ServerProfile::normalizedBaseUrl(args.at(1));
        window.connectTo(profile, token);
    } else
        QTimer::singleShot(0, &window, &veza::console::MainWindow::showConnectDialog);
    return app.exec();
}
