#pragma once

#include <QHash>
#include <QMutex>
#include <QString>
#include <array>

namespace veza::net {

// Open connections per client address, across every network thread and both listeners (HTTP,
// audio listeners included, and WebSocket): MAX_CONNECTIONS_PER_IP, so one address cannot take
// the server's descriptors from everyone else. A short lock per accept and close, on one of 16
// stripes chosen by the address, so the network threads seldom meet. Any thread.
class AddressLimiter
{
public:
    explicit AddressLimiter(int limitPerAddress) // 0: no limit
        : m_limit(limitPerAddress)
    {
    }

    // Counts a connection from `address` (as plainPeerAddress() writes it). False, counting
    // nothing, when the address already holds the limit.
    bool tryAcquire(const QString &address);
    // Each successful tryAcquire() is released once, with the same address.
    void release(const QString &address);
    int count(const QString &address) const;
    int limit() const { return m_limit; }

private:
    struct Stripe
    {
        mutable QMutex mutex;
        QHash<QString, int> counts;
    };
    Stripe &stripeOf(const QString &address) const;

    const int m_limit;
    mutable std::array<Stripe, 16> m_stripes;
};

} // namespace veza::net
