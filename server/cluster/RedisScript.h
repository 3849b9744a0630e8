#pragma once

#include "redis/RedisConnection.h"

namespace veza::cluster {

// A Lua script run atomically by Redis: sent by its SHA-1 (EVALSHA), and in full (EVAL) when
// Redis does not know it yet (first use, a restarted Redis). Owner's thread.
class RedisScript
{
public:
    explicit RedisScript(QByteArray source);

    void run(redis::RedisConnection &connection, const QByteArrayList &keys,
             const QByteArrayList &args, redis::RedisConnection::Callback callback) const;

private:
    QByteArray m_source;
    QByteArray m_sha;
};

} // namespace veza::cluster
