#pragma once

#include "metrics/MetricsRegistry.h"
#include "metrics/ResourceUsage.h"

#include <memory>

namespace veza::metrics {

// ResourceMetrics: cpu_usage_percent and memory_usage_percent, the guide's CPU and memory
// alerts' figures, refreshed from ResourceUsage at every scrape: the container's use relative
// to its cgroup v2 limits, else to the machine. CPU is measured since the previous scrape.
// Thread-safety: as ProcessMetrics (the refresh runs inside MetricsRegistry::render(), which
// serialises collectors; the collector owns its state, so the registry may outlive this).
class ResourceMetrics
{
public:
    explicit ResourceMetrics(MetricsRegistry &registry, ResourceSources sources = {});
    ~ResourceMetrics();
    ResourceMetrics(const ResourceMetrics &) = delete;
    ResourceMetrics &operator=(const ResourceMetrics &) = delete;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace veza::metrics
