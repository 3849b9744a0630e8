// ChatDelivery's per-connection delivered watermarks, in process over a socketpair: a message
// reaches a client once whether the replay or the live publish writes it first, a resume floor
// holds back what was already replayed, and non-message events (seq 0) always pass. The real
// chain (FdTransport, WebSocketConnection, ChatConnection) writes the frames; the test reads
// them from the client end of the socket as a client would.
#include "chat/ChatMetrics.h"
#include "metrics/MetricsRegistry.h"
#include "net/ChatConnection.h"
#include "net/ChatDelivery.h"
#include "net/NetworkChatOutbox.h"
#include "net/WebSocketConnection.h"
#include "net/transport/FdTransport.h"
#include "net/transport/FlushQueue.h"
#include "net/ws/Handshake.h"
#include "protocol/ServerFrames.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <cerrno>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace veza;

namespace {

constexpr qint64 kRoom = 7;
const QString kRoomName = QStringLiteral("lobby");

QByteArray messageFrame(qint64 seq)
{
    return protocol::eventFrame(protocol::MessageType::Message,
                                {{QStringLiteral("room"), kRoomName},
                                 {QStringLiteral("message_id"), seq},
                                 {QStringLiteral("text"), QStringLiteral("hello %1").arg(seq)}});
}

QByteArray presenceFrame()
{
    return protocol::eventFrame(protocol::MessageType::Presence,
                                {{QStringLiteral("room"), kRoomName},
                                 {QStringLiteral("user"), QStringLiteral("alice")},
                                 {QStringLiteral("online"), true}});
}

// Accepts every upgrade on /chat and attaches a ChatConnection without a token: it is never
// authenticated (so the chat service is never called), yet receives what ChatDelivery sends.
class ChatOwner final : public net::WebSocketOwner
{
public:
    explicit ChatOwner(const net::ChatEndpoint &endpoint)
        : m_endpoint(endpoint)
    {
    }

    bool closed = false;

    void upgradeRequested(net::WebSocketConnection &connection,
                          const net::ws::UpgradeRequest &) override
    {
        connection.accept({});
        connection.attach(
            std::make_unique<net::ChatConnection>(connection, m_endpoint, QByteArrayView()));
    }
    void connectionClosed(net::WebSocketConnection &) override { closed = true; }

private:
    const net::ChatEndpoint &m_endpoint;
};

// The server side of one chat connection and the client end of its socket. Members are
// destroyed in reverse: the connection (and its ChatConnection, which leaves the delivery)
// before the flush queue, the delivery and the metrics it uses.
struct Harness
{
    Harness()
        : metrics(registry)
        , delivery(0, metrics)
        , owner(endpoint)
    {
        endpoint.delivery = &delivery;
        endpoint.metrics = &metrics;
    }
    ~Harness()
    {
        connection.reset();
        if (clientFd >= 0)
            ::close(clientFd);
    }

    metrics::MetricsRegistry registry;
    chat::ChatMetrics metrics;
    net::ChatDelivery delivery;
    net::ChatEndpoint endpoint;
    net::FlushQueue flushQueue;
    ChatOwner owner;
    std::unique_ptr<net::WebSocketConnection> connection;
    int clientFd = -1;
    QByteArray received; // bytes from the server not yet decoded
    QList<QJsonObject> frames;
    int markers = 0;
};

} // namespace

