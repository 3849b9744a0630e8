// Listener history against the real binary with the real ffmpeg: two HTTP listeners of a live
// MP3 stream (its own bytes and the Opus rendition) are written to listener_sessions when they
// go, with their user agent, address, bytes, duration and why they ended, linked to the
// broadcast's stream_sessions row, whose peak counts both; GET /api/streams/{name}/listeners
// pages them for the owner, admins and moderators and refuses anyone else; ?live=1 lists the
// listeners connected now, and DELETE .../listeners/{id} disconnects one (audited for a
// moderator); a graceful shutdown writes the listeners it cut.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"
#include "WebSocketTestClient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <csignal>
#include <poll.h>
#include <sys/socket.h>

using namespace veza::testing;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A hand-written HTTP listener that keeps count of the audio it received.
class Listener
{
public:
    Listener(quint16 port, const QByteArray &path, const QByteArray &userAgent)
        : m_client(port)
    {
        m_client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nUser-Agent: " + userAgent +
                      "\r\n\r\n");
        const QByteArray start = m_client.read(5000, 1 << 20, "\r\n\r\n");
        const qsizetype end = start.indexOf("\r\n\r\n");
        m_head = end < 0 ? start : start.left(end);
        m_body = end < 0 ? 0 : start.size() - end - 4;
    }

    const QByteArray &head() const { return m_head; }
    qint64 body() const { return m_body; }

    // Reads for `ms`; true when the server closed the connection meanwhile.
    bool readFor(int ms)
    {
        QDeadlineTimer deadline(ms);
        char buffer[16384];
        while (!deadline.hasExpired()) {
            pollfd descriptor{m_client.descriptor(), POLLIN, 0};
            if (::poll(&descriptor, 1, int(qMax<qint64>(1, deadline.remainingTime()))) <= 0)
                continue;
            const ssize_t received = ::recv(m_client.descriptor(), buffer, sizeof buffer, 0);
            if (received <= 0)
                return true;
            m_body += received;
        }
        return false;
    }

private:
    RawClient m_client;
    QByteArray m_head;
    qint64 m_body = 0;
};

} // namespace

class TestListenerSessions : public QObject
{
    Q_OBJECT

private:
    HttpReply listeners(const QByteArray &token, const QByteArray &query = {},
                        const QString &name = QStringLiteral("tone"))
    {
        HttpProbe probe(m_server->httpPort());
        return probe.get("/api/streams/" + name.toUtf8() + "/listeners" + query, 5000,
                         "Authorization: Bearer " + token + "\r\n");
    }

