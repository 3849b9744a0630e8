// The low-latency WebSocket listener /listen/{name} against the real binary, with a real ffmpeg
// source and a real QWebSocket client: the hello, packets with continuous sequence numbers at
// the real-time rate whose Opus decodes to 440 Hz, the end-to-end latency metric; a listener
// that stops reading moves down the ladder and comes back up once it keeps up; a client's own
// choice of rendition; refusals with their close codes. /monitor's degraded share of the
// stream follows the listener's quality.
#include "HttpProbe.h"
#include "IngestTools.h"
#include "JsonSocket.h"
#include "ServerProcess.h"
#include "audio/OggOpusMuxer.h"
#include "net/ws/FrameWriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QtEndian>

using namespace veza::testing;

namespace {

struct Packet
{
    int version = 0;
    int rendition = -1;
    quint32 sequence = 0;
    qint64 captureUs = 0;
    QByteArray opus;
    qint64 receivedMs = 0;
};

Packet parsePacket(const QByteArray &frame)
{
    Packet packet;
    if (frame.size() < 16)
        return packet;
    const auto *bytes = reinterpret_cast<const uchar *>(frame.constData());
    packet.version = bytes[0];
    packet.rendition = bytes[1];
    packet.sequence = qFromBigEndian<quint32>(bytes + 4);
    packet.captureUs = qFromBigEndian<qint64>(bytes + 8);
    packet.opus = frame.mid(16);
    packet.receivedMs = QDateTime::currentMSecsSinceEpoch();
    return packet;
}

// A QWebSocket listener keeping every text message and packet.
class Listener : public JsonSocket
{
public:
    explicit Listener(const QUrl &url)
    {
        QObject::connect(&socket(), &QWebSocket::binaryMessageReceived, &socket(),
                         [this](const QByteArray &frame) { packets.append(parsePacket(frame)); });
        open(url);
    }

    // The first text message of `type` received so far; empty if none.
    QJsonObject text(const QString &type) const
    {
        for (const QJsonObject &message : frames) {
            if (message.value(QStringLiteral("type")).toString() == type)
                return message;
        }
        return {};
    }

    QList<Packet> packets;
};

// A listener over a raw socket with a tiny receive window, so it can stop reading: the
// server's side of the connection then backs up as on a slow network.
class RawListener
{
public:
    RawListener(quint16 port, const QByteArray &path)
        : client(port, 4096)
    {
        client.send("GET " + path +
                    " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
                    "13\r\n\r\n");
    }

    // Reads for `ms`, parsing frames; keeps the text messages.
    void read(int ms)
    {
        QDeadlineTimer deadline(ms);
        while (!deadline.hasExpired()) {
            buffer += client.read(50, 1 << 20);
            parse();
        }
    }

    void parse()
    {
        if (!upgraded) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            upgraded = buffer.startsWith("HTTP/1.1 101");
            buffer.remove(0, end + 4);
        }
        for (;;) {
            if (buffer.size() < 2)
                return;
            const int opcode = quint8(buffer[0]) & 0x0f;
            qint64 length = quint8(buffer[1]) & 0x7f;
            qsizetype offset = 2;
            if (length == 126) {
                if (buffer.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(buffer.constData() + 2);
                offset = 4;
            } else if (length == 127) {
                if (buffer.size() < 10)
                    return;
                length = qFromBigEndian<qint64>(buffer.constData() + 2);
                offset = 10;
            }
            if (buffer.size() < offset + length)
                return;
            const QByteArray payload = buffer.mid(offset, length);
            buffer.remove(0, offset + length);
            if (opcode == 1)
                texts.append(QJsonDocument::fromJson(payload).object());
            else if (opcode == 2)
                ++packets;
            else if (opcode == 8)
                closed = true;
        }
    }

    QList<QJsonObject> renditionMessages() const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &message : texts) {
            if (message.value(QStringLiteral("type")).toString() == QLatin1String("rendition"))
                found.append(message);
        }
        return found;
    }

    RawClient client;
    QByteArray buffer;
    bool upgraded = false;
    bool closed = false;
    int packets = 0;
    QList<QJsonObject> texts;
};

// 20 ms Ogg pages, as a browser's MediaRecorder sends (ffmpeg's default is a page a second).
const QStringList kOpus128{QStringLiteral("-c:a"),           QStringLiteral("libopus"),
                           QStringLiteral("-b:a"),           QStringLiteral("128k"),
                           QStringLiteral("-page_duration"), QStringLiteral("20000")};

} // namespace

