// ChatDelivery's per-connection delivered watermarks, in process over a socketpair: a message
// reaches a client once whether the replay or the live publish writes it first, a resume floor
// holds back what was already replayed, non-message events (seq 0) always pass, and a publish
// reaches exactly the room's members as they come and go. The real
// chain (FdTransport, WebSocketConnection, ChatConnection) writes the frames; the test reads
// them from the client end of the socket as a client would.
#include "chat/ChatMetrics.h"
#include "endpoints/chat/ChatConnection.h"
#include "endpoints/chat/ChatDelivery.h"
#include "endpoints/chat/NetworkChatOutbox.h"
#include "metrics/MetricsRegistry.h"
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
    explicit ChatOwner(const endpoints::ChatEndpoint &endpoint)
        : m_endpoint(endpoint)
    {
    }

    bool closed = false;

    void upgradeRequested(net::WebSocketConnection &connection,
                          const net::ws::UpgradeRequest &) override
    {
        connection.accept({});
        connection.attach(
            std::make_unique<endpoints::ChatConnection>(connection, m_endpoint, QByteArrayView()));
    }
    void connectionClosed(net::WebSocketConnection &) override { closed = true; }

private:
    const endpoints::ChatEndpoint &m_endpoint;
};

// The server side of one chat connection and the client end of its socket.
struct Client
{
    ~Client()
    {
        connection.reset(); // its ChatConnection leaves the delivery
        if (fd >= 0)
            ::close(fd);
    }

    std::unique_ptr<net::WebSocketConnection> connection;
    int fd = -1;
    QByteArray received; // bytes from the server not yet decoded
    QList<QJsonObject> frames;
    int markers = 0;
    int pings = 0;
};

