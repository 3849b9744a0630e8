#include "cluster/RedisRateShare.h"

#include "chat/ChatService.h"
#include "cluster/ControlMessages.h"

namespace veza::cluster {

namespace {

const QByteArray kKeyPrefix = "veza:rate:";

// KEYS[1] the user's bucket; ARGV: rate per second, burst, cost. Refills the bucket by the
// time gone (Redis's clock), takes the cost even if it is not there (a debt, down to -burst:
// the instances took it already), answers what is left as a string (Lua numbers become
// integers in replies).
const QByteArray kChargeScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000) - cost
if tokens < -burst then tokens = -burst end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return tostring(tokens)
)lua";

} // namespace

RedisRateShare::RedisRateShare(const redis::RedisConnection::Options &redis, QByteArray instanceId,
                               double ratePerSecond, double burst, chat::ChatService &service,
                               QObject *parent)
    : QObject(parent)
    , m_instanceId(std::move(instanceId))
    , m_rate(QByteArray::number(ratePerSecond))
    , m_burst(QByteArray::number(burst))
    , m_service(service)
    , m_charge(kChargeScript)
    , m_flush(this)
    , m_connection(redis, this)
{
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &RedisRateShare::flush);
}

RedisRateShare::~RedisRateShare()
{
    m_stopping = true;
}

void RedisRateShare::spent(qint64 userId, double cost)
{
    if (!m_connection.isReady())
        return; // each instance on its own meanwhile
    m_unsent[userId] += cost;
    if (!m_flush.isActive())
        m_flush.start(kFlushMs);
}

void RedisRateShare::flush()
{
    for (auto it = m_unsent.cbegin(); it != m_unsent.cend(); ++it) {
        const qint64 userId = it.key();
        m_charge.run(m_connection, {kKeyPrefix + QByteArray::number(userId)},
                     {m_rate, m_burst, QByteArray::number(it.value())},
                     [this, userId](const redis::RedisReply &reply) { charged(userId, reply); });
    }
    m_unsent.clear();
}

void RedisRateShare::charged(qint64 userId, const redis::RedisReply &reply)
{
    if (m_stopping || reply.isError())
        return;
    bool ok = false;
    const double tokens = reply.text.toDouble(&ok);
    if (!ok)
        return;
    m_service.limitRate(userId, tokens);
    if (tokens < 1.0) // less than a message: the others stop taking too
        m_connection.command({"PUBLISH", ControlMessages::kChannel,
                              ControlMessages::envelope(m_instanceId, ControlMessages::kRate,
                                                        ControlMessages::rate({userId, tokens}))});
}

} // namespace veza::cluster
