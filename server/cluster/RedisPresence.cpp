#include "cluster/RedisPresence.h"

#include "chat/ChatService.h"

namespace veza::cluster {

namespace {

const QByteArray kInstances = "veza:instances";
const QByteArray kOnlinePrefix = "veza:online:";
const QByteArray kDeployment = "veza:online";

// Redis's clock, so instances on hosts whose clocks differ agree on who is alive.
#define VEZA_LUA_NOW                                                                               \
    "local t = redis.call('TIME')\n"                                                               \
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

// Every key expires on its own (3 ttl after the last instance's last word): a deployment taken
// down leaves nothing behind. Every script's cost is independent of the users online: veza:online
// holds each user's sessions on all live instances, kept by each change, so nothing ever walks the
// users except once for an instance found dead (its users are subtracted, then its hash goes).

// KEYS[1] veza:instances, KEYS[2] this instance's hash, KEYS[3] veza:online; ARGV: instance,
// user, +1/-1, ttl ms. Answers the user's sessions on the other live instances.
const QByteArray kChangeScript = VEZA_LUA_NOW R"lua(
local ttl = tonumber(ARGV[4])
local here = redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[3])
if here <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]); here = 0 end
redis.call('PEXPIRE', KEYS[2], 3 * ttl)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], 3 * ttl)
local all = redis.call('HINCRBY', KEYS[3], ARGV[2], ARGV[3])
if all <= 0 then redis.call('HDEL', KEYS[3], ARGV[2]); all = 0 end
redis.call('PEXPIRE', KEYS[3], 3 * ttl)
return math.max(0, all - here)
)lua";

// KEYS as kChangeScript; ARGV: instance, ttl ms. Marks this instance alive, subtracts the users
// of instances silent for ttl (their hashes live 3 ttl, so they are still there to read), and
// answers the deployment's distinct users.
const QByteArray kHeartbeatScript = VEZA_LUA_NOW R"lua(
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], 3 * ttl)
redis.call('PEXPIRE', KEYS[2], 3 * ttl)
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl)) do
  local hash = 'veza:online:' .. dead
  local sessions = redis.call('HGETALL', hash)
  for i = 1, #sessions, 2 do
    if redis.call('HINCRBY', KEYS[3], sessions[i], -tonumber(sessions[i + 1])) <= 0 then
      redis.call('HDEL', KEYS[3], sessions[i])
    end
  end
  redis.call('DEL', hash)
  redis.call('ZREM', KEYS[1], dead)
end
redis.call('PEXPIRE', KEYS[3], 3 * ttl)
return redis.call('HLEN', KEYS[3])
)lua";

// KEYS[1] this instance's hash, KEYS[2] veza:online. Takes this instance's sessions out of
// the deployment's count before they are written anew (a reseed).
const QByteArray kForgetScript = R"lua(
local sessions = redis.call('HGETALL', KEYS[1])
for i = 1, #sessions, 2 do
  if redis.call('HINCRBY', KEYS[2], sessions[i], -tonumber(sessions[i + 1])) <= 0 then
    redis.call('HDEL', KEYS[2], sessions[i])
  end
end
redis.call('DEL', KEYS[1])
return #sessions / 2
)lua";

// KEYS as kForgetScript; ARGV: user, sessions, user, sessions... Adds them to both.
const QByteArray kAddScript = R"lua(
for i = 1, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
end
return #ARGV / 2
)lua";

#undef VEZA_LUA_NOW

constexpr int kReseedChunk = 500; // users per script call

} // namespace

RedisPresence::RedisPresence(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                             chat::ChatService &service, QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
    , m_hashKey(kOnlinePrefix + m_instanceId)
    , m_service(service)
    , m_change(kChangeScript)
    , m_heartbeat(kHeartbeatScript)
    , m_forget(kForgetScript)
    , m_add(kAddScript)
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
    m_change.run(m_connection, {kInstances, m_hashKey, kDeployment},
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
    // Redis may have restarted, or others found this instance dead while it was out of reach:
    // its sessions are taken out of the count and written anew from the chat's, in order on
    // this connection, before any change after.
    m_forget.run(m_connection, {m_hashKey, kDeployment}, {}, {});
    const QHash<qint64, int> sessions = m_service.sessionsByUser();
    QByteArrayList chunk;
    for (auto it = sessions.cbegin(); it != sessions.cend(); ++it) {
        chunk << QByteArray::number(it.key()) << QByteArray::number(it.value());
        if (chunk.size() >= 2 * kReseedChunk)
            m_add.run(m_connection, {m_hashKey, kDeployment}, std::exchange(chunk, {}), {});
    }
    if (!chunk.isEmpty())
        m_add.run(m_connection, {m_hashKey, kDeployment}, chunk, {});
    heartbeat();
}

void RedisPresence::heartbeat()
{
    m_heartbeat.run(
        m_connection, {kInstances, m_hashKey, kDeployment},
        {m_instanceId, QByteArray::number(kTtlMs)}, [this](const redis::RedisReply &reply) {
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
