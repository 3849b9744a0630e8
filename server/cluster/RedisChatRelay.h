#pragma once

#include "chat/ChatRelay.h"
#include "redis/RedisConnection.h"
#include "redis/RedisSubscriber.h"

#include <QObject>
#include <QSet>

namespace veza::chat {
class ChatService;
}

namespace veza::cluster {

// The chat's relay between the instances of a deployment, over Redis pub/sub: each room has a
// channel (veza:chat:room:<id>), an instance subscribes to the rooms with members online on it
// and publishes what happens in them. Its own publications come back and are skipped (they
// carry its instance id). Pub/sub may lose events; message ids are gap-free per room, so
// ChatService fills what is missing from the database, and after any Redis outage every
// heard room catches up, on this instance and, for what it could not publish meanwhile, on
// the others (a catch-up marker per room). Every instance also hears the control channel
// (ControlMessages): the moderation outcomes it applies to the sessions it holds, rooms'
// new members, and the users whose shared request budget is spent. Lives on the chat thread, beside
// the service.
class RedisChatRelay : public QObject, public chat::ChatRelay
{
    Q_OBJECT

public:
    RedisChatRelay(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                   chat::ChatService &service, QObject *parent = nullptr);

    // Connects (on the chat thread).
    void start();
    bool isReady() const { return m_publisher.isReady() && m_subscriber.isReady(); }

    void tell(qint64 roomId, qint64 seq, const QByteArray &frame) override;
    void hear(qint64 roomId, bool heard) override;
    void tellModeration(const chat::ModerationNotice &notice) override;
    void tellNewMembers(const chat::NewMembers &members) override;

    static QByteArray channelOf(qint64 roomId);

signals:
    // Redis reachable again (`problem` empty) or not, for /health/ready and redis_up.
    void redisProblem(const QString &problem);

private:
    void received(const QByteArray &channel, const QByteArray &payload);
    void receivedControl(const QByteArray &payload);
    void publish(qint64 roomId, qint64 seq, const QByteArray &frame);
    void reportState();

    const QByteArray m_instanceId;
    chat::ChatService &m_service;
    redis::RedisConnection m_publisher;
    redis::RedisSubscriber m_subscriber;
    QSet<qint64> m_untold; // rooms with events this instance could not publish
    QString m_reported = QStringLiteral("-");
};

} // namespace veza::cluster
