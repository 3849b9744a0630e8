#include "net/KeyedRateLimiter.h"

namespace veza::net {

namespace {
constexpr qint64 kTidyIntervalMs = 10000;
}

KeyedRateLimiter::KeyedRateLimiter(int perMinute)
    : m_perMinute(perMinute)
{
}

TokenBucket KeyedRateLimiter::newBucket(qint64 nowMs) const
{
    return TokenBucket(m_perMinute / 60.0, m_perMinute, nowMs);
}

void KeyedRateLimiter::tidy(Stripe &stripe, qint64 nowMs) const
{
    stripe.tidiedAtMs = nowMs;
    const double full = m_perMinute;
    stripe.buckets.removeIf([nowMs, full](QHash<QString, TokenBucket>::iterator it) {
        return it.value().available(nowMs) >= full;
    });
}

bool KeyedRateLimiter::tryTake(const QString &key, qint64 nowMs, qint64 *retryAfterMs)
{
    if (m_perMinute <= 0)
        return true;
    Stripe &stripe = m_stripes[qHash(key) % m_stripes.size()];
    QMutexLocker lock(&stripe.mutex);
    if (nowMs - stripe.tidiedAtMs >= kTidyIntervalMs)
        tidy(stripe, nowMs);
    auto it = stripe.buckets.find(key);
    if (it == stripe.buckets.end()) {
        if (stripe.buckets.size() >= kMaxKeysPerStripe) {
            if (!stripe.overflow)
                stripe.overflow.emplace(newBucket(nowMs));
            return stripe.overflow->tryTake(nowMs, retryAfterMs);
        }
        it = stripe.buckets.insert(key, newBucket(nowMs));
    }
    return it->tryTake(nowMs, retryAfterMs);
}

} // namespace veza::net
