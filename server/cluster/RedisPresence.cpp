#include "cluster/RedisPresence.h"

#include "chat/ChatService.h"

namespace veza::cluster {

namespace {

const QByteArray kInstances = "veza:instances";
const QByteArray kOnlinePrefix = "veza:online:";

// Redis's clock, so instances on hosts whose clocks differ agree on who is alive.
#define VEZA_LUA_NOW                                                                               \
    "local t = redis.call('TIME')\n"                                                               \
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

// KEYS[1] veza:instances, KEYS[2] this instance's hash; ARGV: instance, user, +1/-1, ttl ms.
// Answers the user's sessions on the other live instances.
const QByteArray kChangeScript = VEZA_LUA_NOW R"lua(
local n = redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[3])
if n <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[1], now, ARGV[1])
local elsewhere = 0
for _, other in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[4]), '+inf')) do
  if other ~= ARGV[1] then
    elsewhere = elsewhere + (tonumber(redis.call('HGET', 'veza:online:' .. other, ARGV[2])) or 0)
  end
end
return elsewhere
)lua";

// KEYS[1] veza:instances, KEYS[2] this instance's hash; ARGV: instance, ttl ms. Marks this
// instance alive, forgets the dead, answers the distinct users online on the live ones.
const QByteArray kHeartbeatScript = VEZA_LUA_NOW R"lua(
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
local seen, count = {}, 0
for _, instance in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  for _, user in ipairs(redis.call('HKEYS', 'veza:online:' .. instance)) do
    if not seen[user] then
      seen[user] = true
      count = count + 1
    end
  end
end
return count
)lua";

#undef VEZA_LUA_NOW

constexpr int kReseedChunk = 500; // fields per HSET

} // namespace

RedisPresence::RedisPresence(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                             chat::ChatService &service, QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
    , m_hashKey(kOnlinePrefix + m_instanceId)
    , m_service(service)
    , m_change(kChangeScript)
    , m_heartbeat(kHeartbeatScript)
    , m_timer(this)
    , m_connection(redis, this)
{
    connect(&m_connection, &redis::RedisConnection::ready, this, &RedisPresence::reseed);
    connect(&m_connection, &redis::RedisConnection::lost, this,
            [this] { setDeploymentUsers(std::nullopt); });
    connect(&m_timer, &QTimer::timeout, this, &RedisPresence::heartbeat);
}

RedisPresence::~RedisPresence()
{
    m_stopping = true;
}

void RedisPresence::start()
{
    m_connection.start();
    m_timer.start(kHeartbeatMs);
}

void RedisPresence::opened(qint64 userId, Elsewhere answer)
{
    change(userId, +1, std::move(answer));
}

void RedisPresence::closed(qint64 userId, Elsewhere answer)
{
    change(userId, -1, std::move(answer));
}

void RedisPresence::change(qint64 userId, int delta, Elsewhere answer)
{
    m_change.run(m_connection, {kInstances, m_hashKey},
                 {m_instanceId, QByteArray::number(userId), QByteArray::number(delta),
                  QByteArray::number(kTtlMs)},
                 [this, answer = std::move(answer)](const redis::RedisReply &reply) {
                     // Unknown (Redis out of reach): this instance's own view.
                     if (!m_stopping && answer)
                         answer(reply.isError() ? 0 : int(reply.toInteger()));
                 });
}

void RedisPresence::reseed()
{
    // Redis may have restarted, or the hash expired while it was out of reach: written anew
    // from the sessions here, in order on this connection, before any change after.
    m_connection.command({"DEL", m_hashKey});
    const QHash<qint64, int> sessions = m_service.sessionsByUser();
    QByteArrayList hset{"HSET", m_hashKey};
    for (auto it = sessions.cbegin(); it != sessions.cend(); ++it) {
        hset << QByteArray::number(it.key()) << QByteArray::number(it.value());
        if (hset.size() >= 2 + 2 * kReseedChunk)
            m_connection.command(std::exchange(hset, {"HSET", m_hashKey}));
    }
    if (hset.size() > 2)
        m_connection.command(hset);
    heartbeat();
}

void RedisPresence::heartbeat()
{
    m_heartbeat.run(
        m_connection, {kInstances, m_hashKey}, {m_instanceId, QByteArray::number(kTtlMs)},
        [this](const redis::RedisReply &reply) {
            if (m_stopping)
                return;
            setDeploymentUsers(reply.isError() ? std::nullopt : std::optional(reply.toInteger()));
        });
}

void RedisPresence::setDeploymentUsers(std::optional<qint64> users)
{
    if (users == m_deploymentUsers)
        return;
    m_deploymentUsers = users;
    m_service.updateActiveUsers();
}

} // namespace veza::cluster
