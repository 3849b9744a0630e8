#pragma once

#include "metrics/MetricsRegistry.h"

namespace veza::net {

// The network layer's metrics, registered once and shared by every network thread
// (updates are lock-free atomics).
struct NetMetrics
{
    explicit NetMetrics(metrics::MetricsRegistry &registry);

    metrics::Family<metrics::Counter> &httpRequests;   // {method,route,status}
    metrics::Counter &httpErrors;                      // the 5xx among them
    metrics::Family<metrics::Histogram> &httpDuration; // {route}
    metrics::Gauge &webSocketsActive;
    metrics::Family<metrics::Counter> &webSocketsRejected;      // {reason}
    metrics::Family<metrics::Counter> &httpConnectionsRejected; // {reason}
    metrics::Family<metrics::Counter> &webSocketCloses;         // {code,initiator}

    // The `code` label of websocket_closes_total: the number for the RFC 6455 codes
    // (1000-1015) and the private ones this server uses (4400-4499), "other" for the rest,
    // so a client cannot grow the label set.
    static QString closeCodeLabel(quint16 code);
};

} // namespace veza::net
