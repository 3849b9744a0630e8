#pragma once

#include "metrics/MetricsRegistry.h"

namespace veza::net {

// The network layer's metrics, registered once and shared by every network thread
// (updates are lock-free atomics).
struct NetMetrics
{
    explicit NetMetrics(metrics::MetricsRegistry &registry);

    metrics::Family<metrics::Counter> &httpRequests;   // {method,route,status}
    metrics::Family<metrics::Histogram> &httpDuration; // {route}
    metrics::Gauge &webSocketsActive;
    metrics::Family<metrics::Counter> &webSocketsRejected;      // {reason}
    metrics::Family<metrics::Counter> &httpConnectionsRejected; // {reason}
};

} // namespace veza::net
