// The WebSocket layer (RFC 6455) on the wire, against the real binary: a raw TCP client sends
// hand-made bytes (fragments, control frames, violations, broken handshakes, odd TCP splits)
// and checks what comes back, frame by frame. One server serves every case; each case uses
// its own connections, and the last one checks that the abuse left the server unaffected.
#include "ServerProcess.h"
#include "WebSocketTestClient.h"
#include "net/ws/FrameWriter.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>
#include <QThread>

using namespace veza::testing;
using veza::net::ws::Opcode;
using Frame = RawWebSocketClient::Frame;

namespace {

const QByteArray kPing = QByteArrayLiteral("{\"type\":\"ping\"}");
const QString kPongText = QStringLiteral("text:{\"type\":\"pong\"}"); // as describe() puts it

// A client frame masked with a fresh key whose bytes are all non-zero, so an unmasked
// reading of the payload would be garbage.
QByteArray masked(Opcode opcode, const QByteArray &payload, bool fin = true)
{
    static quint32 seed = 0x2545F491;
    seed = seed * 1103515245u + 12345u;
    return veza::net::ws::maskedFrame(opcode, payload, seed | 0x01010101u, fin);
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xFF) + reason;
}

QByteArray randomKey()
{
    QByteArray bytes(16, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(QRandomGenerator::global()->bounded(256));
    return bytes.toBase64();
}

QByteArray upgradeRequest(const QByteArray &path, const QByteArray &extraHeaders = {},
                          const QByteArray &key = "dGhlIHNhbXBsZSBub25jZQ==")
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
           "Connection: Upgrade\r\nSec-WebSocket-Key: " + key +
           "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
}

// Computed here, not with the server's code: base64(SHA-1(key + GUID)), RFC 6455 §4.2.2.
QByteArray expectedAccept(const QByteArray &key)
{
    return QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                    QCryptographicHash::Sha1)
        .toBase64();
}

// A header's value in a response head (names compared case-insensitively); null if absent.
QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0 && lines[i].left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return lines[i].mid(colon + 1).trimmed();
    }
    return {};
}

// A frame as a readable string for QCOMPARE: "text:...", "pong:abc", "close:1002", "none".
QString describe(const Frame &frame)
{
    if (!frame.received)
        return QStringLiteral("none");
    QString flags;
    if (!frame.fin)
        flags += QStringLiteral("nofin-");
    if (frame.masked)
        flags += QStringLiteral("masked-");
    if (frame.reservedBits)
        flags += QStringLiteral("rsv-");
    switch (frame.opcode) {
    case 0x1:
        return flags + QStringLiteral("text:") + QString::fromUtf8(frame.payload);
    case 0x2:
        return flags + QStringLiteral("binary:") + QString::fromLatin1(frame.payload.toHex());
    case 0x8:
        return flags + (frame.payload.isEmpty()
                            ? QStringLiteral("close")
                            : QStringLiteral("close:%1").arg(frame.closeCode()));
    case 0x9:
        return flags + QStringLiteral("ping:") + QString::fromLatin1(frame.payload);
    case 0xA:
        return flags + QStringLiteral("pong:") + QString::fromLatin1(frame.payload);
    }
    return flags + QStringLiteral("opcode%1").arg(frame.opcode);
}

} // namespace

class TestWsServer : public QObject
{
    Q_OBJECT

    ServerProcess m_server;

    // Connects to `path` and sends the upgrade request: the response head (empty if none).
    QByteArray open(RawWebSocketClient &client, const QByteArray &path = "/",
                    const QByteArray &headers = {})
    {
        if (!client.connectTo(m_server.webSocketPort()))
            return {};
        client.sendRaw(upgradeRequest(path, headers));
        return client.readResponseHead();
    }

