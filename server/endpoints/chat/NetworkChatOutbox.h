#pragma once

#include "chat/ChatOutbox.h"

#include <atomic>
#include <memory>
#include <vector>

namespace veza::endpoints {

class ChatDelivery;

// The chat service's outbox on top of the network threads: each call becomes a queued call
// to the ChatDelivery of the connection's thread (FIFO per thread, so order is kept).
// Called from the chat service thread.
class NetworkChatOutbox final : public chat::ChatOutbox
{
public:
    explicit NetworkChatOutbox(std::vector<ChatDelivery *> deliveries);

    void send(const chat::ConnectionRef &connection, const QByteArray &frame) override;
    void sendMessage(const chat::ConnectionRef &connection, qint64 roomId, qint64 seq,
                     const QByteArray &frame) override;
    void subscribe(const chat::ConnectionRef &connection, qint64 roomId, qint64 floorSeq) override;
    void unsubscribe(const chat::ConnectionRef &connection, qint64 roomId) override;
    void publish(qint64 roomId, const QByteArray &frame, qint64 seq,
                 std::function<void()> written) override;
    void close(const chat::ConnectionRef &connection, int closeCode,
               const QString &reason) override;
    bool backlogged() const override;

    // Room events queued to one network thread before sends are turned away.
    static constexpr int kMaxQueuedPublishes = 1000;

private:
    // Runs work(delivery, connection id) on the connection's network thread.
    template <typename Work> void post(const chat::ConnectionRef &connection, Work work) const;

    std::vector<ChatDelivery *> m_deliveries;
    // Publishes posted and not yet run, all threads together (shared with the posted calls).
    std::shared_ptr<std::atomic<int>> m_queuedPublishes = std::make_shared<std::atomic<int>>(0);
};

} // namespace veza::endpoints
