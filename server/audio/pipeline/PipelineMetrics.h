#pragma once

#include "metrics/MetricsRegistry.h"

namespace veza::audio {

// The audio pipeline's metrics (docs/metrics.md), registered once; any thread may update them.
struct PipelineMetrics
{
    explicit PipelineMetrics(metrics::MetricsRegistry &registry);

    metrics::Family<metrics::Histogram> &encodeSeconds; // {rendition}
    metrics::Family<metrics::Counter> &sourceFailures;  // {reason}
    metrics::Counter &silenceFilled;                    // seconds of silence sent for a gap
    metrics::Counter &encodeDrops;                      // blocks dropped: encoders behind
};

} // namespace veza::audio
