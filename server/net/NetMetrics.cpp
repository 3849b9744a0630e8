#include "net/NetMetrics.h"

namespace veza::net {

NetMetrics::NetMetrics(metrics::MetricsRegistry &registry)
    : httpRequests(registry.counterFamily(
          QStringLiteral("http_requests_total"), QStringLiteral("HTTP requests served."),
          {QStringLiteral("method"), QStringLiteral("route"), QStringLiteral("status")}))
    , httpDuration(registry.histogramFamily(QStringLiteral("http_request_duration_seconds"),
                                            QStringLiteral("Time to produce an HTTP response."),
                                            {QStringLiteral("route")}))
    , webSocketsActive(registry.gauge(QStringLiteral("websocket_connections_active"),
                                      QStringLiteral("Open WebSocket connections.")))
    , webSocketsRejected(registry.counterFamily(
          QStringLiteral("websocket_connections_rejected_total"),
          QStringLiteral("WebSocket connections refused before the handshake."),
          {QStringLiteral("reason")}))
    , httpConnectionsRejected(registry.counterFamily(
          QStringLiteral("http_connections_rejected_total"),
          QStringLiteral("HTTP connections (API and audio listeners) refused at a connection cap."),
          {QStringLiteral("reason")}))
{
}

} // namespace veza::net
