#include "net/NetMetrics.h"

namespace veza::net {

NetMetrics::NetMetrics(metrics::MetricsRegistry &registry)
    : httpRequests(registry.counterFamily(
          QStringLiteral("http_requests_total"), QStringLiteral("HTTP requests served."),
          {QStringLiteral("method"), QStringLiteral("route"), QStringLiteral("status")}))
    , httpErrors(registry.counter(
          QStringLiteral("http_errors_total"),
          QStringLiteral(
              "HTTP requests answered with a server error (5xx), of http_requests_total.")))
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
    , webSocketCloses(registry.counterFamily(
          QStringLiteral("websocket_closes_total"),
          QStringLiteral("WebSocket connections ended, by the close code that began the closing "
                         "handshake and who sent it (1006: none, the connection dropped)."),
          {QStringLiteral("code"), QStringLiteral("initiator")}))
{
}

QString NetMetrics::closeCodeLabel(quint16 code)
{
    const bool known = (code >= 1000 && code <= 1015) || (code >= 4400 && code <= 4499);
    return known ? QString::number(code) : QStringLiteral("other");
}

} // namespace veza::net
