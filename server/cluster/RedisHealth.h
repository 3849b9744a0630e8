#pragma once

#include <QMap>
#include <QString>

namespace veza::metrics {
class Gauge;
class MetricsRegistry;
} // namespace veza::metrics
namespace veza::ops {
class HealthState;
}

namespace veza::cluster {

// This instance's Redis connections (the chat relay's, the streams') as one figure: redis_up is
// 1 and /health/ready carries no "degraded" only while every one of them is up. Main thread.
class RedisHealth
{
public:
    RedisHealth(ops::HealthState &health, metrics::MetricsRegistry &registry);

    // `problem` empty: that part's connections are up.
    void report(const QString &part, const QString &problem);

private:
    ops::HealthState &m_health;
    metrics::Gauge &m_up;
    QMap<QString, QString> m_problems; // part -> problem, failing parts only
};

} // namespace veza::cluster
