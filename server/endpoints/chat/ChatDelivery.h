#pragma once

#include "net/SweepSlices.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>
#include <unordered_map>
#include <vector>

namespace veza::chat {
struct ChatMetrics;
}

namespace veza::endpoints {

class ChatConnection;

// One network thread's side of chat delivery: its chat connections by id and, per room, which
// of them listen. The chat service's outbox posts here; fan-out to the room's connections of
// this thread happens here, so one event crosses threads once per thread, not per receiver.
// Lives on its network thread.
class ChatDelivery : public QObject
{
    Q_OBJECT

public:
    // metrics: message_delivery_success_rate is counted here, a room at a time.
    ChatDelivery(int worker, chat::ChatMetrics &metrics, QObject *parent = nullptr);

    int worker() const { return m_worker; }
    // Starts the thread's one heartbeat timer (not one per connection: memory per connection
    // matters at 100k connections). Each connection is pinged (and checked for its pong
    // timeout) once per interval, but not all at once: the timer ticks every kHeartbeatStepMs
    // and each tick takes the connections of one slice (interval / step slices), so a ping
    // burst holds the thread (and every chat message behind it) for a fraction of a
    // millisecond: 19,000 pings at once took about 0.1 s, and 760 a second still 5 ms.
    void startHeartbeat(int intervalMs);
    static constexpr int kHeartbeatStepMs = 100;
    int heartbeatSlices() const { return m_heartbeat ? m_heartbeat->slices() : 0; }

    quint64 add(ChatConnection *connection);
    void remove(quint64 id);

    void send(quint64 id, const QByteArray &frame);
    void subscribe(quint64 id, qint64 roomId, qint64 floorSeq = 0);
    void unsubscribe(quint64 id, qint64 roomId);
    // moreQueued: other room events wait behind this one, so its frames are queued and go out
    // with theirs at the end of the pass; otherwise they are written at once.
    void publish(qint64 roomId, const QByteArray &frame, qint64 seq = 0, bool moreQueued = true);
    void sendMessage(quint64 id, qint64 roomId, qint64 seq, const QByteArray &frame);
    void close(quint64 id, int closeCode, const QString &reason);

private:
    // One listening connection of a room. The room's fan-out walks these in a contiguous
    // array with no look-up per receiver: at 100,000 deliveries a second the hash look-ups
    // and their cache misses were a tenth of the network thread.
    struct Subscriber
    {
        quint64 id;
        ChatConnection *connection;
        qint64 *delivered; // the connection's watermark for this room, in m_delivered
    };
    struct Room
    {
        std::vector<Subscriber> subscribers;
        QHash<quint64, std::size_t> positionOf; // id -> index in subscribers
    };

    // The watermark of a connection in a room (created at 0). Its address is stable until the
    // connection is removed: std::unordered_map never moves its elements.
    qint64 &watermark(quint64 id, qint64 roomId);
    // True (and remembered) when this message is new to the connection.
    static bool firstDelivery(qint64 &delivered, qint64 seq);
    void leaveRoom(quint64 id, qint64 roomId);

    const int m_worker;
    chat::ChatMetrics &m_metrics;
    quint64 m_nextId = 1;
    QHash<quint64, ChatConnection *> m_connections;
    QHash<qint64, Room> m_rooms;
    QHash<quint64, QSet<qint64>> m_roomsOf; // so a closing connection leaves its rooms
    // Per connection and room, the highest message seq written: live traffic and replays
    // meet here, so neither delivers a message twice.
    std::unordered_map<quint64, std::unordered_map<qint64, qint64>> m_delivered;
    QTimer *m_heartbeatTimer = nullptr;
    std::unique_ptr<net::SweepSlices<quint64>> m_heartbeat; // by connection id
};

} // namespace veza::endpoints
