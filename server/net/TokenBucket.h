#pragma once

#include <QtGlobal>
#include <algorithm>
#include <cmath>

namespace veza::net {

// A token bucket: `ratePerSecond` tokens flow in continuously up to `burst`; each action takes
// its cost (one by default). Used for per-user message rates (the guide's max_message_rate: 100/s).
// Time is passed in (milliseconds on a monotonic clock) so callers batch clock reads and tests
// control it. Not thread-safe: one owner thread.
class TokenBucket
{
public:
    TokenBucket(double ratePerSecond, double burst, qint64 nowMs)
        : m_rate(ratePerSecond)
        , m_burst(burst)
        , m_tokens(burst)
        , m_updatedMs(nowMs)
    {
    }

    // Takes `cost` tokens if they are there. Otherwise returns false and sets *retryAfterMs
    // to the wait until they are (at least 1 ms).
    bool tryTake(qint64 nowMs, qint64 *retryAfterMs = nullptr, double cost = 1.0)
    {
        refill(nowMs);
        if (m_tokens >= cost) {
            m_tokens -= cost;
            return true;
        }
        if (retryAfterMs)
            *retryAfterMs =
                std::max<qint64>(1, qint64(std::ceil((cost - m_tokens) * 1000.0 / m_rate)));
        return false;
    }

    double available(qint64 nowMs)
    {
        refill(nowMs);
        return m_tokens;
    }

    // Lowers the tokens to `tokens` if there are more (what the owner spent elsewhere). Down to
    // -burst: a debt, paid back as tokens flow in before anything is taken again.
    void limit(qint64 nowMs, double tokens)
    {
        refill(nowMs);
        m_tokens = std::min(m_tokens, std::max(tokens, -m_burst));
    }

private:
    void refill(qint64 nowMs)
    {
        if (nowMs > m_updatedMs) {
            m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_updatedMs) * m_rate / 1000.0);
            m_updatedMs = nowMs;
        }
    }

    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_updatedMs;
};

} // namespace veza::net
