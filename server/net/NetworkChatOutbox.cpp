#include "net/NetworkChatOutbox.h"

#include "net/ChatDelivery.h"

namespace veza::net {

NetworkChatOutbox::NetworkChatOutbox(std::vector<ChatDelivery *> deliveries)
    : m_deliveries(std::move(deliveries))
{
}

ChatDelivery *NetworkChatOutbox::deliveryOf(const chat::ConnectionRef &connection) const
{
    if (connection.worker < 0 || size_t(connection.worker) >= m_deliveries.size())
        return nullptr;
    return m_deliveries[size_t(connection.worker)];
}

void NetworkChatOutbox::send(const chat::ConnectionRef &connection, const QByteArray &frame)
{
    if (ChatDelivery *delivery = deliveryOf(connection))
        QMetaObject::invokeMethod(
            delivery, [delivery, id = connection.id, frame] { delivery->send(id, frame); },
            Qt::QueuedConnection);
}

void NetworkChatOutbox::sendMessage(const chat::ConnectionRef &connection, qint64 roomId,
                                    qint64 seq, const QByteArray &frame)
{
    if (ChatDelivery *delivery = deliveryOf(connection))
        QMetaObject::invokeMethod(
            delivery,
            [delivery, id = connection.id, roomId, seq, frame] {
                delivery->sendMessage(id, roomId, seq, frame);
            },
            Qt::QueuedConnection);
}

void NetworkChatOutbox::subscribe(const chat::ConnectionRef &connection, qint64 roomId,
                                  qint64 floorSeq)
{
    if (ChatDelivery *delivery = deliveryOf(connection))
        QMetaObject::invokeMethod(
            delivery,
            [delivery, id = connection.id, roomId, floorSeq] {
                delivery->subscribe(id, roomId, floorSeq);
            },
            Qt::QueuedConnection);
}

void NetworkChatOutbox::unsubscribe(const chat::ConnectionRef &connection, qint64 roomId)
{
    if (ChatDelivery *delivery = deliveryOf(connection))
        QMetaObject::invokeMethod(
            delivery, [delivery, id = connection.id, roomId] { delivery->unsubscribe(id, roomId); },
            Qt::QueuedConnection);
}

void NetworkChatOutbox::publish(qint64 roomId, const QByteArray &frame, qint64 seq)
{
    // One hand-off per network thread; the frame's bytes are shared, not copied.
    for (ChatDelivery *delivery : m_deliveries)
        QMetaObject::invokeMethod(
            delivery, [delivery, roomId, frame, seq] { delivery->publish(roomId, frame, seq); },
            Qt::QueuedConnection);
}

void NetworkChatOutbox::close(const chat::ConnectionRef &connection, int closeCode,
                              const QString &reason)
{
    if (ChatDelivery *delivery = deliveryOf(connection))
        QMetaObject::invokeMethod(
            delivery,
            [delivery, id = connection.id, closeCode, reason] {
                delivery->close(id, closeCode, reason);
            },
            Qt::QueuedConnection);
}

} // namespace veza::net
