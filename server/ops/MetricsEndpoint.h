#pragma once

#include "metrics/MetricsRegistry.h"
#include "net/http/HttpRouter.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <optional>

namespace veza::net::http {
class HttpServer;
}

namespace veza::ops {

// Serves GET /metrics (Prometheus text format 0.0.4) on PROMETHEUS_PORT, on the main thread:
// scrapes are rare and rendering reads atomics only. Runs on the project's own HTTP/1.1
// server, as the API does, so keep-alive, `Connection: close`, HEAD and the limits behave the
// same on both ports.
class MetricsEndpoint : public QObject
{
    Q_OBJECT

public:
    MetricsEndpoint(const metrics::MetricsRegistry &registry, QObject *parent = nullptr);

    std::optional<QString> listen(const QHostAddress &host, quint16 port,
                                  const std::optional<QSslConfiguration> &tls);
    quint16 port() const { return m_port; }
    // New scrapes' connections use `tls` (when it listens with TLS).
    void setTlsConfiguration(const QSslConfiguration &tls);

private:
    net::http::HttpRouter m_router; // GET /metrics, rendering the registry given at construction
    net::http::HttpServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace veza::ops
