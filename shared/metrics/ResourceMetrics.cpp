#include "metrics/ResourceMetrics.h"

#include <chrono>

namespace veza::metrics {

struct ResourceMetrics::State
{
    explicit State(ResourceSources sources)
        : usage(std::move(sources))
    {
    }

    ResourceUsage usage;
    Gauge *cpuPercent = nullptr;
    Gauge *memoryPercent = nullptr;
    ResourceUsage::Sample previous;
    std::chrono::steady_clock::time_point previousWall;

    void collect()
    {
        const ResourceUsage::Sample now = usage.sample();
        const auto wallNow = std::chrono::steady_clock::now();
        const double wall = std::chrono::duration<double>(wallNow - previousWall).count();
        // CPU time moves in clock ticks (10 ms at 100 Hz), so an interval much shorter than
        // that would read 0 or far too much. Keep the last value and let the interval grow
        // until the next scrape instead.
        if (wall >= 0.1) {
            cpuPercent->set(ResourceUsage::cpuPercent(previous, now, wall));
            previous = now;
            previousWall = wallNow;
        }
        memoryPercent->set(ResourceUsage::memoryPercent(now));
    }
};

ResourceMetrics::ResourceMetrics(MetricsRegistry &registry, ResourceSources sources)
    : m_state(std::make_shared<State>(std::move(sources)))
{
    State &s = *m_state;
    s.cpuPercent = &registry.gauge(
        QStringLiteral("cpu_usage_percent"),
        QStringLiteral("CPU used since the previous scrape by the container (cgroup v2), else "
                       "the machine, as a percentage of its CPU limit, else the machine's CPUs."));
    s.memoryPercent = &registry.gauge(
        QStringLiteral("memory_usage_percent"),
        QStringLiteral("Memory in use by the container (cgroup v2 working set), else the machine, "
                       "as a percentage of its memory limit, else the machine's memory."));
    // The baseline now, so the first scrape's CPU covers the time since start, not since boot.
    s.previous = s.usage.sample();
    s.previousWall = std::chrono::steady_clock::now();
    s.memoryPercent->set(ResourceUsage::memoryPercent(s.previous));
    registry.addCollector([state = m_state] { state->collect(); });
}

ResourceMetrics::~ResourceMetrics() = default;

} // namespace veza::metrics
