#pragma once

#include "redis/RedisConnection.h"

#include <QSet>

namespace veza::redis {

// Pub/sub on a connection of its own (a subscribed connection takes no other command): the
// channels asked for stay subscribed across reconnects. Pub/sub is best effort: whatever was
// published while the connection was down is lost, so after each (re)subscription
// `resubscribed` tells the owner to catch up from the source of truth. Owning thread.
class RedisSubscriber : public QObject
{
    Q_OBJECT

public:
    using MessageHandler =
        std::function<void(const QByteArray &channel, const QByteArray &payload)>;

    RedisSubscriber(RedisConnection::Options options, MessageHandler handler,
                    QObject *parent = nullptr);

    void start() { m_connection.start(); }
    bool isReady() const { return m_connection.isReady(); }
    QString problem() const { return m_connection.problem(); }

    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    const QSet<QByteArray> &channels() const { return m_channels; }

signals:
    // Every channel is subscribed again (also the first time): messages may have been missed.
    void resubscribed();
    void lost(const QString &why);

private:
    void subscribeAll();

    RedisConnection m_connection;
    MessageHandler m_handler;
    QSet<QByteArray> m_channels;
};

} // namespace veza::redis
