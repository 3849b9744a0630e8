#pragma once

#include <QHash>
#include <QMutex>
#include <QString>
#include <array>

namespace veza::net {

// Open connections per key, across every network thread, with a cap: per client address on
// both listeners (HTTP, audio listeners included, and WebSocket) for MAX_CONNECTIONS_PER_IP, so
// one address cannot take the server's descriptors from everyone else; per user for
// MAX_CONNECTIONS_PER_USER (SessionToken). A short lock per accept and close, on one of 16
// stripes chosen by the key, so the network threads seldom meet. Any thread.
class KeyedConnectionLimiter
{
public:
    explicit KeyedConnectionLimiter(int limitPerKey) // 0: no limit
        : m_limit(limitPerKey)
    {
    }

    // Counts a connection of `key` (an address as plainPeerAddress() writes it, a user's
    // `sub`). False, counting nothing, when the key already holds the limit.
    bool tryAcquire(const QString &key);
    // Each successful tryAcquire() is released once, with the same key.
    void release(const QString &key);
    int count(const QString &key) const;
    int limit() const { return m_limit; }

private:
    struct Stripe
    {
        mutable QMutex mutex;
        QHash<QString, int> counts;
    };
    Stripe &stripeOf(const QString &key) const;

    const int m_limit;
    mutable std::array<Stripe, 16> m_stripes;
};

} // namespace veza::net
