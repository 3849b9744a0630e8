#include "cluster/RedisScript.h"

#include <QCryptographicHash>

namespace veza::cluster {

RedisScript::RedisScript(QByteArray source)
    : m_source(std::move(source))
    , m_sha(QCryptographicHash::hash(m_source, QCryptographicHash::Sha1).toHex())
{
}

void RedisScript::run(redis::RedisConnection &connection, const QByteArrayList &keys,
                      const QByteArrayList &args, redis::RedisConnection::Callback callback) const
{
    QByteArrayList tail{QByteArray::number(keys.size())};
    tail += keys;
    tail += args;
    connection.command(
        QByteArrayList{"EVALSHA", m_sha} + tail,
        [&connection, source = m_source, tail,
         callback = std::move(callback)](const redis::RedisReply &reply) {
            if (reply.isError() && reply.text.startsWith("NOSCRIPT"))
                return connection.command(QByteArrayList{"EVAL", source} + tail, callback);
            if (callback)
                callback(reply);
        });
}

} // namespace veza::cluster
