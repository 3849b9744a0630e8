#pragma once

#include "chat/SharedRateLimit.h"
#include "cluster/RedisScript.h"
#include "redis/RedisConnection.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace veza::chat {
class ChatService;
}

namespace veza::cluster {

// The per-user request budget shared by the deployment's instances, in Redis: a token bucket
// per user (veza:rate:<user>, expiring once full again). Requests are taken from the chat's
// local bucket at once; what they cost is summed per user and charged every kFlushMs, one
// script per user active in the window, all pipelined, so the cost in Redis grows with the
// users who speak, not the messages. The answer (what is left, below zero a debt) lowers the
// user's local bucket; when the user has less than a message left, the other instances are
// told on the control channel and lower theirs. A user can thus overspend by at most what
// one window lets each instance take, once, then pays it back. Redis out of reach: the
// charges are dropped and each instance keeps its own bucket. Chat thread, own connection.
class RedisRateShare : public QObject, public chat::SharedRateLimit
{
    Q_OBJECT

public:
    static constexpr int kFlushMs = 50;

    RedisRateShare(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                   double ratePerSecond, double burst, chat::ChatService &service,
                   QObject *parent = nullptr);
    ~RedisRateShare() override;

    void start() { m_connection.start(); }

    void spent(qint64 userId, double cost) override;

private:
    void flush();
    void charged(qint64 userId, const redis::RedisReply &reply);

    const QByteArray m_instanceId;
    const QByteArray m_rate;
    const QByteArray m_burst;
    chat::ChatService &m_service;
    RedisScript m_charge;
    QHash<qint64, double> m_unsent; // user -> cost taken here since the last flush
    QTimer m_flush;
    bool m_stopping = false;
    redis::RedisConnection m_connection; // last: destroyed first, answering while all else lives
};

} // namespace veza::cluster
