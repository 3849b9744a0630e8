#include "endpoints/chat/NetworkChatOutbox.h"

#include "endpoints/chat/ChatDelivery.h"

#include <atomic>
#include <memory>

namespace veza::endpoints {

NetworkChatOutbox::NetworkChatOutbox(std::vector<ChatDelivery *> deliveries)
    : m_deliveries(std::move(deliveries))
{
}

template <typename Work>
void NetworkChatOutbox::post(const chat::ConnectionRef &connection, Work work) const
{
    if (connection.worker < 0 || size_t(connection.worker) >= m_deliveries.size())
        return;
    ChatDelivery *delivery = m_deliveries[size_t(connection.worker)];
    QMetaObject::invokeMethod(
        delivery, [delivery, id = connection.id, work] { work(*delivery, id); },
        Qt::QueuedConnection);
}

void NetworkChatOutbox::send(const chat::ConnectionRef &connection, const QByteArray &frame)
{
    post(connection, [frame](ChatDelivery &delivery, quint64 id) { delivery.send(id, frame); });
}

void NetworkChatOutbox::sendMessage(const chat::ConnectionRef &connection, qint64 roomId,
                                    qint64 seq, const QByteArray &frame)
{
    post(connection, [roomId, seq, frame](ChatDelivery &delivery, quint64 id) {
        delivery.sendMessage(id, roomId, seq, frame);
    });
}

void NetworkChatOutbox::subscribe(const chat::ConnectionRef &connection, qint64 roomId,
                                  qint64 floorSeq)
{
    post(connection, [roomId, floorSeq](ChatDelivery &delivery, quint64 id) {
        delivery.subscribe(id, roomId, floorSeq);
    });
}

void NetworkChatOutbox::unsubscribe(const chat::ConnectionRef &connection, qint64 roomId)
{
    post(connection,
         [roomId](ChatDelivery &delivery, quint64 id) { delivery.unsubscribe(id, roomId); });
}

void NetworkChatOutbox::publish(qint64 roomId, const QByteArray &frame, qint64 seq,
                                std::function<void()> written)
{
    struct Pending
    {
        std::atomic<size_t> threadsLeft;
        std::function<void()> written;
    };
    std::shared_ptr<Pending> pending;
    if (written)
        pending.reset(new Pending{m_deliveries.size(), std::move(written)});
    // One hand-off per network thread; the frame's bytes are shared, not copied.
    for (ChatDelivery *delivery : m_deliveries) {
        m_queuedPublishes->fetch_add(1, std::memory_order_relaxed);
        QMetaObject::invokeMethod(
            delivery,
            [delivery, roomId, frame, seq, pending, queued = m_queuedPublishes] {
                const bool moreQueued = queued->fetch_sub(1, std::memory_order_relaxed) > 1;
                delivery->publish(roomId, frame, seq, moreQueued);
                if (!pending)
                    return;
                // Queued behind the flush that this publish scheduled: it runs once the
                // thread's frames are in the sockets.
                QMetaObject::invokeMethod(
                    delivery,
                    [pending] {
                        if (pending->threadsLeft.fetch_sub(1) == 1)
                            pending->written();
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
}

bool NetworkChatOutbox::backlogged() const
{
    return m_queuedPublishes->load(std::memory_order_relaxed) >
           kMaxQueuedPublishes * int(m_deliveries.size());
}

void NetworkChatOutbox::close(const chat::ConnectionRef &connection, int closeCode,
                              const QString &reason)
{
    post(connection, [closeCode, reason](ChatDelivery &delivery, quint64 id) {
        delivery.close(id, closeCode, reason);
    });
}

} // namespace veza::endpoints
