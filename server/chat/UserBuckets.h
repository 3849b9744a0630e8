#pragma once

#include "net/TokenBucket.h"

#include <QHash>

namespace veza::chat {

// Per-user budgets of one kind of request that must outlive a connection (prekey claims,
// reports): a reconnect does not refill them. Buckets that have refilled are dropped once a
// minute, so the table holds only users who used some budget lately. One owner thread.
class UserBuckets
{
public:
    UserBuckets(double perMinute, double burst)
        : m_perSecond(perMinute / 60.0)
        , m_burst(burst)
    {
    }

    bool take(qint64 userId, qint64 nowMs, qint64 *retryAfterMs)
    {
        if (nowMs - m_sweptMs > 60000) {
            m_sweptMs = nowMs;
            m_buckets.removeIf([this, nowMs](QHash<qint64, net::TokenBucket>::iterator it) {
                return it->available(nowMs) >= m_burst;
            });
        }
        auto it = m_buckets.find(userId);
        if (it == m_buckets.end())
            it = m_buckets.insert(userId, net::TokenBucket(m_perSecond, m_burst, nowMs));
        return it->tryTake(nowMs, retryAfterMs);
    }

private:
    const double m_perSecond;
    const double m_burst;
    QHash<qint64, net::TokenBucket> m_buckets;
    qint64 m_sweptMs = 0;
};

} // namespace veza::chat
