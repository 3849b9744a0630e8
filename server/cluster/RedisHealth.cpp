#include "cluster/RedisHealth.h"

#include "metrics/MetricsRegistry.h"
#include "ops/HealthState.h"

namespace veza::cluster {

RedisHealth::RedisHealth(ops::HealthState &health, metrics::MetricsRegistry &registry)
    : m_health(health)
    , m_up(registry.gauge(QStringLiteral("redis_up"),
                          QStringLiteral("1 while all of this instance's Redis connections "
                                         "(REDIS_URL) are up.")))
{
}

void RedisHealth::report(const QString &part, const QString &problem)
{
    if (problem.isEmpty())
        m_problems.remove(part);
    else
        m_problems.insert(part, problem);
    m_health.setRedisProblem(m_problems.isEmpty() ? QString() : m_problems.first());
    m_up.set(m_problems.isEmpty() ? 1 : 0);
}

} // namespace veza::cluster
