// console_screenshots: renders each main view of the console to PNG files, in English and in
// French, against a live veza-server with a real stream (the real ffmpeg) and chat traffic, so
// anyone can look at the UI without running it: `packaging/dev screenshots [DIR]`. The widgets
// are the real ones, rendered offscreen (QWidget::grab), no X server needed. Not a test.
#include "ChatTestClient.h"
#include "ChecklistSession.h"
#include "ConnectDialog.h"
#include "ConsoleSession.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ListenIn.h"
#include "MainWindow.h"
#include "OncallDesk.h"
#include "OncallView.h"
#include "RoomsView.h"
#include "RunbookView.h"
#include "ServerProcess.h"
#include "ServerProfileOf.h"
#include "StreamsView.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTranslator>
#include <QUuid>

using namespace veza::testing;
using namespace veza::console;

namespace {

bool waitFor(const std::function<bool()> &condition, int ms = 15000)
{
    return QTest::qWaitFor(condition, ms);
}

qint64 say(ChatTestClient &client, const QString &body)
{
    return client
        .answerTo(client.request(QStringLiteral("send"),
                                 {{QStringLiteral("room"), QStringLiteral("lobby")},
                                  {QStringLiteral("body"), body},
                                  {QStringLiteral("client_msg_id"),
                                   QUuid::createUuid().toString(QUuid::WithoutBraces)}}))
        .value(u"message_id")
        .toInteger();
}

void save(QWidget *widget, const QString &path)
{
    QCoreApplication::processEvents();
    if (!widget->grab().save(path))
        qWarning("cannot write %s", qPrintable(path));
    else
        qInfo("%s", qPrintable(path));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("VezaScreenshots"));
    app.setApplicationName(QStringLiteral("veza-console"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("screenshots");

    // A rules file with a rule that holds at once, so the dashboard shows an alert firing.
    QDir().mkpath(QFileInfo(OncallDesk::userRulesPath()).path());
    QFile rules(OncallDesk::userRulesPath());
    if (rules.open(QIODevice::WriteOnly | QIODevice::Truncate))
        rules.write(
            "HighLatency  connections >= 0  for 0s  severity critical  runbook high-latency\n");
    rules.close();

    ServerProcess server;
    if (!server.start()) {
        qCritical("veza-server did not start: %s", qPrintable(server.diagnostics()));
        return 1;
    }
    const QByteArray dj = server.token(QStringLiteral("dj-ana"), QStringLiteral("broadcaster"));
    const QByteArray key = createStream(server, dj, QStringLiteral("night-shift"));
    HttpProbe(server.httpPort())
        .request("PATCH", "/api/streams/night-shift", R"({"title":"Night Shift"})", 5000,
                 "Authorization: Bearer " + dj + "\r\n");
    auto source = startTool(
        QStringLiteral("ffmpeg"),
        ffmpegSineSource(server.httpPort(), key, QStringLiteral("night-shift"), 600), true);
    RawClient listener(server.httpPort());
    listener.send(
        "GET /live/night-shift.mp3 HTTP/1.1\r\nHost: x\r\nUser-Agent: VLC/3.0.18\r\n\r\n");
    ChatTestClient alice, bob;
    for (auto [client, user] : {std::pair{&alice, "alice"}, std::pair{&bob, "bob"}}) {
        client->open(server.webSocketPort(), server.token(QLatin1StringView(user)));
        client->waitConnected();
        client->answerTo(client->request(QStringLiteral("join"),
                                         {{QStringLiteral("room"), QStringLiteral("lobby")}}));
    }
    say(alice, QStringLiteral("Good evening everyone!"));
    say(bob, QStringLiteral("Is the night shift on tonight?"));
    say(alice, QStringLiteral("Yes, starting now"));
    const qint64 spam = say(bob, QStringLiteral("buy cheap watches at example.com"));
    alice.answerTo(alice.request(QStringLiteral("report"),
                                 {{QStringLiteral("room"), QStringLiteral("lobby")},
                                  {QStringLiteral("message_id"), spam},
                                  {QStringLiteral("reason"), QStringLiteral("spam")}}));

    const ServerProfile profile = profileOf(server);
    const QByteArray moderator = server.token(QStringLiteral("mod-lea"), QStringLiteral("admin"));

    for (const QString &language : {QStringLiteral("en"), QStringLiteral("fr")}) {
        // As the console's main() does: the language's numbers, dates and times too.
        QLocale::setDefault(QLocale(language == u"fr" ? QLocale::French : QLocale::English,
                                    language == u"fr" ? QLocale::France : QLocale::UnitedStates));
        QTranslator translator;
        if (language != u"en" &&
            translator.load(
                QStringLiteral(VEZA_CONSOLE_QM_DIR "/veza-console_%1.qm").arg(language)))
            QCoreApplication::installTranslator(&translator);
        const QString dir = out + QLatin1Char('/') + language;
        QDir().mkpath(dir);
        {
            ConnectDialog dialog({profile});
            dialog.resize(560, 260);
            dialog.show();
            save(&dialog, dir + QStringLiteral("/connect-dialog.png"));
        }
        MainWindow window;
        window.resize(1400, 860);
        window.show();
        window.connectTo(profile, moderator);
        QTableView *streams = window.streamsView()->table();
        waitFor([&] { return streams->model()->rowCount() > 0; });
        streams->selectRow(0);
        QTest::qWait(3000); // meters, listeners and a few chart points
        window.tabs()->setCurrentIndex(0);
        save(&window, dir + QStringLiteral("/streams.png"));

        window.tabs()->setCurrentWidget(window.roomsView());
        window.roomsView()->showRoom(QStringLiteral("lobby"));
        waitFor([&] { return window.roomsView()->messagesTable()->model()->rowCount() >= 4; });
        save(&window, dir + QStringLiteral("/room.png"));

        window.tabs()->setCurrentIndex(2); // review queue
        save(&window, dir + QStringLiteral("/review-queue.png"));
        window.tabs()->setCurrentIndex(3); // audit log
        save(&window, dir + QStringLiteral("/audit-log.png"));
        window.tabs()->setCurrentWidget(window.oncallView());
        QTest::qWait(6000); // two rounds of figures, the alert firing
        save(&window, dir + QStringLiteral("/dashboard.png"));
        window.runbookView()->open(QStringLiteral("high-latency"));
        if (window.runbookView()->checklist())
            window.runbookView()->checklist()->markDone(0);
        window.runbookView()->addNote(QStringLiteral("p99 back under 50 ms after the scale-out"));
        window.tabs()->setCurrentWidget(window.runbookView());
        save(&window, dir + QStringLiteral("/runbook.png"));
        QCoreApplication::removeTranslator(&translator);
    }
    source->kill();
    source->waitForFinished(5000);
    QFile::remove(OncallDesk::userRulesPath());
    return 0;
}