class TestWsListen : public QObject
{
    Q_OBJECT

private:
    QUrl listenUrl(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/listen/%2")
                        .arg(m_server->webSocketPort())
                        .arg(pathAndQuery));
    }

    std::unique_ptr<QProcess> publish(const QString &name, int seconds)
    {
        const QByteArray key = createStream(*m_server, m_token, name);
        auto source =
            startTool(QStringLiteral("ffmpeg"),
                      ffmpegToneSource(m_server->httpPort(), key, name, seconds, kOpus128,
                                       QStringLiteral("audio/ogg"), QStringLiteral("ogg")),
                      true);
        if (!waitForStreamState(*m_server, m_token, name, QStringLiteral("live"), 5000))
            return nullptr;
        return source;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!haveFfmpeg())
            QSKIP("ffmpeg with libmp3lame and ffprobe are needed");
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("STREAM_SOURCE_GRACE_S"), QStringLiteral("1"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
        m_token = m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
    }

    void cleanupTestCase() { m_server.reset(); }

    void packetsArriveInOrderAtTheRealTimeRate()
    {
        auto source = publish(QStringLiteral("live1"), 12);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        Listener listener(listenUrl(QStringLiteral("live1?bitrate=64")));
        QTRY_VERIFY_WITH_TIMEOUT(!listener.text(QStringLiteral("hello")).isEmpty(), 5000);
        const QJsonObject hello = listener.text(QStringLiteral("hello"));
        QCOMPARE(hello.value(QStringLiteral("codec")).toString(), QStringLiteral("opus"));
        QCOMPARE(hello.value(QStringLiteral("sample_rate")).toInt(), 48000);
        QCOMPARE(hello.value(QStringLiteral("header_bytes")).toInt(), 16);
        QCOMPARE(hello.value(QStringLiteral("adaptive")).toBool(), false);
        const QJsonArray renditions = hello.value(QStringLiteral("renditions")).toArray();
        QCOMPARE(renditions.size(), 4);
        QCOMPARE(renditions.at(1).toObject().value(QStringLiteral("bitrate")).toInt(), 64000);
        QCOMPARE(hello.value(QStringLiteral("rendition")).toInt(), 1);

        // A second of recent audio at once, then 50 packets a second.
        QTest::qWait(1500);
        const int afterBurst = int(listener.packets.size());
        QVERIFY2(afterBurst >= 40, qPrintable(QString::number(afterBurst)));
        QTest::qWait(4000);
        const int inFourSeconds = int(listener.packets.size()) - afterBurst;
        QVERIFY2(inFourSeconds >= 170 && inFourSeconds <= 230,
                 qPrintable(QString::number(inFourSeconds)));

        const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        for (int i = 0; i < listener.packets.size(); ++i) {
            const Packet &packet = listener.packets[i];
            QCOMPARE(packet.version, 1);
            QCOMPARE(packet.rendition, 1);
            QVERIFY(!packet.opus.isEmpty());
            QVERIFY(std::abs(nowUs - packet.captureUs) < 15 * 1000 * 1000);
            if (i > 0)
                QCOMPARE(packet.sequence, listener.packets[i - 1].sequence + 1);
        }

        // The packets are real Opus: wrapped in Ogg they decode to the source's 440 Hz.
        QTemporaryDir dir;
        veza::audio::OggOpusMuxer muxer(1);
        QByteArray ogg = muxer.headerPages();
        std::vector<veza::audio::EncodedPacket> packets;
        for (const Packet &packet : std::as_const(listener.packets))
            packets.push_back({packet.opus, 960, 0});
        ogg += muxer.pages(packets);
        QFile file(dir.filePath(QStringLiteral("heard.ogg")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ogg);
        file.close();
        QVERIFY(is440Hz(decodeToPcm(file.fileName(), 5)));

        QVERIFY(scrapeMetric(m_server->metricsPort(), "stream_end_to_end_latency_seconds_count") >
                100);
        QVERIFY(scrapeMetric(m_server->metricsPort(), "stream_websocket_listeners") >= 1);

        // The stream ends: the listener is told (1001) and closed.
        source->kill();
        source->waitForFinished(5000);
        QTRY_VERIFY_WITH_TIMEOUT(listener.isClosed(), 5000);
        QCOMPARE(int(listener.socket().closeCode()), 1001);

        // The visit is in the stream's listener history.
        QJsonObject visit;
        QTRY_VERIFY_WITH_TIMEOUT(!(visit = HttpProbe(m_server->httpPort())
                                               .get("/api/streams/live1/listeners", 5000,
                                                    "Authorization: Bearer " + m_token + "\r\n")
                                               .json()
                                               .value(QStringLiteral("listeners"))
                                               .toArray()
                                               .at(0)
                                               .toObject())
                                      .isEmpty(),
                                 5000);
        QCOMPARE(visit.value(QStringLiteral("kind")).toString(), QStringLiteral("websocket"));
        QCOMPARE(visit.value(QStringLiteral("rendition")).toString(), QStringLiteral("opus64"));
        QCOMPARE(visit.value(QStringLiteral("end_reason")).toString(),
                 QStringLiteral("stream_ended"));
        QCOMPARE(visit.value(QStringLiteral("address")).toString(), QStringLiteral("127.0.0.1"));
        QVERIFY(visit.value(QStringLiteral("bytes")).toDouble() > 5 * 8000);
    }

    void slowListenerMovesDownAndRecovers()
    {
        auto source = publish(QStringLiteral("live2"), 40);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        // The console's view of the stream's quality: /monitor's degraded share.
        JsonSocket monitor;
        monitor.open(
            QUrl(QStringLiteral("ws://127.0.0.1:%1/monitor").arg(m_server->webSocketPort())),
            m_server->token(QStringLiteral("mod"), QStringLiteral("moderator")));
        const auto degradedShare = [&monitor] {
            const QJsonArray streams =
                monitor.lastOf(QStringLiteral("stats")).value(QStringLiteral("streams")).toArray();
            for (const QJsonValue &stream : streams) {
                if (stream.toObject().value(QStringLiteral("name")).toString() == u"live2")
                    return stream.toObject().value(QStringLiteral("degraded_percent"));
            }
            return QJsonValue(QJsonValue::Undefined);
        };
        QTRY_VERIFY_WITH_TIMEOUT(degradedShare().isNull(), 3000); // no /listen listener yet

        RawListener slow(m_server->webSocketPort(), "/listen/live2");
        QDeadlineTimer keepingUp(3000);
        while (!keepingUp.hasExpired() && degradedShare() != QJsonValue(0)) {
            slow.read(100);
            QCoreApplication::processEvents();
        }
        QCOMPARE(degradedShare(), QJsonValue(0)); // measured, and keeping up
        QVERIFY(slow.upgraded);
        QCOMPARE(slow.texts.value(0).value(QStringLiteral("rendition")).toInt(), 3); // 128k
        QVERIFY(slow.texts.value(0).value(QStringLiteral("adaptive")).toBool());

        // Not reading: the server's side backs up until it steps the listener down.
        QDeadlineTimer deadline(15000);
        while (!deadline.hasExpired() &&
               scrapeMetric(m_server->metricsPort(),
                            "stream_rendition_switches_total{direction=\"down\"}") < 1)
            QTest::qWait(250);
        qInfo() << "stepped down after" << 15000 - deadline.remainingTime() << "ms";
        slow.read(3000);
        const QList<QJsonObject> down = slow.renditionMessages();
        QVERIFY2(!down.isEmpty(), "a listener that stopped reading moves down the ladder");
        QCOMPARE(down.first().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("congestion"));
        QVERIFY(down.last().value(QStringLiteral("rendition")).toInt() < 3);
        QVERIFY(!slow.closed);
        // Below the rung it asked for: the stream's only listener is degraded.
        QTRY_COMPARE_WITH_TIMEOUT(degradedShare(), QJsonValue(100), 3000);

        slow.read(20000); // keeping up now: back up the ladder, a rung at a time
        const QList<QJsonObject> all = slow.renditionMessages();
        QVERIFY2(all.last().value(QStringLiteral("reason")).toString() ==
                     QLatin1String("recovered"),
                 QJsonDocument(all.last()).toJson().constData());
        QVERIFY(all.last().value(QStringLiteral("rendition")).toInt() >
                down.last().value(QStringLiteral("rendition")).toInt());
        QVERIFY(!slow.closed);
        source->kill();
        source->waitForFinished(5000);
    }

    // ADAPTIVE_BITRATE=false: a listener that picks no rung stays on the DEFAULT_BITRATE one
    // (not adaptive) unless it asks with ?adaptive=1.
    void adaptiveBitrateOffKeepsTheDefaultRung()
    {
        auto fixed = std::make_unique<ServerProcess>();
        fixed->setEnv(QStringLiteral("ADAPTIVE_BITRATE"), QStringLiteral("false"));
        QVERIFY2(fixed->start(), qPrintable(fixed->diagnostics()));
        std::swap(m_server, fixed); // publish() and listenUrl() use m_server
        const QByteArray token = std::exchange(
            m_token, m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster")));
        const auto restore = qScopeGuard([&] {
            std::swap(m_server, fixed);
            m_token = token;
        });
        auto source = publish(QStringLiteral("fixed"), 12);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        Listener plain(listenUrl(QStringLiteral("fixed")));
        QTRY_VERIFY_WITH_TIMEOUT(!plain.packets.isEmpty(), 5000);
        const QJsonObject hello = plain.text(QStringLiteral("hello"));
        QCOMPARE(hello.value(QStringLiteral("adaptive")).toBool(), false);
        QCOMPARE(hello.value(QStringLiteral("rendition")).toInt(), 3); // 128k, DEFAULT_BITRATE
        Listener asked(listenUrl(QStringLiteral("fixed?adaptive=1")));
        QTRY_VERIFY_WITH_TIMEOUT(!asked.text(QStringLiteral("hello")).isEmpty(), 5000);
        QCOMPARE(asked.text(QStringLiteral("hello")).value(QStringLiteral("adaptive")).toBool(),
                 true);
        source->kill();
        source->waitForFinished(5000);
    }

    void clientPicksItsRendition()
    {
        auto source = publish(QStringLiteral("live3"), 12);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        Listener listener(listenUrl(QStringLiteral("live3")));
        QTRY_VERIFY_WITH_TIMEOUT(!listener.packets.isEmpty(), 5000);
        QCOMPARE(listener.text(QStringLiteral("hello")).value(QStringLiteral("adaptive")).toBool(),
                 true);
        // Bad messages get an error each and the connection stays.
        for (const QString &bad : {QStringLiteral("not json"), QStringLiteral(R"({"type":"x"})"),
                                   QStringLiteral(R"({"type":"buffer"})"),
                                   QStringLiteral(R"({"type":"select","bitrate":50})")}) {
            const qsizetype before = listener.frames.size();
            listener.socket().sendTextMessage(bad);
            QVERIFY2(!listener.waitFor(QStringLiteral("error"), {}, 3000, before).isEmpty(),
                     qPrintable(bad));
        }
        const qsizetype beforeBinary = listener.frames.size();
        listener.socket().sendBinaryMessage(QByteArray(16, 'x'));
        QVERIFY(!listener.waitFor(QStringLiteral("error"), {}, 3000, beforeBinary).isEmpty());
        QVERIFY(!listener.isClosed());

        // An almost empty client buffer moves an adaptive listener a rung down (after the
        // 2 s between moves).
        QTest::qWait(2000);
        listener.socket().sendTextMessage(R"({"type":"buffer","ms":50})");
        const QJsonObject lowBuffer = listener.waitFor(QStringLiteral("rendition"));
        QCOMPARE(lowBuffer.value(QStringLiteral("reason")).toString(),
                 QStringLiteral("buffer_low"));
        QCOMPARE(lowBuffer.value(QStringLiteral("rendition")).toInt(), 2);

        const qsizetype beforeSelect = listener.frames.size();
        listener.socket().sendTextMessage(R"({"type":"select","bitrate":32})");
        const QJsonObject moved =
            listener.waitFor(QStringLiteral("rendition"), {}, 3000, beforeSelect);
        QCOMPARE(moved.value(QStringLiteral("rendition")).toInt(), 0);
        QCOMPARE(moved.value(QStringLiteral("bitrate")).toInt(), 32000);
        QCOMPARE(moved.value(QStringLiteral("reason")).toString(), QStringLiteral("requested"));
        const int before = int(listener.packets.size());
        QTRY_VERIFY_WITH_TIMEOUT(listener.packets.size() > before + 20, 3000);
        QCOMPARE(listener.packets.last().rendition, 0);
        listener.socket().sendTextMessage(R"({"type":"ping"})");
        QTRY_VERIFY_WITH_TIMEOUT(!listener.text(QStringLiteral("pong")).isEmpty(), 3000);
        source->kill();
        source->waitForFinished(5000);
    }

    void refusalsHaveCloseCodes()
    {
        Listener offline(listenUrl(QStringLiteral("nosuch")));
        QTRY_VERIFY_WITH_TIMEOUT(offline.isClosed(), 5000);
        QCOMPARE(int(offline.socket().closeCode()), 4404);

        auto source = publish(QStringLiteral("live4"), 8);
        QVERIFY2(source, qPrintable(m_server->diagnostics()));
        Listener wrongRate(listenUrl(QStringLiteral("live4?bitrate=50")));
        QTRY_VERIFY_WITH_TIMEOUT(wrongRate.isClosed(), 5000);
        QCOMPARE(int(wrongRate.socket().closeCode()), 1008);
        source->kill();
        source->waitForFinished(5000);
    }

private:
    std::unique_ptr<ServerProcess> m_server;
    QByteArray m_token;
};

QTEST_GUILESS_MAIN(TestWsListen)
#include "tst_wslisten.moc"
