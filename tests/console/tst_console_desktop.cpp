// The console on a real X desktop (Xvfb with a system tray, through on-a-desktop.sh), where
// what the offscreen tests cannot see exists: an alert that starts firing raises a notification
// from the tray icon, with the alert's name, while the window is hidden; and the window's
// layout (size, docks, the work area in front) is the same at the next start.
#include "ConsoleSession.h"
#include "ListenIn.h"
#include "MainWindow.h"
#include "OncallDesk.h"
#include "OncallView.h"
#include "ServerProcess.h"
#include "ServerProfileOf.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QScopeGuard>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace veza::console;
using namespace veza::testing;

namespace {

// The text of the notification balloon on screen now (Qt draws it next to an XEmbed tray
// icon); empty when none is shown.
QString notificationOnScreen()
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (!widget->isVisible() || qstrcmp(widget->metaObject()->className(), "QBalloonTip"))
            continue;
        QStringList texts;
        for (const QLabel *label : widget->findChildren<QLabel *>())
            texts.append(label->text());
        return texts.join(u'\n');
    }
    return {};
}

} // namespace

class TestConsoleDesktop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QGuiApplication::platformName() == u"xcb",
                 "run through tests/console/on-a-desktop.sh (an X display with a tray)");
        QCoreApplication::setOrganizationName(QStringLiteral("VezaTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_console_desktop"));
        QSettings().clear();
        // The tray appears as on-a-desktop.sh starts it.
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 10000);
    }

    void anAlertRaisesATrayNotification()
    {
        // A rule that holds at once: HighLatency fires as soon as figures arrive.
        QDir().mkpath(QFileInfo(OncallDesk::userRulesPath()).path());
        QFile rules(OncallDesk::userRulesPath());
        QVERIFY(rules.open(QIODevice::WriteOnly | QIODevice::Truncate));
        rules.write(
            "HighLatency  connections >= 0  for 0s  severity critical  runbook high-latency\n");
        rules.close();
        const auto cleanup = qScopeGuard([] { QFile::remove(OncallDesk::userRulesPath()); });
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));

        MainWindow window;
        window.connectTo(profileOf(server),
                         server.token(QStringLiteral("ana"), QStringLiteral("admin")));
        // The window stays hidden (minimised to the tray): the notification is what tells.
        QVERIFY(!window.isVisible());
        QVERIFY(window.trayIcon()->isVisible());
        QVERIFY(!window.trayIcon()->icon().isNull());
        QTRY_VERIFY_WITH_TIMEOUT(notificationOnScreen().contains(u"HighLatency"), 20000);
        QVERIFY2(notificationOnScreen().contains(u"connections"),
                 qPrintable(notificationOnScreen()));
        QCOMPARE(window.oncallView()->alertsTable()->model()->rowCount(), 1);
    }

    void theLayoutIsKeptForTheNextStart()
    {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(900, 640);
            window.findChild<QDockWidget *>(QStringLiteral("streamDock"))->hide();
            window.tabs()->setCurrentIndex(3);
            QTRY_COMPARE(window.size(), QSize(900, 640));
            window.close();
        }
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(900, 640));
        QVERIFY(!again.findChild<QDockWidget *>(QStringLiteral("streamDock"))->isVisible());
        QCOMPARE(again.tabs()->currentIndex(), 3);
    }
};

QTEST_MAIN(TestConsoleDesktop)
#include "tst_console_desktop.moc"
