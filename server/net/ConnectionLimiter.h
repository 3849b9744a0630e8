#pragma once

#include <atomic>

namespace veza::net {

// Counts WebSocket connections across all network threads against MAX_CONNECTIONS.
// One relaxed atomic per accept/close: the only state the network threads share.
class ConnectionLimiter
{
public:
    explicit ConnectionLimiter(int limit)
        : m_limit(limit)
    {
    }

    bool tryAcquire()
    {
        int current = m_count.load(std::memory_order_relaxed);
        do {
            if (current >= m_limit)
                return false;
        } while (!m_count.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
        return true;
    }
    void release() { m_count.fetch_sub(1, std::memory_order_relaxed); }
    int count() const { return m_count.load(std::memory_order_relaxed); }
    int limit() const { return m_limit; }

private:
    const int m_limit;
    std::atomic<int> m_count{0};
};

} // namespace veza::net
