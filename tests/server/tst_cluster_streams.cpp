// Several instances behind one address, for live streams: three real veza-server processes on
// one PostgreSQL and one Redis (REDIS_URL), and a real ffmpeg source. ffmpeg publishes to A; a
// listener on B hears its 440 Hz over HTTP and over /listen (B relays the stream from A); a
// second source on C is refused as the mount is in use; /api/streams on C shows the stream live
// with B's listener. Killed with SIGKILL, A stops renewing its lease: a source reconnecting to
// C is refused until the grace period is over, then takes the mount. A moderator's live controls
// asked of any instance reach the source's, and so do a ban of the stream's owner and a title
// sent to any instance (its relays' listeners hear it); the listeners of every instance are
// listed and kicked from any.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "JsonSocket.h"
#include "ServerCluster.h"
#include "ServerProcess.h"
#include "audio/OggOpusMuxer.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <csignal>
#include <memory>

using namespace veza::testing;

namespace {

constexpr int kGraceS = 3;

// A /listen client keeping the Opus of every packet.
class PacketListener : public JsonSocket
{
public:
    explicit PacketListener(const QUrl &url)
    {
        QObject::connect(&socket(), &QWebSocket::binaryMessageReceived, &socket(),
                         [this](const QByteArray &frame) {
                             if (frame.size() > 16)
                                 opus.append(frame.mid(16)); // past the 16-byte header
                         });
        open(url);
    }
    QList<QByteArray> opus;
};

// The status line an Icecast source gets for PUT /live/{name} on `port`.
QByteArray sourceAnswer(quint16 port, const QByteArray &key, const QString &name)
{
    RawClient client(port);
    client.send("PUT /live/" + name.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                sourceAuth(key) + "Content-Type: audio/mpeg\r\n\r\n");
    const QByteArray answer = client.read(5000, 4096, "\r\n");
    return answer.left(answer.indexOf('\r'));
}

// The answer's status line, with " (Retry-After)" when it says when to retry (a blocked mount).
QByteArray sourceRefusal(quint16 port, const QByteArray &key, const QString &name)
{
    RawClient client(port);
    client.send("PUT /live/" + name.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                sourceAuth(key) + "Content-Type: audio/mpeg\r\n\r\n");
    const QByteArray answer = client.read(5000, 4096, "\r\n\r\n");
    return answer.left(answer.indexOf('\r')) +
           (answer.contains("\r\nRetry-After:") ? " (Retry-After)" : "");
}

HttpReply call(ServerProcess &server, const QByteArray &method, const QByteArray &path,
               const QByteArray &token, const QByteArray &body = {})
{
    return HttpProbe(server.httpPort())
        .request(method, path, body, 5000, "Authorization: Bearer " + token + "\r\n");
}

} // namespace