// The delivery and the clients connected to it. Members are destroyed in reverse, the clients
// explicitly first: their connections leave the delivery before the flush queue, the delivery
// and the metrics it uses go.
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
    ~Harness() { clients.clear(); }

    metrics::MetricsRegistry registry;
    chat::ChatMetrics metrics;
    endpoints::ChatDelivery delivery;
    endpoints::ChatEndpoint endpoint;
    net::FlushQueue flushQueue;
    ChatOwner owner;
    std::vector<std::unique_ptr<Client>> clients; // clients[i] has delivery id i + 1
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

    Client &first() { return *m_h->clients.front(); }

    static bool writeAll(Client &client, QByteArrayView bytes)
    {
        qsizetype offset = 0;
        while (offset < bytes.size()) {
            const ssize_t sent = ::send(client.fd, bytes.data() + offset,
                                        size_t(bytes.size() - offset), MSG_NOSIGNAL);
            if (sent > 0)
                offset += sent;
            else if (sent < 0 && errno != EINTR && errno != EAGAIN)
                return false;
        }
        return true;
    }

    // Reads what the server has written so far (non-blocking).
    static void readAvailable(Client &client)
    {
        char buffer[16384];
        for (;;) {
            const ssize_t got = ::recv(client.fd, buffer, sizeof buffer, 0);
            if (got > 0) {
                client.received.append(buffer, got);
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            return;
        }
    }

    // Decodes the complete server->client frames received (unmasked, unfragmented text).
    static void decodeFrames(Client &client)
    {
        readAvailable(client);
        QByteArray &in = client.received;
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
            if (opcode == 9) { // ping
                ++client.pings;
                continue;
            }
            QCOMPARE(opcode, 1); // text: the chat sends nothing else here
            QJsonParseError error{};
            const QJsonDocument json = QJsonDocument::fromJson(payload, &error);
            QVERIFY2(error.error == QJsonParseError::NoError, payload.constData());
            const QJsonObject object = json.object();
            if (object.value(QStringLiteral("type")).toString() == QStringLiteral("marker"))
                ++client.markers;
            else
                client.frames.append(object);
        }
    }

    // Waits until everything ChatDelivery wrote so far has reached the client: a marker sent
    // after it arrives last on the ordered stream.
    void sync() { sync(kId); }
    void sync(quint64 id)
    {
        Client &client = *m_h->clients.at(id - 1);
        const int expected = client.markers + 1;
        m_h->delivery.send(id, QByteArrayLiteral("{\"type\":\"marker\"}"));
        QTRY_VERIFY_WITH_TIMEOUT(
            (decodeFrames(client), QTest::currentTestFailed() || client.markers == expected), 5000);
    }

    // Connects one more client through the WebSocket handshake; its delivery id is the
    // number of clients so far.
    void connectClient()
    {
        auto client = std::make_unique<Client>();
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
        client->fd = fds[1];
        client->connection = std::make_unique<net::WebSocketConnection>(
            std::make_unique<net::FdTransport>(fds[0], m_h->flushQueue), m_h->owner);
        QVERIFY(writeAll(*client, "GET /chat HTTP/1.1\r\n"
                                  "Host: localhost\r\n"
                                  "Upgrade: websocket\r\n"
                                  "Connection: Upgrade\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                  "Sec-WebSocket-Version: 13\r\n\r\n"));
        QTRY_VERIFY_WITH_TIMEOUT((readAvailable(*client), client->received.contains("\r\n\r\n")),
                                 5000);
        const qsizetype end = client->received.indexOf("\r\n\r\n") + 4;
        const QByteArray head = client->received.left(end);
        client->received.remove(0, end);
        QVERIFY2(head.startsWith("HTTP/1.1 101"), head.constData());
        QVERIFY(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(client->connection->isOpen());
        QVERIFY(client->connection->session());
        m_h->clients.push_back(std::move(client));
        // Its id is its place: a frame sent to that id reaches it.
        sync(quint64(m_h->clients.size()));
        QVERIFY(m_h->clients.back()->frames.isEmpty());
    }

    // How many times the client has been sent message `seq` (after sync()).
    int arrivals(qint64 seq, quint64 id = kId) const
    {
        int count = 0;
        for (const QJsonObject &frame : m_h->clients.at(id - 1)->frames) {
            if (frame.value(QStringLiteral("type")).toString() == QStringLiteral("message") &&
                frame.value(QStringLiteral("message_id")).toInteger() == seq)
                ++count;
        }
        return count;
    }

    int presenceArrivals() const
    {
        int count = 0;
        for (const QJsonObject &frame : m_h->clients.front()->frames)
            count += frame.value(QStringLiteral("type")).toString() == QStringLiteral("presence");
        return count;
    }

private Q_SLOTS:
    void init()
    {
        m_h = std::make_unique<Harness>();
        connectClient(); // id 1 (kId)
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
        endpoints::NetworkChatOutbox outbox({&m_h->delivery});
        const int limit = endpoints::NetworkChatOutbox::kMaxQueuedPublishes;
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
        QCOMPARE(first().frames.size(), limit + 1);
    }

    // A resume's replay writes the message before its live publish arrives: once.
    void replayThenLiveDeliversOnce()
    {
        m_h->delivery.subscribe(kId, kRoom);
        m_h->delivery.sendMessage(kId, kRoom, 5, messageFrame(5));
        m_h->delivery.publish(kRoom, messageFrame(5), 5);
        sync();
        QCOMPARE(arrivals(5), 1);
        QCOMPARE(first().frames.size(), 1);
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
        QCOMPARE(first().frames.size(), 1);
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
        QCOMPARE(first().frames.size(), 1);
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
        QCOMPARE(first().frames.size(), 2);
    }

    // Receivers leave a room from the front, the middle and the end, and one joins again: each
    // publish reaches exactly the connections in the room at that moment, once each.
    void publishReachesExactlyTheRoomAsMembersComeAndGo()
    {
        constexpr quint64 kClients = 5;
        for (quint64 id = 2; id <= kClients; ++id)
            connectClient();
        for (quint64 id = 1; id <= kClients; ++id)
            m_h->delivery.subscribe(id, kRoom);
        m_h->delivery.subscribe(3, kRoom); // twice: still one delivery
        m_h->delivery.publish(kRoom, messageFrame(1), 1);

        m_h->delivery.unsubscribe(1, kRoom); // the first
        m_h->delivery.unsubscribe(3, kRoom); // one in the middle
        m_h->delivery.publish(kRoom, messageFrame(2), 2);

        m_h->delivery.unsubscribe(5, kRoom); // the last
        m_h->delivery.subscribe(1, kRoom);   // back
        m_h->delivery.publish(kRoom, messageFrame(3), 3);

        m_h->clients.at(3).reset(); // id 4 closes: it leaves the room
        m_h->delivery.publish(kRoom, messageFrame(4), 4);

        const QList<QList<int>> expected = {
            {1, 0, 1, 1}, // id 1: left, came back
            {1, 1, 1, 1}, // id 2: stayed
            {1, 0, 0, 0}, // id 3: left
            {1, 1, 1},    // id 4: closed before message 4
            {1, 1, 0, 0}, // id 5: left
        };
        for (quint64 id = 1; id <= kClients; ++id) {
            if (!m_h->clients.at(id - 1))
                continue;
            sync(id);
            const QList<int> &want = expected.at(id - 1);
            for (qint64 seq = 1; seq <= want.size(); ++seq)
                QVERIFY2(arrivals(seq, id) == want.at(seq - 1),
                         qPrintable(QStringLiteral("id %1, message %2").arg(id).arg(seq)));
        }
    }

    // The heartbeat pings a slice of the connections per tick, not all at once: with five
    // connections (ids 1-5, slices 1-5) and a tick every 100 ms, the first is pinged 400 ms
    // before the fifth, and within the interval each is pinged once.
    void heartbeatPingsASliceAtATime()
    {
        for (int i = 2; i <= 5; ++i)
            connectClient();
        // 25 slices a tick apart, as the default PING_INTERVAL_S (25 s) gives 250.
        m_h->delivery.startHeartbeat(25 * endpoints::ChatDelivery::kHeartbeatStepMs);
        QCOMPARE(m_h->delivery.heartbeatSlices(), 25);
        const auto pings = [this](quint64 id) {
            Client &client = *m_h->clients.at(id - 1);
            decodeFrames(client);
            return client.pings;
        };
        QTRY_COMPARE_WITH_TIMEOUT(pings(1), 1, 2000); // slice 1: the second tick
        QCOMPARE(pings(5), 0);                        // slice 5: four ticks later
        QTRY_COMPARE_WITH_TIMEOUT(pings(5), 1, 2000);
        for (quint64 id = 1; id <= 5; ++id)
            QCOMPARE(pings(id), 1);
    }

    // Events without a seq (presence, typing) are not messages: each one is delivered.
    void eventsWithoutSeqAlwaysPass()
    {
        m_h->delivery.subscribe(kId, kRoom, 10);
        m_h->delivery.publish(kRoom, presenceFrame());
        m_h->delivery.publish(kRoom, presenceFrame(), 0);
        sync();
        QCOMPARE(presenceArrivals(), 2);
        QCOMPARE(first().frames.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestChatDelivery)
#include "tst_chatdelivery.moc"
