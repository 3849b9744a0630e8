#pragma once

#include "chat/ChatPresence.h"
#include "cluster/RedisScript.h"
#include "redis/RedisConnection.h"

#include <QObject>
#include <QTimer>

namespace veza::chat {
class ChatService;
}

namespace veza::cluster {

// Who is online across the deployment, in Redis: each instance keeps a hash of its users and
// their chat sessions (veza:online:<instance>) and a heartbeat in veza:instances, and
// veza:online sums them per user. A session opening or closing updates both and answers the
// user's sessions elsewhere in one script; every kHeartbeatMs the heartbeat answers the
// deployment's distinct users (active_users_total, the sum's length) and subtracts, once, the
// users of any instance silent for kTtlMs. No script walks the users online, so Redis's cost
// per change stays flat however many there are. Redis out of
// reach: answers 0 at once and the count is unknown, so the chat falls back to its own view;
// back, the hash is written anew from the chat's sessions. Chat thread, its own connection.
class RedisPresence : public QObject, public chat::ChatPresence
{
    Q_OBJECT

public:
    static constexpr int kHeartbeatMs = 2000;
    static constexpr int kTtlMs = 10000;

    RedisPresence(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                  chat::ChatService &service, QObject *parent = nullptr);
    ~RedisPresence() override;

    // Connects and starts the heartbeat (on the chat thread).
    void start();

    void opened(qint64 userId, Elsewhere answer) override;
    void closed(qint64 userId, Elsewhere answer) override;
    std::optional<qint64> deploymentUsers() const override { return m_deploymentUsers; }

private:
    void change(qint64 userId, int delta, Elsewhere answer);
    void reseed();
    void heartbeat();
    void setDeploymentUsers(std::optional<qint64> users);

    const QByteArray m_instanceId;
    const QByteArray m_hashKey; // veza:online:<instance>
    chat::ChatService &m_service;
    RedisScript m_change;
    RedisScript m_heartbeat;
    RedisScript m_forget; // a reseed: this instance's sessions out of the count
    RedisScript m_add;    // ... and in again
    QTimer m_timer;
    std::optional<qint64> m_deploymentUsers;
    bool m_stopping = false;             // answers after this touch nothing
    redis::RedisConnection m_connection; // last: destroyed first, answering while all else lives
};

} // namespace veza::cluster
