#include "streaming/StreamMetrics.h"

namespace veza::streaming {

StreamMetrics::StreamMetrics(metrics::MetricsRegistry &registry)
    : streamsActive(registry.gauge(QStringLiteral("streams_active"),
                                   QStringLiteral("Live streams (a source connected, or within "
                                                  "the grace period after it left).")))
    , listenersActive(registry.gauge(QStringLiteral("listeners_active"),
                                     QStringLiteral("Listeners of every live stream: HTTP and "
                                                    "WebSocket, every rendition.")))
    , streamListeners(registry.gaugeFamily(QStringLiteral("stream_listeners"),
                                           QStringLiteral("Listeners of one live stream."),
                                           {QStringLiteral("stream")}))
    , ingestBitrate(registry.gaugeFamily(
          QStringLiteral("stream_ingest_bitrate_bps"),
          QStringLiteral("Bitrate received from the stream's source, bits/s (5 s average)."),
          {QStringLiteral("stream")}))
    , listenerBytes(registry.counterFamily(
          QStringLiteral("stream_listener_bytes_total"),
          QStringLiteral("Bytes sent to the stream's listeners, HTTP and WebSocket, every "
                         "rendition (once a second)."),
          {QStringLiteral("stream")}))
    , sourceDisconnects(registry.counter(QStringLiteral("stream_source_disconnects_total"),
                                         QStringLiteral("Source connections that ended.")))
    , refused(registry.counterFamily(QStringLiteral("stream_refused_total"),
                                     QStringLiteral("Sources and listeners turned away."),
                                     {QStringLiteral("reason")}))
    , listenersDropped(registry.counterFamily(QStringLiteral("stream_listeners_dropped_total"),
                                              QStringLiteral("Listeners the server disconnected."),
                                              {QStringLiteral("reason")}))
{
}

} // namespace veza::streaming
