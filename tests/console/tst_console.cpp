// The console as a moderator meets it: connect to a real veza-server, see it answer, see it
// go away on shutdown, in English and in French.
#include "ConnectDialog.h"
#include "MainWindow.h"
#include "ServerConnection.h"
#include "ServerProcess.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QTest>
#include <QTranslator>
#include <csignal>

using veza::testing::ServerProcess;

namespace {
QString activityLog(const MainWindow &window)
{
    auto *log = window.findChild<QListWidget *>(QStringLiteral("activityLog"));
    QStringList lines;
    for (int i = 0; log && i < log->count(); ++i)
        lines.append(log->item(i)->text());
    return lines.join(u'\n');
}

QString connectionState(const MainWindow &window)
{
    auto *label = window.findChild<QLabel *>(QStringLiteral("connectionState"));
    return label ? label->text() : QString();
}
} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectDialogValidatesAddresses_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("ws") << "ws://127.0.0.1:8081/" << true;
        QTest::newRow("wss") << "wss://veza.example:443/" << true;
        QTest::newRow("http") << "http://127.0.0.1:8080/" << false;
        QTest::newRow("no host") << "ws://" << false;
        QTest::newRow("garbage") << "not a url at all" << false;
    }

    void connectDialogValidatesAddresses()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        QCOMPARE(ConnectDialog::validate(QUrl(url)).isEmpty(), accepted);
    }

    void connectsToTheServerAndSeesItLeave()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        MainWindow window;
        window.show();
        window.connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.webSocketPort())));
        QTRY_VERIFY(connectionState(window).startsWith(QStringLiteral("Connected to")));
        QTRY_VERIFY2(activityLog(window).contains(QStringLiteral("Server answered in")),
                     qPrintable(activityLog(window)));

        server.sendSignal(SIGTERM);
        QTRY_VERIFY2(
            activityLog(window).contains(QStringLiteral("Disconnected: server shutting down")),
            qPrintable(activityLog(window)));
        QCOMPARE(connectionState(window), QStringLiteral("Not connected"));
        QVERIFY(server.waitForExit(15000));
    }

    void speaksFrench()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(VEZA_CONSOLE_QM_DIR "/veza-console_fr.qm")));
        QCoreApplication::installTranslator(&translator);
        {
            MainWindow window;
            QCOMPARE(window.windowTitle(), QStringLiteral("Console Veza"));
            QCOMPARE(connectionState(window), QStringLiteral("Non connecté"));
            QCOMPARE(ConnectDialog::validate(QUrl(QStringLiteral("http://x/"))),
                     QStringLiteral("L’adresse doit commencer par ws:// ou wss://"));
        }
        QCoreApplication::removeTranslator(&translator);
    }
};

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
