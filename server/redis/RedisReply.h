#pragma once

#include <QByteArray>
#include <QList>

namespace veza::redis {

// One RESP reply as a value, so nothing past RedisConnection touches hiredis. A connection
// that cannot ask (not connected, lost before the answer, too many waiting) answers with an
// Error whose text starts with "VEZA ".
struct RedisReply
{
    enum class Type : quint8 { Nil, Status, Error, Integer, String, Array };

    Type type = Type::Nil;
    QByteArray text; // Status, Error, String
    qint64 integer = 0;
    QList<RedisReply> elements; // Array

    bool isError() const { return type == Type::Error; }
    // The reply's text as a number (INCR answers Integer, GET answers String).
    qint64 toInteger() const { return type == Type::Integer ? integer : text.toLongLong(); }

    // From a hiredis `redisReply *`.
    static RedisReply fromHiredis(const void *reply);
    static RedisReply localError(const QByteArray &why);
};

} // namespace veza::redis
