#include "endpoints/streams/StreamSocketMetrics.h"

namespace veza::endpoints {

StreamSocketMetrics::StreamSocketMetrics(metrics::MetricsRegistry &registry)
    : endToEndLatency(registry.histogram(
          QStringLiteral("stream_end_to_end_latency_seconds"),
          QStringLiteral("From an audio packet's arrival at the server (the source's bytes that "
                         "complete it) to its write to WebSocket listeners' sockets."),
          {0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1,
           0.15, 0.25, 0.5, 1, 2.5}))
    , switches(registry.counterFamily(
          QStringLiteral("stream_rendition_switches_total"),
          QStringLiteral("WebSocket listeners moved along the bitrate ladder, by direction."),
          {QStringLiteral("direction")}))
    , webSocketListeners(registry.gauge(
          QStringLiteral("stream_websocket_listeners"),
          QStringLiteral("Low-latency WebSocket listeners (/listen/{name}) of every stream.")))
{
    auto &degradedPercent = registry.gauge(
        QStringLiteral("stream_quality_degraded_percent"),
        QStringLiteral("Share of WebSocket listeners below the rendition they asked for, or "
                       "more than half a second behind."));
    registry.addCollector([this, &degradedPercent] {
        const int total = listeners.load(std::memory_order_relaxed);
        const int below = degraded.load(std::memory_order_relaxed);
        degradedPercent.set(total > 0 ? 100.0 * below / total : 0.0);
        webSocketListeners.set(total);
    });
}

} // namespace veza::endpoints
