#pragma once

#include "net/TokenBucket.h"

#include <QHash>
#include <QMutex>
#include <QString>
#include <array>
#include <optional>

namespace veza::net {

// Token buckets by key (a user, a client address), shared by every network thread: the HTTP
// API's RATE_LIMIT_PER_MINUTE, a minute's worth of requests at once and then a steady refill.
// A short lock per request on one of 16 stripes. Memory follows the active clients: a bucket
// that has refilled carries no state and is dropped when its stripe is next tidied; past
// kMaxKeysPerStripe keys (a client cycling addresses), new keys share the stripe's one
// overflow bucket instead of growing the table. Any thread.
class KeyedRateLimiter
{
public:
    static constexpr int kMaxKeysPerStripe = 65536;

    explicit KeyedRateLimiter(int perMinute); // 0: no limit

    // Takes one request for `key`. False when its bucket is empty; *retryAfterMs then says
    // when the next request would be accepted.
    bool tryTake(const QString &key, qint64 nowMs, qint64 *retryAfterMs);
    bool enabled() const { return m_perMinute > 0; }

private:
    struct Stripe
    {
        QMutex mutex;
        QHash<QString, TokenBucket> buckets;
        std::optional<TokenBucket> overflow;
        qint64 tidiedAtMs = 0;
    };
    TokenBucket newBucket(qint64 nowMs) const;
    void tidy(Stripe &stripe, qint64 nowMs) const;

    const int m_perMinute;
    std::array<Stripe, 16> m_stripes;
};

} // namespace veza::net
