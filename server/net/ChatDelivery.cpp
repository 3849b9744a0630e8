#include "net/ChatDelivery.h"

#include "MonotonicClock.h"
#include "chat/ChatMetrics.h"
#include "net/ChatConnection.h"
#include "net/ws/FrameWriter.h"

namespace veza::net {

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
    m_heartbeat = new QTimer(this);
    connect(m_heartbeat, &QTimer::timeout, this, [this] {
        const qint64 now = monotonicMs();
        // Copied: a timed-out connection closes and may leave the table meanwhile.
        const QList<ChatConnection *> connections = m_connections.values();
        for (ChatConnection *connection : connections)
            connection->heartbeat(now);
    });
    m_heartbeat->start(intervalMs);
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
    m_delivered.remove(id);
    for (qint64 roomId : m_roomsOf.take(id)) {
        auto room = m_rooms.find(roomId);
        if (room == m_rooms.end())
            continue;
        room->remove(id);
        if (room->isEmpty())
            m_rooms.erase(room);
    }
}

void ChatDelivery::send(quint64 id, const QByteArray &frame)
{
    if (ChatConnection *connection = m_connections.value(id))
        connection->sendFrame(frame);
}

void ChatDelivery::subscribe(quint64 id, qint64 roomId, qint64 floorSeq)
{
    if (!m_connections.contains(id))
        return; // closed meanwhile
    if (floorSeq > 0) {
        qint64 &delivered = m_delivered[id][roomId];
        delivered = std::max(delivered, floorSeq);
    }
    m_rooms[roomId].insert(id);
    m_roomsOf[id].insert(roomId);
}

void ChatDelivery::unsubscribe(quint64 id, qint64 roomId)
{
    auto room = m_rooms.find(roomId);
    if (room != m_rooms.end()) {
        room->remove(id);
        if (room->isEmpty())
            m_rooms.erase(room);
    }
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
    // Encoded once for the whole room. The set is walked in place: a connection dropped for
    // being slow leaves it only later, when the connection is deleted.
    const QByteArray encoded = ws::frame(ws::Opcode::Text, frame);
    quint64 attempted = 0;
    quint64 written = 0;
    for (quint64 id : *room) {
        if (seq != 0 && !firstDelivery(id, roomId, seq))
            continue;
        ChatConnection *connection = m_connections.value(id);
        if (!connection)
            continue;
        ++attempted;
        written += connection->sendEncodedFrame(encoded, !moreQueued) ? 1 : 0;
    }
    m_metrics.deliveries.recordAttempt(attempted);
    m_metrics.deliveries.recordSuccess(written);
}

bool ChatDelivery::firstDelivery(quint64 id, qint64 roomId, qint64 seq)
{
    qint64 &delivered = m_delivered[id][roomId];
    if (seq <= delivered)
        return false;
    delivered = seq;
    return true;
}

void ChatDelivery::sendMessage(quint64 id, qint64 roomId, qint64 seq, const QByteArray &frame)
{
    if (m_connections.contains(id) && firstDelivery(id, roomId, seq))
        send(id, frame);
}

void ChatDelivery::close(quint64 id, int closeCode, const QString &reason)
{
    if (ChatConnection *connection = m_connections.value(id))
        connection->close(closeCode, reason);
}

} // namespace veza::net
