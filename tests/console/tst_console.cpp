// The console as a moderator meets it, with its real widgets (offscreen) against a real
// veza-server and the real ffmpeg as a broadcaster: connecting (and a token refused), each
// channel's state in the status bar, a live stream appearing in the table with its title and
// owner, its listener count following a listener, the listener disconnected from the stream
// panel (and the kick in the audit log), the server's shutdown seen and retried; in English and
// French.
#include "ConnectDialog.h"
#include "ConnectionIndicators.h"
#include "ConsoleSession.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "MainWindow.h"
#include "ServerProcess.h"
#include "StreamListenersModel.h"
#include "StreamPanel.h"
#include "StreamsModel.h"
#include "StreamsView.h"

#include <QApplication>
#include <QJsonArray>
#include <QTableView>
#include <QTest>
#include <QTranslator>
#include <csignal>

using namespace veza::testing;
using namespace veza::console;

namespace {

// The test server's ports are picked by the system: WS_PORT is not PORT + 1.
ServerProfile profileOf(const ServerProcess &server)
{
    ServerProfile profile;
    profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.httpPort()));
    profile.webSocketOverride =
        QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.webSocketPort()));
    profile.metricsOverride =
        QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(server.metricsPort()));
    return profile;
}

// The cell of `stream`'s row in the streams table, as shown.
QString cell(const MainWindow &window, const QString &stream, int column)
{
    const QAbstractItemModel *model = window.streamsView()->table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, StreamsModel::Name).data().toString() == stream)
            return model->index(row, column).data().toString();
    }
    return {};
}

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("VezaTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_console"));
    }

    void profilesDeriveTheirAddresses()
    {
        ServerProfile profile;
        profile.baseUrl = ServerProfile::normalizedBaseUrl(QStringLiteral("10.0.0.5"));
        QCOMPARE(profile.baseUrl, QUrl(QStringLiteral("http://10.0.0.5:8080")));
        QCOMPARE(profile.webSocketUrl(QStringLiteral("/monitor")),
                 QUrl(QStringLiteral("ws://10.0.0.5:8081/monitor")));
        QCOMPARE(profile.metricsUrl(), QUrl(QStringLiteral("http://10.0.0.5:9090/metrics")));
        profile.baseUrl = QUrl(QStringLiteral("https://veza.example.org"));
        QCOMPARE(profile.webSocketUrl(QStringLiteral("/chat")),
                 QUrl(QStringLiteral("wss://veza.example.org/chat")));
        profile.webSocketOverride = QUrl(QStringLiteral("wss://ws.example.org:8443"));
        QCOMPARE(profile.webSocketUrl(QStringLiteral("/chat")),
                 QUrl(QStringLiteral("wss://ws.example.org:8443/chat")));
        QVERIFY(profile.problem().isEmpty());
        profile.baseUrl = QUrl(QStringLiteral("ftp://x"));
        QVERIFY(!profile.problem().isEmpty());
        profile.baseUrl = QUrl();
        QVERIFY(!profile.problem().isEmpty());
    }

    void aListenersTokenIsRefused()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        MainWindow window;
        window.connectTo(profileOf(server), server.token(QStringLiteral("fan")));
        QTRY_VERIFY(window.indicators()->text(Channel::Http).contains(u"not a moderator"));
        QVERIFY(window.indicators()->text(Channel::Http).startsWith(u"HTTP: Disconnected"));
        QVERIFY(!window.session()->monitor()->isOpen());
    }

    void streamsListenersAndAKick()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame is needed");
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const QByteArray dj = server.token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray moderator =
            server.token(QStringLiteral("warden"), QStringLiteral("moderator"));
        QVERIFY(!createStream(server, dj, QStringLiteral("night")).isEmpty());
        HttpProbe(server.httpPort())
            .request("PATCH", "/api/streams/night", R"({"title":"Night Shift"})", 5000,
                     "Authorization: Bearer " + dj + "\r\n");
        const QByteArray key = HttpProbe(server.httpPort())
                                   .request("POST", "/api/streams/night/key", {}, 5000,
                                            "Authorization: Bearer " + dj + "\r\n")
                                   .json()
                                   .value(u"stream_key")
                                   .toString()
                                   .toLatin1();

        MainWindow window;
        window.show();
        window.connectTo(profileOf(server), moderator);
        QTRY_COMPARE(window.indicators()->text(Channel::Http), QStringLiteral("HTTP: Connected"));
        QTRY_COMPARE(window.indicators()->text(Channel::Monitor),
                     QStringLiteral("Monitor: Connected"));

        auto source =
            startTool(QStringLiteral("ffmpeg"),
                      ffmpegSineSource(server.httpPort(), key, QStringLiteral("night"), 30), true);
        QTRY_COMPARE_WITH_TIMEOUT(cell(window, u"night"_qs, StreamsModel::Title),
                                  QStringLiteral("Night Shift"), 10000);
        QCOMPARE(cell(window, u"night"_qs, StreamsModel::Owner), QStringLiteral("dj"));
        QCOMPARE(cell(window, u"night"_qs, StreamsModel::Listeners), QStringLiteral("0"));
        QTRY_COMPARE(cell(window, u"night"_qs, StreamsModel::Codec), QStringLiteral("mp3"));

        // A listener comes: the table follows within the second.
        RawClient listener(server.httpPort());
        listener.send(
            "GET /live/night HTTP/1.1\r\nHost: x\r\nUser-Agent: VezaTest/console\r\n\r\n");
        QTRY_COMPARE(cell(window, u"night"_qs, StreamsModel::Listeners), QStringLiteral("1"));
        QCOMPARE(cell(window, u"night"_qs, StreamsModel::Peak), QStringLiteral("1"));

        // Selected, the stream's panel lists it; disconnected from there.
        QTableView *streams = window.streamsView()->table();
        streams->selectRow(0);
        QCOMPARE(window.streamsView()->selectedStream(), QStringLiteral("night"));
        QTableView *listeners = window.streamPanel()->listenersTable();
        QTRY_COMPARE(listeners->model()->rowCount(), 1);
        QCOMPARE(listeners->model()->index(0, StreamListenersModel::UserAgent).data().toString(),
                 QStringLiteral("VezaTest/console"));
        listeners->selectRow(0);
        window.streamPanel()->kickSelected(QStringLiteral("testing the kick"));
        QTRY_COMPARE(listeners->model()->rowCount(), 0);
        QTRY_COMPARE(cell(window, u"night"_qs, StreamsModel::Listeners), QStringLiteral("0"));
        QCOMPARE(cell(window, u"night"_qs, StreamsModel::Peak), QStringLiteral("1"));
        QVERIFY(listener.waitForClose(2000));
        const QJsonArray audit = HttpProbe(server.httpPort())
                                     .get("/api/moderation/actions?action=kick_listener", 5000,
                                          "Authorization: Bearer " + moderator + "\r\n")
                                     .json()
                                     .value(u"actions")
                                     .toArray();
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0][u"reason"].toString(), QStringLiteral("testing the kick"));

        // The server stops: the feed says so and tries again.
        server.sendSignal(SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.indicators()->text(Channel::Monitor).contains(u"server shutting down"), 15000);
        QVERIFY(window.indicators()->text(Channel::Monitor).contains(u"retrying in"));
        QVERIFY(server.waitForExit(15000));
        source->kill();
        source->waitForFinished(5000);
    }

    void speaksFrench()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(VEZA_CONSOLE_QM_DIR "/veza-console_fr.qm")));
        QCoreApplication::installTranslator(&translator);
        {
            MainWindow window;
            QCOMPARE(window.windowTitle(), QStringLiteral("Console Veza"));
            QCOMPARE(window.indicators()->text(Channel::Monitor),
                     QStringLiteral("Supervision : Déconnecté"));
            QCOMPARE(window.streamsView()->table()->model()->headerData(StreamsModel::Listeners,
                                                                        Qt::Horizontal),
                     QVariant(QStringLiteral("Auditeurs")));
            ServerProfile profile;
            QCOMPARE(profile.problem(),
                     QStringLiteral("Saisissez l’adresse du serveur, par exemple "
                                    "http://127.0.0.1:8080"));
        }
        QCoreApplication::removeTranslator(&translator);
    }
};

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
