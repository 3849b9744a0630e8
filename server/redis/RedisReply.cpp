#include "redis/RedisReply.h"

#include <hiredis/hiredis.h>

namespace veza::redis {

RedisReply RedisReply::fromHiredis(const void *raw)
{
    const auto *reply = static_cast<const redisReply *>(raw);
    RedisReply value;
    switch (reply->type) {
    case REDIS_REPLY_STATUS:
        value.type = Type::Status;
        break;
    case REDIS_REPLY_ERROR:
        value.type = Type::Error;
        break;
    case REDIS_REPLY_STRING:
        value.type = Type::String;
        break;
    case REDIS_REPLY_INTEGER:
        value.type = Type::Integer;
        value.integer = reply->integer;
        return value;
    case REDIS_REPLY_ARRAY:
        value.type = Type::Array;
        value.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            value.elements.append(fromHiredis(reply->element[i]));
        return value;
    default:
        return value; // Nil
    }
    value.text = QByteArray(reply->str, qsizetype(reply->len));
    return value;
}

RedisReply RedisReply::localError(const QByteArray &why)
{
    RedisReply value;
    value.type = Type::Error;
    value.text = "VEZA " + why;
    return value;
}

} // namespace veza::redis
