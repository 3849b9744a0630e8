// WebSocket broadcasters on /ingest/{name} against the real binary, with Ogg/Opus and WebM/Opus
// files made by the real ffmpeg: a file sent at about real time is heard as 440 Hz on the MP3
// rendition, shows live with its input format in /api/streams and carries the title of a
// metadata frame to ICY listeners; a file sent all at once is paced, not dropped; wrong or
// missing credentials, another broadcaster's token, an unknown stream, a bad format, a
// second source and a stream over MAX_STREAMS are refused with their close codes; random bytes
// are closed with 1007 and the stream ends; deleting a stream ends its broadcast (1001); a ban
// of the owner ends it (4403) and refuses his key.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "JsonSocket.h"
#include "ServerProcess.h"
#include "WebSocketTestClient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace veza::testing;

namespace {

constexpr qsizetype kFrameBytes = 4096;

// A broadcaster: a real QWebSocket on /ingest/..., every text frame decoded and kept.
class Broadcaster : public JsonSocket
{
public:
    Broadcaster(quint16 port, const QString &pathAndQuery, const QByteArray &bearer = {})
    {
        open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(pathAndQuery)), bearer);
    }
};

// Sends `data` in 4 KiB binary frames as time passes: `leadMs` of audio at once, then at the
// pace of `bytesPerSecond`. Runs from the event loop, so the test can wait for other things.
class PacedSender
{
public:
    PacedSender(QWebSocket &socket, QByteArray data, double bytesPerSecond, int leadMs)
        : m_socket(socket)
        , m_data(std::move(data))
        , m_bytesPerMs(bytesPerSecond / 1000)
        , m_leadMs(leadMs)
    {
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { sendDue(); });
        m_clock.start();
        m_timer.start(20);
        sendDue();
    }

    bool done() const { return m_offset >= m_data.size(); }

private:
    void sendDue()
    {
        const qint64 due = qint64((m_clock.elapsed() + m_leadMs) * m_bytesPerMs);
        while (m_offset < m_data.size() && m_offset < due) {
            m_socket.sendBinaryMessage(m_data.mid(m_offset, kFrameBytes));
            m_offset += kFrameBytes;
        }
        if (done())
            m_timer.stop();
    }

    QWebSocket &m_socket;
    const QByteArray m_data;
    const double m_bytesPerMs;
    const int m_leadMs;
    qsizetype m_offset = 0;
    QElapsedTimer m_clock;
    QTimer m_timer;
};

// Sends the whole of `data` now, in 4 KiB binary frames.
void sendAll(QWebSocket &socket, const QByteArray &data)
{
    for (qsizetype offset = 0; offset < data.size(); offset += kFrameBytes)
        socket.sendBinaryMessage(data.mid(offset, kFrameBytes));
}

// The close code of the server's first frame on `path`, read by hand: QWebSocket reports a
// close with 1012-2999 (1013 among them, absent from RFC 6455's list) as its own 1002.
quint16 rawCloseCode(quint16 port, const QByteArray &path)
{
    RawWebSocketClient client;
    if (!client.connectTo(port))
        return 0;
    client.sendRaw("GET " + path +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n");
    if (!client.readResponseHead().startsWith("HTTP/1.1 101"))
        return 0;
    const RawWebSocketClient::Frame frame = client.readFrame();
    return frame.received && frame.opcode == 0x8 ? frame.closeCode() : 0;
}

// Waits for a tool to end while the event loop runs (senders keep sending).
bool waitForTool(QProcess &process, int timeoutMs)
{
    return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
}

} // namespace

class TestWsIngest : public QObject
{
    Q_OBJECT

private:
    QString ingestPath(const QString &name, const QString &query) const
    {
        return QStringLiteral("/ingest/%1?%2").arg(name, query);
    }

    QString key(const QByteArray &streamKey) const
    {
        return QStringLiteral("key=") + QString::fromLatin1(streamKey);
    }

