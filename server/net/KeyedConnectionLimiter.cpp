#include "net/KeyedConnectionLimiter.h"

namespace veza::net {

KeyedConnectionLimiter::Stripe &KeyedConnectionLimiter::stripeOf(const QString &key) const
{
    return m_stripes[qHash(key) % m_stripes.size()];
}

bool KeyedConnectionLimiter::tryAcquire(const QString &key)
{
    if (m_limit <= 0)
        return true;
    Stripe &stripe = stripeOf(key);
    QMutexLocker lock(&stripe.mutex);
    int &count = stripe.counts[key];
    if (count >= m_limit)
        return false;
    ++count;
    return true;
}

void KeyedConnectionLimiter::release(const QString &key)
{
    if (m_limit <= 0)
        return;
    Stripe &stripe = stripeOf(key);
    QMutexLocker lock(&stripe.mutex);
    const auto it = stripe.counts.find(key);
    if (it == stripe.counts.end())
        return;
    if (--*it <= 0)
        stripe.counts.erase(it); // no entry is kept for a key that left
}

int KeyedConnectionLimiter::count(const QString &key) const
{
    Stripe &stripe = stripeOf(key);
    QMutexLocker lock(&stripe.mutex);
    return stripe.counts.value(key);
}

} // namespace veza::net