    // Rows of a query on the server's SQLite file (it is open in the server, in WAL mode).
    QList<QVariantList> rows(const QString &statement)
    {
        QList<QVariantList> result;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(m_dataDir + QStringLiteral("/veza.db"));
            QSqlQuery query(db);
            if (db.open() && query.exec(statement)) {
                while (query.next()) {
                    QVariantList row;
                    for (int i = 0; i < query.record().count(); ++i)
                        row << query.value(i);
                    result << row;
                }
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("1"));
        m_server->setEnv(QStringLiteral("SHUTDOWN_TIMEOUT_S"), QStringLiteral("2"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_dataDir = m_server->dataDir();
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        m_key = createStream(*m_server, m_token, QStringLiteral("tone"));
        QVERIFY(!m_key.isEmpty());
    }

    void cleanupTestCase() { m_server.reset(); }

    void listenersAreRecordedWithTheBroadcast()
    {
        const qint64 testStart = nowMs();
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), m_key, "tone", 7), true);
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("tone"),
                                   QStringLiteral("live"), 5000));

        QElapsedTimer leaverHeld;
        leaverHeld.start();
        auto leaver =
            std::make_unique<Listener>(m_server->httpPort(), "/live/tone", "VezaTest/leaver 1.0");
        QVERIFY2(leaver->head().startsWith("HTTP/1.1 200"), leaver->head().constData());
        Listener stayer(m_server->httpPort(), "/live/tone.opus", "VezaTest/stayer (Opus)");
        QVERIFY2(stayer.head().startsWith("HTTP/1.1 200"), stayer.head().constData());
        QVERIFY(stayer.head().contains("Content-Type: audio/ogg"));

        // Both through at least two of the hub's once-a-second measurements.
        for (int i = 0; i < 10; ++i) {
            QVERIFY(!leaver->readFor(125));
            QVERIFY(!stayer.readFor(125));
        }
        const qint64 leaverReceived = leaver->body();
        leaver.reset(); // the client closes
        const qint64 leaverMs = leaverHeld.elapsed();

        // The stayer hears the stream to its end: the source's 7 s, then the 1 s grace.
        bool closed = false;
        QDeadlineTimer deadline(20'000);
        while (!closed && !deadline.hasExpired())
            closed = stayer.readFor(200);
        QVERIFY(closed);
        QVERIFY(source->waitForFinished(5000));
        const qint64 testEnd = nowMs();

        // Written within a second or so of the stream's end, the latest to connect first.
        QJsonArray list;
        QTRY_VERIFY_WITH_TIMEOUT(
            (list = listeners(m_token).json().value(QStringLiteral("listeners")).toArray())
                    .size() == 2,
            5000);
        const QJsonObject opus = list.at(0).toObject();
        const QJsonObject mp3 = list.at(1).toObject();
        QCOMPARE(opus.value(QStringLiteral("rendition")).toString(), QStringLiteral("opus128"));
        QCOMPARE(mp3.value(QStringLiteral("rendition")).toString(), QStringLiteral("source"));
        QCOMPARE(opus.value(QStringLiteral("user_agent")).toString(),
                 QStringLiteral("VezaTest/stayer (Opus)"));
        QCOMPARE(mp3.value(QStringLiteral("user_agent")).toString(),
                 QStringLiteral("VezaTest/leaver 1.0"));
        QCOMPARE(opus.value(QStringLiteral("end_reason")).toString(),
                 QStringLiteral("stream_ended"));
        QCOMPARE(mp3.value(QStringLiteral("end_reason")).toString(), QStringLiteral("left"));
        for (const QJsonObject &row : {opus, mp3}) {
            QCOMPARE(row.value(QStringLiteral("kind")).toString(), QStringLiteral("http"));
            QCOMPARE(row.value(QStringLiteral("address")).toString(), QStringLiteral("127.0.0.1"));
            const qint64 connected = qint64(row.value(QStringLiteral("connected_at")).toDouble());
            const qint64 ended = qint64(row.value(QStringLiteral("ended_at")).toDouble());
            QVERIFY(connected >= testStart && ended <= testEnd + 1000);
            QCOMPARE(qint64(row.value(QStringLiteral("duration_ms")).toDouble()),
                     ended - connected);
        }
        // The stayer got every byte the server counted (it closes after sending them); the
        // leaver at least what it read before closing.
        QCOMPARE(qint64(opus.value(QStringLiteral("bytes")).toDouble()), stayer.body());
        QVERIFY(stayer.body() > 8000);
        const qint64 mp3Bytes = qint64(mp3.value(QStringLiteral("bytes")).toDouble());
        QVERIFY2(mp3Bytes >= leaverReceived && leaverReceived > 16000,
                 qPrintable(QStringLiteral("%1 %2").arg(mp3Bytes).arg(leaverReceived)));
        const qint64 mp3Duration = qint64(mp3.value(QStringLiteral("duration_ms")).toDouble());
        QVERIFY2(mp3Duration >= leaverMs - 500 && mp3Duration <= leaverMs + 2000,
                 qPrintable(QStringLiteral("%1 ms, held %2 ms").arg(mp3Duration).arg(leaverMs)));
        const qint64 opusDuration = qint64(opus.value(QStringLiteral("duration_ms")).toDouble());
        QVERIFY2(opusDuration > mp3Duration + 3000 && opusDuration < 15'000,
                 qPrintable(QString::number(opusDuration)));

        // Both rows belong to the broadcast, whose peak counts the rendition's listener too.
        QList<QVariantList> session;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(session = rows(QStringLiteral("SELECT id, peak_listeners FROM stream_sessions "
                                            "WHERE ended_at IS NOT NULL")))
                 .isEmpty(),
            5000);
        QCOMPARE(session.size(), 1);
        QCOMPARE(session.at(0).at(1).toInt(), 2);
        const QList<QVariantList> linked =
            rows(QStringLiteral("SELECT stream_session_id FROM listener_sessions"));
        QCOMPARE(linked.size(), 2);
        for (const QVariantList &row : linked)
            QCOMPARE(row.at(0).toLongLong(), session.at(0).at(0).toLongLong());
    }

    void onlyTheOwnerAnAdminOrAModeratorSeesListeners()
    {
        const QByteArray intruder =
            m_server->token(QStringLiteral("intruder"), QStringLiteral("broadcaster"));
        const HttpReply refused = listeners(intruder);
        QCOMPARE(refused.status, 403);
        QVERIFY(!refused.body.contains("user_agent"));
        QCOMPARE(HttpProbe(m_server->httpPort()).get("/api/streams/tone/listeners").status, 401);
        QCOMPARE(listeners(m_token, {}, QStringLiteral("nothing")).status, 404);
        QCOMPARE(listeners(m_server->token(QStringLiteral("fan"))).status, 403);
        for (const QString &role : {QStringLiteral("admin"), QStringLiteral("moderator")}) {
            const HttpReply seen = listeners(m_server->token(QStringLiteral("boss"), role));
            QCOMPARE(seen.status, 200);
            QCOMPARE(seen.json().value(QStringLiteral("listeners")).toArray().size(), 2);
        }
    }

    void listenersArePaged()
    {
        const QJsonObject first = listeners(m_token, "?limit=1").json();
        const QJsonArray page = first.value(QStringLiteral("listeners")).toArray();
        QCOMPARE(page.size(), 1);
        const qint64 next = qint64(first.value(QStringLiteral("next_before")).toDouble());
        QCOMPARE(next, qint64(page.at(0).toObject().value(QStringLiteral("id")).toDouble()));
        const QJsonObject second =
            listeners(m_token, "?limit=1&before=" + QByteArray::number(next)).json();
        const QJsonArray rest = second.value(QStringLiteral("listeners")).toArray();
        QCOMPARE(rest.size(), 1);
        QCOMPARE(rest.at(0).toObject().value(QStringLiteral("end_reason")).toString(),
                 QStringLiteral("left"));
        QVERIFY(second.value(QStringLiteral("next_before")).isNull());
        QVERIFY(listeners(m_token).json().value(QStringLiteral("next_before")).isNull());
        for (const QByteArray &bad : {QByteArray("?limit=0"), QByteArray("?limit=501"),
                                      QByteArray("?limit=x"), QByteArray("?before=-3")})
            QCOMPARE(listeners(m_token, bad).status, 400);
        QCOMPARE(listeners(m_token, "?limit=500").status, 200);
    }

    // ?live=1: who is connected now, on every path; DELETE disconnects one of them.
    void connectedListenersAreListedAndDisconnected()
    {
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), m_key, "tone", 30), true);
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("tone"),
                                   QStringLiteral("live"), 5000));
        Listener mp3(m_server->httpPort(), "/live/tone", "VezaTest/live-mp3");
        QVERIFY(mp3.head().startsWith("HTTP/1.1 200"));
        Listener opus(m_server->httpPort(), "/live/tone.opus", "VezaTest/live-opus");
        QVERIFY(opus.head().startsWith("HTTP/1.1 200"));
        RawWebSocketClient socket;
        QVERIFY(socket
                    .handshake(m_server->webSocketPort(), "/listen/tone?bitrate=64",
                               "User-Agent: VezaTest/live-ws\r\n")
                    .startsWith("HTTP/1.1 101"));
        QVERIFY(!mp3.readFor(1200));

        const auto live = [&](const QByteArray &token) {
            return listeners(token, "?live=1").json().value(QStringLiteral("listeners")).toArray();
        };
        const auto byAgent = [](const QJsonArray &list, const QString &agent) {
            for (const QJsonValue &value : list) {
                if (value[QStringLiteral("user_agent")].toString() == agent)
                    return value.toObject();
            }
            return QJsonObject();
        };
        const QJsonArray now = live(m_token);
        QCOMPARE(now.size(), 3);
        const QJsonObject http = byAgent(now, QStringLiteral("VezaTest/live-mp3"));
        QCOMPARE(http[QStringLiteral("kind")].toString(), QStringLiteral("http"));
        QCOMPARE(http[QStringLiteral("rendition")].toString(), QStringLiteral("source"));
        QCOMPARE(http[QStringLiteral("codec")].toString(), QStringLiteral("mp3"));
        QCOMPARE(http[QStringLiteral("address")].toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(http[QStringLiteral("bytes")].toInteger() > 0);
        QVERIFY(http[QStringLiteral("connected_at")].toInteger() <= nowMs());
        const QJsonObject rendition = byAgent(now, QStringLiteral("VezaTest/live-opus"));
        QCOMPARE(rendition[QStringLiteral("rendition")].toString(), QStringLiteral("opus128"));
        QCOMPARE(rendition[QStringLiteral("codec")].toString(), QStringLiteral("opus"));
        const QJsonObject ws = byAgent(now, QStringLiteral("VezaTest/live-ws"));
        QCOMPARE(ws[QStringLiteral("kind")].toString(), QStringLiteral("websocket"));
        QCOMPARE(ws[QStringLiteral("rendition")].toString(), QStringLiteral("opus64"));
        QCOMPARE(ws[QStringLiteral("codec")].toString(), QStringLiteral("opus"));
        // Bytes are counted as they go.
        QVERIFY(!mp3.readFor(1200));
        QVERIFY(byAgent(live(m_token), QStringLiteral("VezaTest/live-mp3"))[QStringLiteral("bytes")]
                    .toInteger() > http[QStringLiteral("bytes")].toInteger());

        // Addresses are not for everyone.
        const QByteArray intruder =
            m_server->token(QStringLiteral("intruder"), QStringLiteral("broadcaster"));
        QCOMPARE(listeners(intruder, "?live=1").status, 403);
        QCOMPARE(listeners(m_server->token(QStringLiteral("fan")), "?live=1").status, 403);
        const QByteArray moderator =
            m_server->token(QStringLiteral("warden"), QStringLiteral("moderator"));
        QCOMPARE(live(moderator).size(), 3);

        const auto kick = [&](const QByteArray &token, qint64 id, const QByteArray &query = {}) {
            return HttpProbe(m_server->httpPort())
                .request("DELETE", "/api/streams/tone/listeners/" + QByteArray::number(id) + query,
                         {}, 5000, "Authorization: Bearer " + token + "\r\n");
        };
        const qint64 httpId = http[QStringLiteral("id")].toInteger();
        QCOMPARE(kick(intruder, httpId).status, 403);
        QCOMPARE(kick(m_token, 999999).status, 404);
        // A path that names no listener (or another stream's) is not one.
        QCOMPARE(HttpProbe(m_server->httpPort())
                     .request("DELETE", "/api/streams/tone/listeners/abc", {}, 5000,
                              "Authorization: Bearer " + m_token + "\r\n")
                     .status,
                 404);
        QCOMPARE(HttpProbe(m_server->httpPort())
                     .request("DELETE",
                              "/api/streams/elsewhere/listeners/" + QByteArray::number(httpId), {},
                              5000, "Authorization: Bearer " + m_token + "\r\n")
                     .status,
                 404);
        QVERIFY(!mp3.readFor(300)); // still connected

        // A moderator kicks the MP3 listener: its connection ends, the others stay.
        QCOMPARE(kick(moderator, httpId, "?reason=spamming+the+stream").status, 204);
        QVERIFY(mp3.readFor(3000));
        QVERIFY(!opus.readFor(300));
        QTRY_COMPARE_WITH_TIMEOUT(live(m_token).size(), 2, 3000);
        QCOMPARE(kick(moderator, httpId).status, 404); // gone

        // The owner kicks the WebSocket listener: closed with 4403.
        QCOMPARE(kick(m_token, ws[QStringLiteral("id")].toInteger()).status, 204);
        RawWebSocketClient::Frame frame;
        do {
            frame = socket.readFrame(3000);
        } while (frame.received && frame.opcode != 0x8);
        QVERIFY(frame.received);
        QCOMPARE(frame.closeCode(), quint16(4403));

        // The moderator's kick is in the audit log, the owner's is the owner's business.
        const QJsonArray audit = HttpProbe(m_server->httpPort())
                                     .get("/api/moderation/actions?action=kick_listener", 5000,
                                          "Authorization: Bearer " + moderator + "\r\n")
                                     .json()
                                     .value(QStringLiteral("actions"))
                                     .toArray();
        QCOMPARE(audit.size(), 1);
        const QJsonObject row = audit.at(0).toObject();
        QCOMPARE(row[QStringLiteral("reason")].toString(), QStringLiteral("spamming the stream"));
        QCOMPARE(row[QStringLiteral("params")][QStringLiteral("listener")].toInteger(), httpId);
        QCOMPARE(row[QStringLiteral("params")][QStringLiteral("stream")].toString(),
                 QStringLiteral("tone"));
        // The history says why they left.
        QTRY_COMPARE_WITH_TIMEOUT(
            rows(QStringLiteral("SELECT COUNT(*) FROM listener_sessions WHERE end_reason = "
                                "'kicked'"))
                .value(0)
                .value(0)
                .toInt(),
            2, 5000);
        source->kill();
        source->waitForFinished(5000);
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("tone"),
                                   QStringLiteral("offline"), 10000));
    }

    // SIGTERM with a listener connected: the shutdown writes its row before the process exits.
    void shutdownWritesTheListenersItCut()
    {
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(m_server->httpPort(), m_key, "tone", 30), true);
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("tone"),
                                   QStringLiteral("live"), 5000));
        Listener listener(m_server->httpPort(), "/live/tone", "VezaTest/until-shutdown");
        QVERIFY(listener.head().startsWith("HTTP/1.1 200"));
        QVERIFY(!listener.readFor(500));
        m_server->sendSignal(SIGTERM);
        QVERIFY(m_server->waitForExit(15'000));
        QCOMPARE(m_server->exitCode(), 0);
        source->kill();
        source->waitForFinished(5000);

        const QList<QVariantList> cut =
            rows(QStringLiteral("SELECT end_reason, bytes_sent, stream_session_id FROM "
                                "listener_sessions WHERE user_agent = 'VezaTest/until-shutdown'"));
        QCOMPARE(cut.size(), 1);
        QCOMPARE(cut.at(0).at(0).toString(), QStringLiteral("shutdown"));
        QVERIFY(cut.at(0).at(1).toLongLong() >= listener.body());
        QVERIFY(!cut.at(0).at(2).isNull());
        // That broadcast's session row was ended too.
        QCOMPARE(
            rows(QStringLiteral("SELECT id FROM stream_sessions WHERE ended_at IS NULL")).size(),
            0);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QString m_dataDir;
    QByteArray m_token;
    QByteArray m_key;
};

QTEST_GUILESS_MAIN(TestListenerSessions)
#include "tst_listener_sessions.moc"
