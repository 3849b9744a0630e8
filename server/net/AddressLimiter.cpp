#include "net/AddressLimiter.h"

namespace veza::net {

AddressLimiter::Stripe &AddressLimiter::stripeOf(const QString &address) const
{
    return m_stripes[qHash(address) % m_stripes.size()];
}

bool AddressLimiter::tryAcquire(const QString &address)
{
    if (m_limit <= 0)
        return true;
    Stripe &stripe = stripeOf(address);
    QMutexLocker lock(&stripe.mutex);
    int &count = stripe.counts[address];
    if (count >= m_limit)
        return false;
    ++count;
    return true;
}

void AddressLimiter::release(const QString &address)
{
    if (m_limit <= 0)
        return;
    Stripe &stripe = stripeOf(address);
    QMutexLocker lock(&stripe.mutex);
    const auto it = stripe.counts.find(address);
    if (it == stripe.counts.end())
        return;
    if (--*it <= 0)
        stripe.counts.erase(it); // no entry is kept for an address that left
}

int AddressLimiter::count(const QString &address) const
{
    Stripe &stripe = stripeOf(address);
    QMutexLocker lock(&stripe.mutex);
    return stripe.counts.value(address);
}

} // namespace veza::net
