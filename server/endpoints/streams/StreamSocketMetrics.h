#pragma once

#include "metrics/MetricsRegistry.h"

#include <atomic>

namespace veza::endpoints {

// Metrics of the low-latency WebSocket listeners (docs/metrics.md); any thread may update them.
struct StreamSocketMetrics
{
    explicit StreamSocketMetrics(metrics::MetricsRegistry &registry);

    metrics::Histogram &endToEndLatency;         // ingest -> written to listener sockets
    metrics::Family<metrics::Counter> &switches; // {direction}: down, up, requested
    metrics::Gauge &webSocketListeners;
    // stream_quality_degraded_percent, computed at each scrape from these two, which the
    // network threads keep current (deltas, once a second).
    std::atomic<int> listeners{0};
    std::atomic<int> degraded{0};
};

} // namespace veza::endpoints