class TestChatDelivery : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Harness> m_h;
    // The id ChatDelivery gave the connection: the first of a fresh delivery (checked in
    // init() by a frame sent to it reaching the client).
    static constexpr quint64 kId = 1;

    bool writeAll(QByteArrayView bytes)
    {
        qsizetype offset = 0;
        while (offset < bytes.size()) {
            const ssize_t sent = ::send(m_h->clientFd, bytes.data() + offset,
                                        size_t(bytes.size() - offset), MSG_NOSIGNAL);
            if (sent > 0)
                offset += sent;
            else if (sent < 0 && errno != EINTR && errno != EAGAIN)
                return false;
        }
        return true;
    }

    // Reads what the server has written so far (non-blocking).
    void readAvailable()
    {
        char buffer[16384];
        for (;;) {
            const ssize_t got = ::recv(m_h->clientFd, buffer, sizeof buffer, 0);
            if (got > 0) {
                m_h->received.append(buffer, got);
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            return;
        }
    }

    // Decodes the complete server->client frames received (unmasked, unfragmented text).
    void decodeFrames()
    {
        readAvailable();
        QByteArray &in = m_h->received;
        for (;;) {
            if (in.size() < 2)
                return;
            const auto *bytes = reinterpret_cast<const uchar *>(in.constData());
            const int opcode = bytes[0] & 0x0f;
            QVERIFY2((bytes[0] & 0x80) != 0, "fragmented frame");
            QVERIFY2((bytes[1] & 0x80) == 0, "masked server frame");
            qsizetype header = 2;
            quint64 length = bytes[1] & 0x7f;
            if (length == 126) {
                if (in.size() < 4)
                    return;
                length = (quint64(bytes[2]) << 8) | bytes[3];
                header = 4;
            } else if (length == 127) {
                if (in.size() < 10)
                    return;
                length = 0;
                for (int i = 2; i < 10; ++i)
                    length = (length << 8) | bytes[i];
                header = 10;
            }
            if (quint64(in.size() - header) < length)
                return;
            const QByteArray payload = in.mid(header, qsizetype(length));
            in.remove(0, header + qsizetype(length));
            QCOMPARE(opcode, 1); // text: the chat sends nothing else here
            QJsonParseError error{};
            const QJsonDocument json = QJsonDocument::fromJson(payload, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, payload.constData());
            const QJsonObject object = json.object();
            if (object.value(QStringLiteral("type")).toString() == QStringLiteral("marker"))
                ++m_h->markers;
            else
                m_h->frames.append(object);
        }
    }

    // Waits until everything ChatDelivery wrote so far has reached the client: a marker sent
    // after it arrives last on the ordered stream.
    void sync()
    {
        const int expected = m_h->markers + 1;
        m_h->delivery.send(kId, QByteArrayLiteral("{\"type\":\"marker\"}"));
        QTRY_VERIFY_WITH_TIMEOUT(
            (decodeFrames(), QTest::currentTestFailed() || m_h->markers == expected), 5000);
    }

    // How many times the client has been sent message `seq` (after sync()).
    int arrivals(qint64 seq) const
    {
        int count = 0;
        for (const QJsonObject &frame : m_h->frames) {
            if (frame.value(QStringLiteral("type")).toString() == QStringLiteral("message") &&
                frame.value(QStringLiteral("message_id")).toInteger() == seq)
                ++count;
        }
        return count;
    }

    int presenceArrivals() const
    {
        int count = 0;
        for (const QJsonObject &frame : m_h->frames)
            count += frame.value(QStringLiteral("type")).toString() == QStringLiteral("presence");
        return count;
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<Harness>();
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
        m_h->clientFd = fds[1];
        m_h->connection = std::make_unique<net::WebSocketConnection>(
            std::make_unique<net::FdTransport>(fds[0], m_h->flushQueue), m_h->owner);

        QVERIFY(writeAll("GET /chat HTTP/1.1\r\n"
                         "Host: localhost\r\n"
                         "Upgrade: websocket\r\n"
                         "Connection: Upgrade\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n"));
        QTRY_VERIFY_WITH_TIMEOUT((readAvailable(), m_h->received.contains("\r\n\r\n")), 5000);
        const qsizetype end = m_h->received.indexOf("\r\n\r\n") + 4;
        const QByteArray head = m_h->received.left(end);
        m_h->received.remove(0, end);
        QVERIFY2(head.startsWith("HTTP/1.1 101"), head.constData());
        QVERIFY(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(m_h->connection->isOpen());
        QVERIFY(m_h->connection->session());

        sync(); // the connection is id 1 of this delivery: a frame sent to 1 reaches the client
        QVERIFY(m_h->frames.isEmpty());
    }

    void cleanup()
    {
        QVERIFY(!m_h->owner.closed);
        m_h.reset();
    }

    // Room events the network thread has not run yet are counted: past kMaxQueuedPublishes
    // the outbox says it is backlogged (and the chat service answers sends with rate_limited,
    // retry 250 ms), so a burst can never queue unbounded work; once drained it accepts again,
    // and every event queued meanwhile still reaches the client, in order.
    void outboxIsBackloggedUntilTheThreadCatchesUp()
    {
        m_h->delivery.subscribe(kId, kRoom);
        net::NetworkChatOutbox outbox({&m_h->delivery});
        const int limit = net::NetworkChatOutbox::kMaxQueuedPublishes;
        int written = 0;
        for (int seq = 1; seq <= limit; ++seq)
            outbox.publish(kRoom, messageFrame(seq), seq, [&written] { ++written; });
        QVERIFY(!outbox.backlogged()); // this thread has not run them: queued, at the limit
        outbox.publish(kRoom, messageFrame(limit + 1), limit + 1, [&written] { ++written; });
        QVERIFY(outbox.backlogged());
        QTRY_VERIFY_WITH_TIMEOUT(!outbox.backlogged(), 5000); // the event loop ran them
        sync();
        QCOMPARE(written, limit + 1);
        QCOMPARE(arrivals(1), 1);
        QCOMPARE(arrivals(limit + 1), 1);
        QCOMPARE(m_h->frames.size(), limit + 1);
    }

    // A resume's replay writes the message before its live publish arrives: once.
    void replayThenLiveDeliversOnce()
    {
        m_h->delivery.subscribe(kId, kRoom);
        m_h->delivery.sendMessage(kId, kRoom, 5, messageFrame(5));
        m_h->delivery.publish(kRoom, messageFrame(5), 5);
        sync();
        QCOMPARE(arrivals(5), 1);
        QCOMPARE(m_h->frames.size(), 1);
    }

    // The live publish goes out first, then the replay reads the same committed message: once.
    void liveThenReplayDeliversOnce()
    {
        m_h->delivery.subscribe(kId, kRoom);
        m_h->delivery.publish(kRoom, messageFrame(6), 6);
        sync();
        QCOMPARE(arrivals(6), 1);
        m_h->delivery.sendMessage(kId, kRoom, 6, messageFrame(6));
        sync();
        QCOMPARE(arrivals(6), 1);
        QCOMPARE(m_h->frames.size(), 1);
    }

    // Subscribing with the floor a replay reached: nothing at or below it goes out live again.
    void floorHoldsBackWhatWasReplayed()
    {
        m_h->delivery.subscribe(kId, kRoom, 10);
        m_h->delivery.publish(kRoom, messageFrame(9), 9);
        m_h->delivery.publish(kRoom, messageFrame(10), 10);
        sync();
        QCOMPARE(arrivals(9), 0);
        QCOMPARE(arrivals(10), 0);
        m_h->delivery.publish(kRoom, messageFrame(11), 11);
        sync();
        QCOMPARE(arrivals(11), 1);
        QCOMPARE(m_h->frames.size(), 1);
    }

    // A resume unsubscribes first; what the connection already got is still not repeated.
    void unsubscribeKeepsTheWatermark()
    {
        m_h->delivery.subscribe(kId, kRoom);
        m_h->delivery.publish(kRoom, messageFrame(12), 12);
        sync();
        QCOMPARE(arrivals(12), 1);
        m_h->delivery.unsubscribe(kId, kRoom);
        m_h->delivery.publish(kRoom, messageFrame(13), 13); // not subscribed: not sent
        m_h->delivery.subscribe(kId, kRoom);
        m_h->delivery.sendMessage(kId, kRoom, 12, messageFrame(12));
        m_h->delivery.sendMessage(kId, kRoom, 13, messageFrame(13));
        sync();
        QCOMPARE(arrivals(12), 1);
        QCOMPARE(arrivals(13), 1);
        QCOMPARE(m_h->frames.size(), 2);
    }

    // Events without a seq (presence, typing) are not messages: each one is delivered.
    void eventsWithoutSeqAlwaysPass()
    {
        m_h->delivery.subscribe(kId, kRoom, 10);
        m_h->delivery.publish(kRoom, presenceFrame());
        m_h->delivery.publish(kRoom, presenceFrame(), 0);
        sync();
        QCOMPARE(presenceArrivals(), 2);
        QCOMPARE(m_h->frames.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestChatDelivery)
#include "tst_chatdelivery.moc"
