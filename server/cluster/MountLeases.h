#pragma once

#include "redis/RedisConnection.h"

#include <QHash>
#include <QString>
#include <functional>
#include <optional>

namespace veza::cluster {

// Who carries a mount in the deployment: a lease per live mount in Redis,
// `veza:stream:<name>:lease` = "<instance id> <stream id> <advertise url>", set with a TTL
// (the grace period) by the instance whose source went live, renewed while the stream is live
// there (grace periods included), deleted when it ends. An instance that dies stops renewing:
// once the TTL passes another instance may take the mount. Every change is a Lua script that
// compares the holder first, so an instance never renews nor deletes another's lease. Main
// thread, on the cluster's Redis connection.
class MountLeases
{
public:
    struct Holder
    {
        QByteArray instanceId;
        qint64 streamId = 0;
        QByteArray advertiseUrl;
    };
    enum class Claim { Granted, Refused, Unchecked }; // Unchecked: Redis did not answer

    MountLeases(redis::RedisConnection &redis, QByteArray instanceId, int ttlMs);

    void setAdvertiseUrl(const QByteArray &url) { m_advertiseUrl = url; }
    const QByteArray &instanceId() const { return m_instanceId; }

    void claim(const QString &name, qint64 streamId, std::function<void(Claim)> done);
    // Renews this instance's lease of every mount in `live` (name -> stream id), and releases
    // the leases it holds for mounts no longer live. `lost(name)`: another instance holds a
    // mount live here (it took it while Redis kept us apart).
    void renew(const QHash<QString, qint64> &live,
               const std::function<void(const QString &)> &lost);
    // The holder of the mount, or nullopt (none, or Redis did not answer).
    void holder(const QString &name, std::function<void(std::optional<Holder>)> done);

    static QByteArray keyOf(const QString &name);
    static std::optional<Holder> parse(const QByteArray &value);

private:
    QByteArray valueFor(qint64 streamId) const;
    void release(const QString &name, qint64 streamId);

    redis::RedisConnection &m_redis;
    const QByteArray m_instanceId;
    const QByteArray m_ttl; // ms, as Redis reads it
    QByteArray m_advertiseUrl;
    struct Held
    {
        qint64 streamId = 0;
        qint64 claimedAtMs = 0;
    };
    QHash<QString, Held> m_held;
};

} // namespace veza::cluster
