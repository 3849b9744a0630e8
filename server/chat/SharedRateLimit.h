#pragma once

#include <QtGlobal>

namespace veza::chat {

// The per-user request budget (MAX_MESSAGE_RATE, MESSAGE_RATE_BURST) shared by the
// deployment's instances (REDIS_URL; none when the server runs alone). Each request is taken
// from the instance's own bucket at once, as alone; what it cost is told here, charged to the
// user's shared bucket in batches, and the user's buckets on every instance are lowered to
// what is left there (ChatService::limitRate). Never waits. Chat thread.
class SharedRateLimit
{
public:
    virtual ~SharedRateLimit() = default;

    virtual void spent(qint64 userId, double cost) = 0;
};

} // namespace veza::chat
