#pragma once

#include "metrics/MetricsRegistry.h"

namespace veza::streaming {

// The live streams' metrics (docs/metrics.md), registered once; any thread may update them,
// except the per-stream ({stream}) families: StreamHub alone, on its thread, which removes a
// stream's series when it ends.
struct StreamMetrics
{
    explicit StreamMetrics(metrics::MetricsRegistry &registry);

    metrics::Gauge &streamsActive;
    metrics::Gauge &listenersActive;
    metrics::Family<metrics::Gauge> &streamListeners; // {stream}
    metrics::Family<metrics::Gauge> &ingestBitrate;   // {stream}
    metrics::Family<metrics::Counter> &listenerBytes; // {stream}
    metrics::Counter &sourceDisconnects;
    metrics::Family<metrics::Counter> &refused;          // {reason}
    metrics::Family<metrics::Counter> &listenersDropped; // {reason}
};

} // namespace veza::streaming