class TestClusterStreams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame is not installed");
        QVERIFY2(m_cluster.start(
                     3, {{QStringLiteral("STREAM_SOURCE_GRACE_S"), QString::number(kGraceS)}}),
                 qPrintable(m_cluster.errorString()));
        m_token = m_cluster.server(0).token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
    }

    void cleanupTestCase()
    {
        if (m_source)
            m_source->kill();
    }

    // ffmpeg publishes to A; B relays it to its listeners (HTTP and /listen); C refuses a
    // second source; /api/streams on C counts B's listener.
    void aListenerOnAnotherInstanceHearsTheSource()
    {
        ServerProcess &a = m_cluster.server(0);
        ServerProcess &b = m_cluster.server(1);
        ServerProcess &c = m_cluster.server(2);
        QByteArray key;
        m_source = broadcastOnA(QStringLiteral("tone"), m_token, &key);
        QVERIFY2(m_source, qPrintable(a.diagnostics()));

        // Over HTTP, Icecast style.
        const QByteArray pcm =
            decodeToPcm(QStringLiteral("http://127.0.0.1:%1/live/tone").arg(b.httpPort()), 3);
        QVERIFY2(pcm.size() > 8000, qPrintable(b.diagnostics()));
        QVERIFY(is440Hz(pcm));

        // Over /listen: B's own pipeline turns the relayed stream into Opus packets.
        PacketListener listener(
            QUrl(QStringLiteral("ws://127.0.0.1:%1/listen/tone").arg(b.webSocketPort())));
        QVERIFY2(!listener.waitFor(QStringLiteral("hello"), {}, 10000).isEmpty(),
                 qPrintable(b.diagnostics()));
        QTRY_VERIFY_WITH_TIMEOUT(listener.opus.size() >= 150, 10000);
        QTemporaryDir dir;
        veza::audio::OggOpusMuxer muxer(1);
        QByteArray ogg = muxer.headerPages();
        std::vector<veza::audio::EncodedPacket> packets;
        for (const QByteArray &packet : std::as_const(listener.opus))
            packets.push_back({packet, 960, 0});
        ogg += muxer.pages(packets);
        QFile file(dir.filePath(QStringLiteral("heard.ogg")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ogg);
        file.close();
        QVERIFY(is440Hz(decodeToPcm(file.fileName(), 3)));

        // The deployment's view, from an instance that carries nothing of it.
        QTRY_VERIFY_WITH_TIMEOUT(
            streamInfo(c, m_token, QStringLiteral("tone")).value(u"listeners").toInt() == 1, 10000);
        QCOMPARE(streamInfo(c, m_token, QStringLiteral("tone")).value(u"state").toString(),
                 QStringLiteral("live"));

        // One source per mount in the deployment.
        QCOMPARE(sourceAnswer(c.httpPort(), key, QStringLiteral("tone")),
                 QByteArray("HTTP/1.1 403 Forbidden"));
        QVERIFY(scrapeMetric(c.metricsPort(), "stream_lease_claims_total{result=\"refused\"}") >=
                1);
        QVERIFY(scrapeMetric(b.metricsPort(), "stream_relays_active") >= 1);
    }

    // A moderator's controls, asked of whichever instance the load balancer picked, reach the
    // source on A: a cut asked of B ends A's source and blocks the mount on every instance;
    // effects changed through B apply on A; a key rotated on C cuts A's source that used the
    // old key; a stream deleted on B ends on A.
    void liveControlsReachTheInstanceCarryingTheSource()
    {
        ServerProcess &a = m_cluster.server(0);
        ServerProcess &b = m_cluster.server(1);
        ServerProcess &c = m_cluster.server(2);
        const QByteArray moderator = a.token(QStringLiteral("warden"), QStringLiteral("moderator"));
        QByteArray cutKey;
        auto source = broadcastOnA(QStringLiteral("cut"), m_token, &cutKey);
        QVERIFY2(source, qPrintable(a.diagnostics()));
        const HttpReply cut = call(b, "POST", "/api/streams/cut/source/disconnect", moderator,
                                   R"({"block_seconds":30,"reason":"asked of B"})");
        QCOMPARE(cut.status, 200);
        QCOMPARE(cut.json().value(u"was_live").toBool(), true);
        QVERIFY2(source->waitForFinished(5000), "A's source was not cut");
        for (ServerProcess *instance : {&a, &c})
            QCOMPARE(sourceRefusal(instance->httpPort(), cutKey, QStringLiteral("cut")),
                     QByteArray("HTTP/1.1 403 Forbidden (Retry-After)"));
        // Once A's grace period and lease are over, C still refuses the source: blocked there.
        QTest::qWait((kGraceS + 2) * 1000);
        QCOMPARE(sourceRefusal(c.httpPort(), cutKey, QStringLiteral("cut")),
                 QByteArray("HTTP/1.1 403 Forbidden (Retry-After)"));

        QByteArray key;
        source = broadcastOnA(QStringLiteral("keyed"), m_token, &key);
        QVERIFY(source);
        // Effects changed through B are applied by A, which carries the source.
        const HttpReply effects =
            call(b, "PATCH", "/api/streams/keyed/effects", m_token, R"({"gain_db":-6})");
        QCOMPARE(effects.status, 200);
        QCOMPARE(effects.json().value(u"live").toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(streamInfo(a, m_token, QStringLiteral("keyed"))
                                      .value(u"audio")[u"effects"][u"gain_db"]
                                      .toDouble(),
                                  -6.0, 5000);
        QCOMPARE(call(c, "POST", "/api/streams/keyed/key", m_token).status, 200);
        QVERIFY2(source->waitForFinished(5000), "A's source on the old key was not cut");

        source = broadcastOnA(QStringLiteral("ended"), m_token, &key);
        QVERIFY(source);
        QCOMPARE(call(b, "DELETE", "/api/streams/ended", moderator).status, 204);
        QVERIFY2(source->waitForFinished(5000), "A's source of a deleted stream was not ended");
        QCOMPARE(HttpProbe::getOnce(a.httpPort(), "/live/ended").status, 404);
    }

    // A moderator's list of connected listeners, asked of C, shows the listeners of A, of
    // B's relay and of C (not the relay itself, but one that only claims to be a relay)
    // within seconds, and a kick asked of C ends B's
    // listener, one asked of B ends A's.
    void listenersOfEveryInstanceAreListedAndKickedFromAny()
    {
        ServerProcess &a = m_cluster.server(0);
        ServerProcess &b = m_cluster.server(1);
        ServerProcess &c = m_cluster.server(2);
        const QByteArray moderator = a.token(QStringLiteral("warden"), QStringLiteral("moderator"));
        QByteArray key;
        auto source = broadcastOnA(QStringLiteral("crowd"), m_token, &key);
        QVERIFY(source);
        const auto listen = [](ServerProcess &instance, const QByteArray &agent) {
            auto client = std::make_unique<RawClient>(instance.httpPort());
            client->send("GET /live/crowd HTTP/1.1\r\nHost: x\r\nUser-Agent: " + agent +
                         "\r\n\r\n");
            return client->read(10000, 4096, "\r\n\r\n").startsWith("HTTP/1.1 200")
                       ? std::move(client)
                       : nullptr;
        };
        auto onA = listen(a, "player-a");
        // A listener passing for a relay is listed all the same.
        auto disguised = listen(c, "veza-relay/made-up");
        auto onB = listen(b, "player-b");
        QVERIFY(onA && onB && disguised);

        QHash<QString, qint64> idOf; // by user agent
        const auto listed = [&](ServerProcess &instance) {
            idOf.clear();
            const QJsonArray listeners =
                call(instance, "GET", "/api/streams/crowd/listeners?live=1", moderator)
                    .json()
                    .value(u"listeners")
                    .toArray();
            for (const QJsonValue &listener : listeners)
                idOf.insert(listener[u"user_agent"].toString(), listener[u"id"].toInteger());
            return listeners.size();
        };
        // On A, B's relay is a connection too, but no listener of the list.
        for (ServerProcess *instance : {&c, &a})
            QTRY_VERIFY_WITH_TIMEOUT(listed(*instance) == 3 && idOf.contains(u"player-a"_qs) &&
                                         idOf.contains(u"player-b"_qs) &&
                                         idOf.contains(u"veza-relay/made-up"_qs),
                                     10000);

        QCOMPARE(
            call(c, "DELETE",
                 "/api/streams/crowd/listeners/" + QByteArray::number(idOf.value(u"player-b"_qs)),
                 moderator)
                .status,
            204);
        QVERIFY2(onB->waitForClose(5000), "B's listener was not kicked");
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray listeners =
                    call(b, "GET", "/api/streams/crowd/listeners?live=1", moderator)
                        .json()
                        .value(u"listeners")
                        .toArray();
                return listeners.size() == 2 &&
                       listeners.first()[u"user_agent"].toString() == u"player-a";
            }(),
            10000);
        QCOMPARE(
            call(b, "DELETE",
                 "/api/streams/crowd/listeners/" + QByteArray::number(idOf.value(u"player-a"_qs)),
                 moderator)
                .status,
            204);
        QVERIFY2(onA->waitForClose(5000), "A's listener was not kicked");
        source->kill();
        source->waitForFinished(5000);
    }

    // An encoder's /admin/metadata may reach, through the load balancer, an instance without
    // its source: the title still goes on air at the source's instance, and the ICY listeners
    // of a relay on B hear it too.
    void aTitleSentToAnyInstanceIsHeardEverywhere()
    {
        ServerProcess &a = m_cluster.server(0);
        ServerProcess &b = m_cluster.server(1);
        ServerProcess &c = m_cluster.server(2);
        QByteArray key;
        auto source = broadcastOnA(QStringLiteral("titled"), m_token, &key);
        QVERIFY(source);
        RawClient listenerOnB(b.httpPort());
        listenerOnB.send("GET /live/titled HTTP/1.1\r\nHost: x\r\nIcy-MetaData: 1\r\n\r\n");
        QVERIFY(listenerOnB.read(10000, 4096, "\r\n\r\n").contains("icy-metaint:"));

        const HttpReply update = HttpProbe(c.httpPort())
                                     .get("/admin/metadata?mount=/live/titled&mode=updinfo&"
                                          "song=Night%20Song",
                                          5000, sourceAuth(key));
        QCOMPARE(update.status, 200);
        QVERIFY(update.body.contains("Metadata update successful"));
        QTRY_COMPARE_WITH_TIMEOUT(streamInfo(a, m_token, QStringLiteral("titled"))
                                      .value(u"now_playing")
                                      .toObject()
                                      .value(u"title")
                                      .toString(),
                                  QStringLiteral("Night Song"), 5000);
        QVERIFY2(listenerOnB.read(10000, 4 << 20, "StreamTitle='Night Song';")
                     .contains("StreamTitle='Night Song';"),
                 "B's ICY listener did not hear the title");
        source->kill();
        source->waitForFinished(5000);
    }

    // A server-wide ban issued on B takes the user off the air on A: the source of the stream
    // he owns is cut and his key refused from then on (it would take the mount back within
    // its grace period otherwise), and his /monitor console is closed with 4403.
    void aBanOnAnotherInstanceTakesTheUserOffTheAir()
    {
        ServerProcess &a = m_cluster.server(0);
        ServerProcess &b = m_cluster.server(1);
        const QByteArray rogue = a.token(QStringLiteral("rogue"), QStringLiteral("broadcaster"));
        QByteArray key;
        auto source = broadcastOnA(QStringLiteral("rogue-air"), rogue, &key);
        QVERIFY(source);
        JsonSocket console;
        console.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/monitor").arg(a.webSocketPort())),
                     a.token(QStringLiteral("rogue"), QStringLiteral("moderator")));
        QVERIFY(!console.waitFor(QStringLiteral("snapshot")).isEmpty());

        ChatTestClient moderator;
        moderator.open(b.webSocketPort(),
                       b.token(QStringLiteral("warden"), QStringLiteral("moderator")));
        moderator.waitConnected();
        const QJsonObject ack = moderator.answerTo(
            moderator.request(QStringLiteral("ban"), {{QStringLiteral("user"), u"rogue"_qs}}));
        QCOMPARE(ack.value(u"type").toString(), QStringLiteral("ack"));

        QCOMPARE(console.waitClosed(5000), 4403);
        QVERIFY2(source->waitForFinished(5000), "the banned owner's source is still on air");
        QCOMPARE(sourceRefusal(a.httpPort(), key, QStringLiteral("rogue-air")),
                 QByteArray("HTTP/1.1 403 Forbidden"));
    }

    // A dies without a word: its lease runs out after the grace period, and a source
    // reconnecting to C then takes the mount; before that, C refuses it.
    void aDeadInstancesMountIsTakenOverAfterTheGracePeriod()
    {
        ServerProcess &a = m_cluster.server(0);
        ServerProcess &c = m_cluster.server(2);
        QByteArray key;
        auto source = broadcastOnA(QStringLiteral("takeover"), m_token, &key);
        QVERIFY(source);
        QTest::qWait(1500); // renewed at least once

        a.sendSignal(SIGKILL);
        QVERIFY(a.waitForExit(5000));
        source->kill();
        source->waitForFinished(5000);
        QElapsedTimer sinceDeath;
        sinceDeath.start();
        QCOMPARE(sourceAnswer(c.httpPort(), key, QStringLiteral("takeover")),
                 QByteArray("HTTP/1.1 403 Forbidden"));

        QByteArray answer;
        const QDeadlineTimer deadline((kGraceS + 10) * 1000);
        while (!deadline.hasExpired()) {
            answer = sourceAnswer(c.httpPort(), key, QStringLiteral("takeover"));
            if (answer.startsWith("HTTP/1.0 200"))
                break;
            QTest::qWait(250);
        }
        QCOMPARE(answer, QByteArray("HTTP/1.0 200 OK"));
        QVERIFY2(sinceDeath.elapsed() >= (kGraceS - 1) * 1000,
                 qPrintable(QString::number(sinceDeath.elapsed())));
        if (m_source) {
            m_source->kill();
            m_source.reset();
        }
    }

private:
    // `owner` creates stream `name`; ffmpeg broadcasts a 440 Hz tone to A until the stream is
    // live on A and, through the census, on B. Null when it did not get there.
    std::unique_ptr<QProcess> broadcastOnA(const QString &name, const QByteArray &owner,
                                           QByteArray *key)
    {
        ServerProcess &a = m_cluster.server(0);
        *key = createStream(a, owner, name);
        if (key->isEmpty())
            return nullptr;
        auto source = startTool(QStringLiteral("ffmpeg"),
                                ffmpegSineSource(a.httpPort(), *key, name, 60), true);
        const bool live =
            waitForStreamState(a, owner, name, QStringLiteral("live"), 10000) &&
            waitForStreamState(m_cluster.server(1), owner, name, QStringLiteral("live"), 10000);
        return live ? std::move(source) : nullptr;
    }

    ServerCluster m_cluster;
    QByteArray m_token;
    std::unique_ptr<QProcess> m_source;
};

QTEST_GUILESS_MAIN(TestClusterStreams)
#include "tst_cluster_streams.moc"