    // Whether a fresh, well-behaved client on `/` gets its pong.
    bool freshClientGetsPong()
    {
        RawWebSocketClient client;
        if (!open(client).startsWith("HTTP/1.1 101 "))
            return false;
        client.sendRaw(masked(Opcode::Text, kPing));
        return describe(client.readFrame()) == kPongText;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.diagnostics()));
        QCOMPARE(expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="),
                 QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    void fragmentedMessageWithInterleavedPing_data()
    {
        QTest::addColumn<bool>("oneWrite");
        QTest::newRow("all frames in one TCP write") << true;
        QTest::newRow("rest sent after the pong") << false;
    }

    void fragmentedMessageWithInterleavedPing()
    {
        QFETCH(bool, oneWrite);
        RawWebSocketClient client;
        QVERIFY(open(client).startsWith("HTTP/1.1 101 "));
        const QByteArray first =
            masked(Opcode::Text, "{\"type\"", false) + masked(Opcode::Ping, "abc");
        const QByteArray rest =
            masked(Opcode::Continuation, ":\"pi", false) + masked(Opcode::Continuation, "ng\"}");
        client.sendRaw(oneWrite ? QByteArray(first + rest) : first);
        QCOMPARE(describe(client.readFrame()), QStringLiteral("pong:abc")); // before the answer
        if (!oneWrite) // the ping was answered while the message was still open
            client.sendRaw(rest);
        QCOMPARE(describe(client.readFrame()), kPongText);
    }

    void characterSplitAcrossFragments()
    {
        RawWebSocketClient client; // UTF-8 is checked across fragments, not within each one
        QVERIFY(open(client).startsWith("HTTP/1.1 101 "));
        client.sendRaw(masked(Opcode::Text, "{\"type\":\"ping\",\"n\":\"\xce", false) +
                       masked(Opcode::Continuation, "\xba\"}")); // U+03BA in two halves
        QCOMPARE(describe(client.readFrame()), kPongText);
    }

    void pingIsAnsweredWithItsPayload_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("abc") << QByteArray("abc");
        QTest::newRow("empty") << QByteArray();
        QByteArray every(125, Qt::Uninitialized); // the largest control payload, any bytes
        for (int i = 0; i < every.size(); ++i)
            every[i] = char(255 - 2 * i);
        QTest::newRow("125 binary bytes") << every;
    }

    void pingIsAnsweredWithItsPayload()
    {
        QFETCH(QByteArray, payload);
        RawWebSocketClient client;
        QVERIFY(open(client).startsWith("HTTP/1.1 101 "));
        client.sendRaw(masked(Opcode::Ping, payload));
        const Frame pong = client.readFrame();
        QCOMPARE(describe(pong).section(u':', 0, 0), QStringLiteral("pong"));
        QCOMPARE(pong.payload, payload);
    }

    void violationsCloseTheConnection_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked frame") << veza::net::ws::frame(Opcode::Text, kPing) << 1002;
        QTest::newRow("invalid UTF-8") << masked(Opcode::Text, QByteArray::fromHex("c0af")) << 1007;
        QTest::newRow("invalid UTF-8 across fragments")
            << QByteArray(masked(Opcode::Text, "{\"type\":\"\xce", false) +
                          masked(Opcode::Continuation, "A\"}"))
            << 1007;
        QTest::newRow("UTF-8 cut at the last fragment")
            << QByteArray(masked(Opcode::Text, "\xf0\x9f", false) +
                          masked(Opcode::Continuation, "\x98"))
            << 1007;
        QByteArray rsv1 = masked(Opcode::Text, kPing);
        rsv1[0] = char(rsv1[0] | 0x40);
        QTest::newRow("RSV1 set") << rsv1 << 1002;
        QByteArray rsv3 = masked(Opcode::Ping, "x");
        rsv3[0] = char(rsv3[0] | 0x10);
        QTest::newRow("RSV3 set on a ping") << rsv3 << 1002;
        QTest::newRow("opcode 0x3") << masked(Opcode(0x3), kPing) << 1002;
        QTest::newRow("opcode 0xB") << masked(Opcode(0xB), "x") << 1002;
        QTest::newRow("ping of 126 bytes") << masked(Opcode::Ping, QByteArray(126, 'p')) << 1002;
        QTest::newRow("fragmented ping") << masked(Opcode::Ping, "x", false) << 1002;
        QTest::newRow("continuation without a start")
            << masked(Opcode::Continuation, kPing) << 1002;
        QTest::newRow("text while a message is open")
            << QByteArray(masked(Opcode::Text, "{", false) + masked(Opcode::Text, kPing)) << 1002;
        QTest::newRow("close code 1005") << masked(Opcode::Close, closePayload(1005)) << 1002;
        QTest::newRow("close code 999") << masked(Opcode::Close, closePayload(999)) << 1002;
        QTest::newRow("close code 1015") << masked(Opcode::Close, closePayload(1015)) << 1002;
        QTest::newRow("close payload of 1 byte") << masked(Opcode::Close, "\x03") << 1002;
        QTest::newRow("close reason not UTF-8")
            << masked(Opcode::Close, closePayload(1000, "\xff")) << 1007;
        // 10 MB announced, header only: refused from the header, without waiting for data.
        const QByteArray tenMegabytes = QByteArray::fromHex("82ff0000000000989680") + "abcd";
        QTest::newRow("10 MB header alone") << tenMegabytes << 1009;
        QTest::newRow("one 70 KiB frame")
            << masked(Opcode::Text, QByteArray(70 * 1024, 'x')) << 1009;
        QTest::newRow("64 KiB + 1 over fragments")
            << QByteArray(masked(Opcode::Binary, QByteArray(40000, 'a'), false) +
                          masked(Opcode::Continuation, QByteArray(25537, 'b')))
            << 1009;
    }

    void violationsCloseTheConnection()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        RawWebSocketClient client;
        QVERIFY(open(client).startsWith("HTTP/1.1 101 "));
        client.sendRaw(bytes);
        QElapsedTimer elapsed;
        elapsed.start();
        // The close frame comes first (nothing of the bad input is answered), and promptly.
        const Frame close = client.readFrame(2000);
        QCOMPARE(describe(close), QStringLiteral("close:%1").arg(code));
        QVERIFY(!close.closeReason().isEmpty());
        // Then the server ends TCP by itself: the connection is failed, not closed
        // politely, so it does not wait for the client's close frame (RFC 6455 §7.1.7).
        QVERIFY2(
            client.waitForServerClose(2000),
            qPrintable(
                QStringLiteral("TCP still open %1 ms after the bad input").arg(elapsed.elapsed())));
        QCOMPARE(describe(client.readFrame(0)), QStringLiteral("none"));
    }

    void clientCloseIsEchoedThenTcpEnds_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("echo");
        QTest::newRow("1000 bye") << closePayload(1000, "bye") << QStringLiteral("close:1000");
        QTest::newRow("4000") << closePayload(4000) << QStringLiteral("close:4000");
        QTest::newRow("no code") << QByteArray() << QStringLiteral("close"); // never 1005
    }

    void clientCloseIsEchoedThenTcpEnds()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, echo);
        RawWebSocketClient client;
        QVERIFY(open(client).startsWith("HTTP/1.1 101 "));
        client.sendRaw(masked(Opcode::Close, payload) + masked(Opcode::Text, kPing));
        QElapsedTimer elapsed;
        elapsed.start();
        QCOMPARE(describe(client.readFrame(2000)), echo); // the ping after the close is ignored
        QVERIFY(client.waitForServerClose(2000));
        QVERIFY2(elapsed.elapsed() < 2000, qPrintable(QString::number(elapsed.elapsed())));
        QCOMPARE(describe(client.readFrame(0)), QStringLiteral("none"));
    }

    void handshakeErrors_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QByteArray v12 = upgradeRequest("/");
        v12.replace("Version: 13", "Version: 12");
        QTest::newRow("version 12")
            << v12 << 426 << QByteArray("Sec-WebSocket-Version") << QByteArray("13");
        QByteArray post = upgradeRequest("/");
        post.replace(0, 3, "POST");
        QTest::newRow("POST") << post << 405 << QByteArray("Allow") << QByteArray("GET");
        QByteArray noKey = upgradeRequest("/");
        noKey.replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");
        QTest::newRow("no key") << noKey << 400 << QByteArray() << QByteArray();
        QTest::newRow("head over 8 KiB")
            << upgradeRequest("/", "X-Filler: " + QByteArray(9000, 'f') + "\r\n") << 431
            << QByteArray() << QByteArray();
        QTest::newRow("plain GET") << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") << 426
                                   << QByteArray("Upgrade") << QByteArray("websocket");
    }

    void handshakeErrors()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        RawWebSocketClient client;
        QVERIFY(client.connectTo(m_server.webSocketPort()));
        client.sendRaw(request);
        const QByteArray head = client.readResponseHead();
        QVERIFY2(head.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')),
                 head.constData());
        if (!header.isEmpty())
            QCOMPARE(headerValue(head, header), value);
        QVERIFY(client.waitForServerClose(2000)); // Connection: close, and no upgrade
        QVERIFY(freshClientGetsPong());
    }

    void subprotocolAndAcceptKey_data()
    {
        QTest::addColumn<QByteArray>("offered");
        QTest::addColumn<QByteArray>("selected");
        QTest::newRow("veza.chat.v1") << QByteArray("veza.chat.v1") << QByteArray("veza.chat.v1");
        QTest::newRow("among others")
            << QByteArray("foo, veza.chat.v1, bar") << QByteArray("veza.chat.v1");
        QTest::newRow("unknown only") << QByteArray("veza.chat.v2") << QByteArray();
        QTest::newRow("none offered") << QByteArray() << QByteArray();
    }

    void subprotocolAndAcceptKey()
    {
        QFETCH(QByteArray, offered);
        QFETCH(QByteArray, selected);
        const QByteArray key = randomKey();
        const QByteArray extra = offered.isEmpty()
                                     ? QByteArray()
                                     : QByteArray("Sec-WebSocket-Protocol: " + offered + "\r\n");
        RawWebSocketClient client;
        QVERIFY(client.connectTo(m_server.webSocketPort()));
        client.sendRaw(upgradeRequest("/chat", extra, key));
        const QByteArray head = client.readResponseHead();
        QVERIFY2(head.startsWith("HTTP/1.1 101 "), head.constData());
        QCOMPARE(headerValue(head, "Sec-WebSocket-Accept"), expectedAccept(key));
        QCOMPARE(headerValue(head, "Upgrade").toLower(), QByteArray("websocket"));
        QCOMPARE(headerValue(head, "Sec-WebSocket-Protocol"), selected);
    }

    void requestSplitByteByByte()
    {
        RawWebSocketClient client;
        QVERIFY(client.connectTo(m_server.webSocketPort()));
        client.socket().setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QByteArray request = upgradeRequest("/");
        for (char byte : request) { // one TCP segment per byte
            client.sendRaw(QByteArray(1, byte));
            QThread::msleep(3);
        }
        const QByteArray head = client.readResponseHead();
        QVERIFY2(head.startsWith("HTTP/1.1 101 "), head.constData());
        for (char byte : masked(Opcode::Text, kPing)) { // and a frame split the same way
            client.sendRaw(QByteArray(1, byte));
            QThread::msleep(3);
        }
        QCOMPARE(describe(client.readFrame()), kPongText);
    }

    void framesPipelinedWithTheHandshake()
    {
        RawWebSocketClient client;
        QVERIFY(client.connectTo(m_server.webSocketPort()));
        client.sendRaw(upgradeRequest("/") + masked(Opcode::Text, kPing) +
                       masked(Opcode::Ping, "p"));
        const QByteArray head = client.readResponseHead();
        QVERIFY2(head.startsWith("HTTP/1.1 101 "), head.constData());
        QCOMPARE(describe(client.readFrame()), kPongText);
        QCOMPARE(describe(client.readFrame()), QStringLiteral("pong:p"));
    }

    void manyFramesInOneWrite()
    {
        RawWebSocketClient client;
        QVERIFY(open(client).startsWith("HTTP/1.1 101 "));
        constexpr int kCount = 200;
        QByteArray burst;
        for (int i = 0; i < kCount; ++i)
            burst += masked(Opcode::Text, kPing) + masked(Opcode::Ping, QByteArray::number(i));
        client.sendRaw(burst);
        for (int i = 0; i < kCount; ++i) {
            QCOMPARE(describe(client.readFrame()), kPongText);
            QCOMPARE(describe(client.readFrame()), QStringLiteral("pong:%1").arg(i));
        }
        QCOMPARE(describe(client.readFrame(200)), QStringLiteral("none"));
    }

    void serverIsUnaffectedByTheAbuse()
    {
        QVERIFY(m_server.isRunning());
        QVERIFY2(freshClientGetsPong(), qPrintable(m_server.diagnostics()));
    }
};

QTEST_GUILESS_MAIN(TestWsServer)
#include "tst_wsserver.moc"