    // A 440 Hz tone (48 kHz stereo, Opus) in `muxer`, made by ffmpeg.
    QByteArray makeTone(const QString &muxer, const QString &file, int seconds,
                        const QString &bitrate)
    {
        const QString path = m_dir.filePath(file);
        auto ffmpeg = startTool(QStringLiteral("ffmpeg"),
                                {"-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                 "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t",
                                 QString::number(seconds), "-c:a", "libopus", "-b:a", bitrate, "-f",
                                 muxer, path});
        if (!ffmpeg->waitForFinished(30000) || ffmpeg->exitCode() != 0)
            return {};
        QFile input(path);
        return input.open(QIODevice::ReadOnly) ? input.readAll() : QByteArray();
    }

    QJsonObject info(const QString &name) { return streamInfo(*m_server, m_token, name); }

    // ffmpeg decoding `seconds` of `path` (e.g. "tone.mp3") to 8 kHz mono s16le on its stdout.
    std::unique_ptr<QProcess> startDecoder(const QString &path, int seconds)
    {
        return startTool(
            QStringLiteral("ffmpeg"),
            {"-hide_banner", "-loglevel", "error", "-i",
             QStringLiteral("http://127.0.0.1:%1/live/%2").arg(m_server->httpPort()).arg(path),
             "-t", QString::number(seconds), "-f", "s16le", "-ac", "1", "-ar", "8000", "-"});
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        QVERIFY(m_dir.isValid());
        m_ogg =
            makeTone(QStringLiteral("ogg"), QStringLiteral("tone.ogg"), 6, QStringLiteral("128k"));
        QVERIFY(m_ogg.size() > 64 * 1024);
        // More than the audio pipeline's 1 MiB input buffer: sent at once, it would be dropped
        // (1007) were it not paced.
        m_webm = makeTone(QStringLiteral("webm"), QStringLiteral("tone.webm"), 20,
                          QStringLiteral("510k"));
        QVERIFY2(m_webm.size() > 1200 * 1024, qPrintable(QString::number(m_webm.size())));
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("1"));
        m_server->setEnv(QStringLiteral("MAX_STREAMS"), QStringLiteral("2"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
    }

    void cleanupTestCase() { m_server.reset(); }

    void oggAtRealTimeIsHeard()
    {
        const QString name = QStringLiteral("wsogg");
        const QByteArray streamKey = createStream(*m_server, m_token, name);
        QVERIFY(!streamKey.isEmpty());
        Broadcaster source(m_server->webSocketPort(),
                           ingestPath(name, key(streamKey) + QStringLiteral("&format=ogg")));
        const QJsonObject ready = source.waitFor(QStringLiteral("ready"));
        QCOMPARE(ready, (QJsonObject{{QStringLiteral("type"), QStringLiteral("ready")},
                                     {QStringLiteral("stream"), name},
                                     {QStringLiteral("mount"), QStringLiteral("/live/wsogg")}}));
        // A second of lead, then real time (6 s of audio).
        PacedSender sender(source.socket(), m_ogg, m_ogg.size() / 6.0, 1000);
        source.socket().sendTextMessage(
            QStringLiteral(R"({"type":"metadata","title":"Night tune"})"));
        source.socket().sendTextMessage(QStringLiteral(R"({"type":"shout"})"));
        const QJsonObject error = source.waitFor(QStringLiteral("error"));
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("bad_request"));

        auto decoder = startDecoder(name + QStringLiteral(".mp3"), 3);
        // An ICY listener of the MP3 rendition sees the title.
        QTcpSocket icy;
        icy.connectToHost(QStringLiteral("127.0.0.1"), m_server->httpPort());
        QVERIFY(icy.waitForConnected(5000));
        icy.write("GET /live/wsogg.mp3 HTTP/1.1\r\nHost: x\r\nIcy-MetaData: 1\r\n\r\n");
        QByteArray received;
        const QByteArray block = "StreamTitle='Night tune';";
        QVERIFY(QTest::qWaitFor(
            [&] {
                received += icy.readAll();
                const qsizetype body = received.indexOf("\r\n\r\n") + 4;
                return body >= 4 && received.size() >= body + 16001 + block.size();
            },
            8000));
        const QByteArray head = received.left(received.indexOf("\r\n\r\n"));
        QVERIFY2(head.startsWith("HTTP/1.1 200") && head.contains("icy-metaint: 16000"),
                 head.constData());
        QCOMPARE(received.mid(head.size() + 4 + 16001, block.size()), block);
        icy.abort();

        const QJsonObject live = info(name);
        QCOMPARE(live.value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        const QJsonObject input = live.value(QStringLiteral("audio"))
                                      .toObject()
                                      .value(QStringLiteral("input"))
                                      .toObject();
        QCOMPARE(input.value(QStringLiteral("codec")).toString(), QStringLiteral("opus"));
        QCOMPARE(input.value(QStringLiteral("content_type")).toString(),
                 QStringLiteral("audio/ogg"));

        QVERIFY(waitForTool(*decoder, 15000));
        const QByteArray pcm = decoder->readAllStandardOutput();
        QVERIFY2(pcm.size() >= 8000 * 2 * 2, qPrintable(QString::number(pcm.size())));
        QVERIFY(is440Hz(pcm));
        QVERIFY(QTest::qWaitFor([&] { return sender.done(); }, 10000));
        QVERIFY(source.isConnected());
        QVERIFY(!m_server->findLog(QStringLiteral("source connected: wsogg audio/ogg")).isEmpty());

        source.socket().close();
        QCOMPARE(source.waitClosed(), 1000);
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("offline"), 5000));
    }

    // A rotated key stops a broadcaster that authenticated with it (4401); one that
    // authenticated with the owner's token stays.
    void keyRotationClosesAKeyedBroadcaster()
    {
        const QString name = QStringLiteral("wsrotate");
        const QByteArray streamKey = createStream(*m_server, m_token, name);
        QVERIFY(!streamKey.isEmpty());
        auto rotate = [&] {
            HttpProbe api(m_server->httpPort());
            return api
                .request("POST", "/api/streams/" + name.toUtf8() + "/key", {}, 5000,
                         "Authorization: Bearer " + m_token + "\r\n")
                .status;
        };
        Broadcaster keyed(m_server->webSocketPort(),
                          ingestPath(name, key(streamKey) + QStringLiteral("&format=ogg")));
        keyed.waitFor(QStringLiteral("ready"));
        PacedSender sender(keyed.socket(), m_ogg, m_ogg.size() / 6.0, 1000);
        QTest::qWait(300);
        QCOMPARE(rotate(), 200);
        QCOMPARE(keyed.waitClosed(), 4401);
        QCOMPARE(keyed.socket().closeReason(), QStringLiteral("the stream key was rotated"));

        Broadcaster owner(m_server->webSocketPort(), ingestPath(name, QStringLiteral("format=ogg")),
                          m_token);
        owner.waitFor(QStringLiteral("ready"));
        PacedSender ownerSender(owner.socket(), m_ogg, m_ogg.size() / 6.0, 1000);
        QTest::qWait(300);
        QCOMPARE(rotate(), 200);
        QTest::qWait(1500);
        QVERIFY(owner.isConnected());
        owner.socket().close();
        QCOMPARE(owner.waitClosed(), 1000);
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("offline"), 5000));
    }

    // A server-wide ban of a stream's owner takes his broadcast off the air within a second
    // or so (4403), and his stream key is refused from then on: within the grace period it
    // would otherwise take the mount back.
    void aBanEndsTheBroadcastAndRefusesTheKey()
    {
        const QString name = QStringLiteral("wsban");
        const QByteArray outlaw =
            m_server->token(QStringLiteral("outlaw"), QStringLiteral("broadcaster"));
        const QByteArray streamKey = createStream(*m_server, outlaw, name);
        QVERIFY(!streamKey.isEmpty());
        Broadcaster owner(m_server->webSocketPort(), ingestPath(name, QStringLiteral("format=ogg")),
                          outlaw);
        QVERIFY(!owner.waitFor(QStringLiteral("ready")).isEmpty());
        PacedSender sender(owner.socket(), m_ogg, m_ogg.size() / 6.0, 1000);
        QVERIFY(waitForStreamState(*m_server, outlaw, name, QStringLiteral("live"), 5000));

        ChatTestClient moderator;
        moderator.open(m_server->webSocketPort(),
                       m_server->token(QStringLiteral("warden"), QStringLiteral("moderator")));
        moderator.waitConnected();
        const QJsonObject ack = moderator.answerTo(
            moderator.request(QStringLiteral("ban"), {{QStringLiteral("user"), u"outlaw"_qs}}));
        QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));
        QCOMPARE(owner.waitClosed(3000), 4403);

        Broadcaster keyed(m_server->webSocketPort(),
                          ingestPath(name, key(streamKey) + QStringLiteral("&format=ogg")));
        QCOMPARE(keyed.waitClosed(), 4403);
        QCOMPARE(keyed.socket().closeReason(), QStringLiteral("banned"));
        QVERIFY(scrapeMetric(m_server->metricsPort(), "stream_refused_total{reason=\"banned\"}") >=
                1);
    }

    void webmAllAtOnceIsPaced()
    {
        const QString name = QStringLiteral("wswebm");
        QVERIFY(!createStream(*m_server, m_token, name).isEmpty());
        // The owner's token instead of the key; no format: WebM, what MediaRecorder makes.
        Broadcaster source(m_server->webSocketPort(), QStringLiteral("/ingest/wswebm"), m_token);
        QVERIFY(!source.waitFor(QStringLiteral("ready")).isEmpty());
        sendAll(source.socket(), m_webm);

        auto decoder = startDecoder(name + QStringLiteral(".mp3"), 3);
        QVERIFY(waitForTool(*decoder, 15000));
        const QByteArray pcm = decoder->readAllStandardOutput();
        QVERIFY2(pcm.size() >= 8000 * 2 * 2, qPrintable(QString::number(pcm.size())));
        QVERIFY(is440Hz(pcm));
        // Played out at its own pace (the 20 s are far from over), and the source was kept.
        QVERIFY(source.isConnected());
        const QJsonObject input = info(name)
                                      .value(QStringLiteral("audio"))
                                      .toObject()
                                      .value(QStringLiteral("input"))
                                      .toObject();
        QCOMPARE(input.value(QStringLiteral("codec")).toString(), QStringLiteral("opus"));
        QCOMPARE(input.value(QStringLiteral("content_type")).toString(),
                 QStringLiteral("audio/webm"));
        // Deleting the stream ends the broadcast, even one whose reading is paused.
        HttpProbe api(m_server->httpPort());
        const HttpReply deleted = api.request("DELETE", "/api/streams/wswebm", {}, 5000,
                                              "Authorization: Bearer " + m_token + "\r\n");
        QVERIFY2(deleted.status == 204 || deleted.status == 200, deleted.body.constData());
        QCOMPARE(source.waitClosed(), 1001);
        QCOMPARE(source.socket().closeReason(), QStringLiteral("the stream was ended"));
    }

    void credentialsAreChecked()
    {
        const QString name = QStringLiteral("wsauth");
        const QByteArray streamKey = createStream(*m_server, m_token, name);
        QVERIFY(!streamKey.isEmpty());
        const quint16 port = m_server->webSocketPort();
        const QByteArray rival =
            m_server->token(QStringLiteral("rival"), QStringLiteral("broadcaster"));
        const QByteArray admin = m_server->token(QStringLiteral("boss"), QStringLiteral("admin"));

        Broadcaster none(port, ingestPath(name, QStringLiteral("format=ogg")));
        QCOMPARE(none.waitClosed(), 4401);
        Broadcaster wrongKey(port, ingestPath(name, key("vzs_" + QByteArray(43, 'A'))));
        QCOMPARE(wrongKey.waitClosed(), 4401);
        QCOMPARE(wrongKey.socket().closeReason(), QStringLiteral("wrong stream key"));
        Broadcaster badToken(port, ingestPath(name, {}), "not-a-token");
        QCOMPARE(badToken.waitClosed(), 4401);
        Broadcaster other(port, ingestPath(name, {}), rival);
        QCOMPARE(other.waitClosed(), 4403);
        Broadcaster unknown(port, ingestPath(QStringLiteral("nosuch"), key(streamKey)));
        QCOMPARE(unknown.waitClosed(), 4404);
        Broadcaster badFormat(port,
                              ingestPath(name, key(streamKey) + QStringLiteral("&format=mp3")));
        QCOMPARE(badFormat.waitClosed(), 1008);
        QCOMPARE(info(name).value(QStringLiteral("state")).toString(), QStringLiteral("offline"));

        // The owner's token in the query (as a browser sends it) is accepted ...
        Broadcaster owner(
            port, ingestPath(name, QStringLiteral("access_token=") + QString::fromLatin1(m_token)));
        QVERIFY(!owner.waitFor(QStringLiteral("ready")).isEmpty());
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("live"), 3000));
        // ... and then the mount is taken, for an admin and for the key alike.
        Broadcaster byAdmin(port, ingestPath(name, {}), admin);
        QCOMPARE(byAdmin.waitClosed(), 4409);
        Broadcaster byKey(port, ingestPath(name, {}), streamKey); // the key as a bearer
        QCOMPARE(byKey.waitClosed(), 4409);
        QVERIFY(owner.isConnected());
        QVERIFY(scrapeMetric(m_server->metricsPort(),
                             "stream_refused_total{reason=\"mount_in_use\"}") >= 2);
        QVERIFY(scrapeMetric(m_server->metricsPort(),
                             "stream_refused_total{reason=\"unauthorized\"}") >= 4);

        // MAX_STREAMS=2: a second stream goes live, a third is refused for now.
        const QByteArray extraKey = createStream(*m_server, m_token, QStringLiteral("wsextra"));
        Broadcaster extra(port, ingestPath(QStringLiteral("wsextra"), key(extraKey)));
        QVERIFY(!extra.waitFor(QStringLiteral("ready")).isEmpty());
        const QByteArray fullKey = createStream(*m_server, m_token, QStringLiteral("wsfull"));
        QCOMPARE(rawCloseCode(port, ingestPath(QStringLiteral("wsfull"), key(fullKey)).toUtf8()),
                 quint16(1013));
        QVERIFY(scrapeMetric(m_server->metricsPort(),
                             "stream_refused_total{reason=\"max_streams\"}") >= 1);

        owner.socket().close();
        extra.socket().close();
        QCOMPARE(owner.waitClosed(), 1000);
        QCOMPARE(extra.waitClosed(), 1000);
        // Both slots free again once the 1 s grace periods are over.
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("offline"), 5000));
        QVERIFY(waitForStreamState(*m_server, m_token, QStringLiteral("wsextra"),
                                   QStringLiteral("offline"), 5000));
    }

    void randomBytesAreRefused()
    {
        const QString name = QStringLiteral("wsnoise");
        const QByteArray streamKey = createStream(*m_server, m_token, name);
        QVERIFY(!streamKey.isEmpty());
        Broadcaster source(m_server->webSocketPort(),
                           ingestPath(name, key(streamKey) + QStringLiteral("&format=ogg")));
        QVERIFY(!source.waitFor(QStringLiteral("ready")).isEmpty());
        QByteArray noise(64 * 1024, '\0');
        QRandomGenerator generator(7);
        for (char &byte : noise)
            byte = char(generator.bounded(256));
        sendAll(source.socket(), noise);
        QCOMPARE(source.waitClosed(8000), 1007);
        QCOMPARE(source.socket().closeReason(), QStringLiteral("audio unusable or too fast"));
        QVERIFY(waitForStreamState(*m_server, m_token, name, QStringLiteral("offline"), 5000));
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QTemporaryDir m_dir;
    QByteArray m_token;
    QByteArray m_ogg;
    QByteArray m_webm;
};

QTEST_GUILESS_MAIN(TestWsIngest)
#include "tst_wsingest.moc"
