#include "endpoints/chat/ChatDelivery.h"

#include "MonotonicClock.h"
#include "chat/ChatMetrics.h"
#include "endpoints/chat/ChatConnection.h"
#include "net/ws/FrameWriter.h"

#include <algorithm>

namespace veza::endpoints {

ChatDelivery::ChatDelivery(int worker, chat::ChatMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_worker(worker)
    , m_metrics(metrics)
{
}

void ChatDelivery::startHeartbeat(int intervalMs)
{
    if (m_heartbeat)
        return;
    m_heartbeat = std::make_unique<net::SweepSlices<quint64>>(intervalMs / kHeartbeatStepMs);
    m_heartbeatTimer = new QTimer(this);
    connect(m_heartbeatTimer, &QTimer::timeout, this, [this] {
        const qint64 now = monotonicMs();
        // Ids are handed out in order, so id % slices spreads connections evenly.
        const auto slices = quint64(m_heartbeat->slices());
        m_heartbeat->step(
            m_connections, [slices](quint64 id, ChatConnection *) { return id % slices; },
            [now](quint64, ChatConnection *connection) { connection->heartbeat(now); });
    });
    m_heartbeatTimer->start(m_heartbeat->stepMs(intervalMs));
}

quint64 ChatDelivery::add(ChatConnection *connection)
{
    const quint64 id = m_nextId++;
    m_connections.insert(id, connection);
    return id;
}

void ChatDelivery::remove(quint64 id)
{
    m_connections.remove(id);
    for (qint64 roomId : m_roomsOf.take(id))
        leaveRoom(id, roomId);
    m_delivered.erase(id);
}

void ChatDelivery::send(quint64 id, const QByteArray &frame)
{
    if (ChatConnection *connection = m_connections.value(id))
        connection->sendFrame(frame);
}

qint64 &ChatDelivery::watermark(quint64 id, qint64 roomId)
{
    return m_delivered[id][roomId];
}

void ChatDelivery::subscribe(quint64 id, qint64 roomId, qint64 floorSeq)
{
    ChatConnection *connection = m_connections.value(id);
    if (!connection)
        return; // closed meanwhile
    qint64 &delivered = watermark(id, roomId);
    delivered = std::max(delivered, floorSeq);
    Room &room = m_rooms[roomId];
    if (!room.positionOf.contains(id)) {
        room.positionOf.insert(id, room.subscribers.size());
        room.subscribers.push_back({id, connection, &delivered});
    }
    m_roomsOf[id].insert(roomId);
}

void ChatDelivery::leaveRoom(quint64 id, qint64 roomId)
{
    auto room = m_rooms.find(roomId);
    if (room == m_rooms.end())
        return;
    const auto position = room->positionOf.constFind(id);
    if (position == room->positionOf.cend())
        return;
    // Swap with the last and pop: delivery order within a room does not matter.
    const std::size_t index = *position;
    room->positionOf.erase(position);
    std::vector<Subscriber> &subscribers = room->subscribers;
    if (index + 1 != subscribers.size()) {
        subscribers[index] = subscribers.back();
        room->positionOf[subscribers[index].id] = index;
    }
    subscribers.pop_back();
    if (subscribers.empty())
        m_rooms.erase(room);
}

void ChatDelivery::unsubscribe(quint64 id, qint64 roomId)
{
    leaveRoom(id, roomId);
    auto rooms = m_roomsOf.find(id);
    if (rooms != m_roomsOf.end())
        rooms->remove(roomId);
    // The delivered watermark stays: a resume that unsubscribes first must still not repeat
    // what this connection already got.
}

void ChatDelivery::publish(qint64 roomId, const QByteArray &frame, qint64 seq, bool moreQueued)
{
    const auto room = m_rooms.constFind(roomId);
    if (room == m_rooms.cend())
        return;
    // Encoded once for the whole room. The array is walked in place: a connection dropped for
    // being slow leaves it only later, when the connection is deleted.
    const QByteArray encoded = net::ws::frame(net::ws::Opcode::Text, frame);
    quint64 attempted = 0;
    quint64 written = 0;
    for (const Subscriber &subscriber : room->subscribers) {
        if (seq != 0 && !firstDelivery(*subscriber.delivered, seq))
            continue;
        ++attempted;
        written += subscriber.connection->sendEncodedFrame(encoded, !moreQueued) ? 1 : 0;
    }
    m_metrics.deliveries.recordAttempt(attempted);
    m_metrics.deliveries.recordSuccess(written);
}

bool ChatDelivery::firstDelivery(qint64 &delivered, qint64 seq)
{
    if (seq <= delivered)
        return false;
    delivered = seq;
    return true;
}

void ChatDelivery::sendMessage(quint64 id, qint64 roomId, qint64 seq, const QByteArray &frame)
{
    if (m_connections.contains(id) && firstDelivery(watermark(id, roomId), seq))
        send(id, frame);
}

void ChatDelivery::close(quint64 id, int closeCode, const QString &reason)
{
    if (ChatConnection *connection = m_connections.value(id))
        connection->close(closeCode, reason);
}

} // namespace veza::endpoints
