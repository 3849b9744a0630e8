#include "cluster/MountLeases.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcLeases, "veza.cluster.leases")

namespace veza::cluster {
namespace {

// A lease just claimed is kept this long even if its stream is not live yet (the source's
// thread has the grant but has not gone live), so the renewal does not release it under it.
constexpr qint64 kClaimSettleMs = 5000;

// KEYS[1] lease, ARGV[1] our value, ARGV[2] ttl: 1 when ours now, else the holder's value.
const QByteArray kClaim = R"lua(
local held = redis.call('GET', KEYS[1])
if held == false or held == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return held
)lua";

// Renewal: 1 when ours (again: a lease Redis lost is set anew), 0 when another holds it.
const QByteArray kRenew = R"lua(
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if held == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
)lua";

// Compare and delete.
const QByteArray kRelease = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

} // namespace

MountLeases::MountLeases(redis::RedisConnection &redis, QByteArray instanceId, int ttlMs)
    : m_redis(redis)
    , m_instanceId(std::move(instanceId))
    , m_ttl(QByteArray::number(ttlMs))
{
}

QByteArray MountLeases::keyOf(const QString &name)
{
    return "veza:stream:" + name.toUtf8() + ":lease";
}

QByteArray MountLeases::valueFor(qint64 streamId) const
{
    return m_instanceId + ' ' + QByteArray::number(streamId) + ' ' + m_advertiseUrl;
}

std::optional<MountLeases::Holder> MountLeases::parse(const QByteArray &value)
{
    const QList<QByteArray> parts = value.split(' ');
    if (parts.size() != 3 || parts[0].isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 streamId = parts[1].toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return Holder{parts[0], streamId, parts[2]};
}

void MountLeases::claim(const QString &name, qint64 streamId, std::function<void(Claim)> done)
{
    m_redis.command({"EVAL", kClaim, "1", keyOf(name), valueFor(streamId), m_ttl},
                    [this, name, streamId, done](const redis::RedisReply &reply) {
                        if (reply.isError()) {
                            qCWarning(lcLeases).noquote()
                                << "lease of" << name << "not checked:" << reply.text;
                            return done(Claim::Unchecked);
                        }
                        if (reply.type == redis::RedisReply::Type::Integer && reply.integer == 1) {
                            m_held.insert(name, {streamId, QDateTime::currentMSecsSinceEpoch()});
                            return done(Claim::Granted);
                        }
                        qCInfo(lcLeases).noquote()
                            << "mount" << name << "held by" << reply.text.split(' ').value(0);
                        done(Claim::Refused);
                    });
}

void MountLeases::renew(const QHash<QString, qint64> &live,
                        const std::function<void(const QString &)> &lost)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (live.contains(it.key()) || now - it->claimedAtMs < kClaimSettleMs) {
            ++it;
            continue;
        }
        release(it.key(), it->streamId);
        it = m_held.erase(it);
    }
    if (!m_redis.isReady())
        return; // kept in m_held; renewed (or set anew) once Redis is back
    for (auto it = live.cbegin(); it != live.cend(); ++it) {
        const QString name = it.key();
        if (!m_held.contains(name))
            m_held.insert(name, {it.value(), 0}); // live here without a claim (Redis was down)
        m_redis.command({"EVAL", kRenew, "1", keyOf(name), valueFor(it.value()), m_ttl},
                        [name, lost](const redis::RedisReply &reply) {
                            if (reply.type == redis::RedisReply::Type::Integer &&
                                reply.integer == 0)
                                lost(name);
                        });
    }
}

void MountLeases::release(const QString &name, qint64 streamId)
{
    m_redis.command({"EVAL", kRelease, "1", keyOf(name), valueFor(streamId)});
}

void MountLeases::holder(const QString &name, std::function<void(std::optional<Holder>)> done)
{
    m_redis.command({"GET", keyOf(name)}, [done](const redis::RedisReply &reply) {
        done(reply.type == redis::RedisReply::Type::String ? parse(reply.text) : std::nullopt);
    });
}

} // namespace veza::cluster
