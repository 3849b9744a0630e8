#pragma once

#include "metrics/MetricsRegistry.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <optional>

class QHttpServer;
class QTcpServer;

namespace veza::ops {

// Serves GET /metrics (Prometheus text format 0.0.4) on PROMETHEUS_PORT, on the main thread:
// scrapes are rare and rendering reads atomics only.
class MetricsEndpoint : public QObject
{
    Q_OBJECT

public:
    MetricsEndpoint(const metrics::MetricsRegistry &registry, QObject *parent = nullptr);

    std::optional<QString> listen(const QHostAddress &host, quint16 port,
                                  const std::optional<QSslConfiguration> &tls);
    quint16 port() const;

private:
    const metrics::MetricsRegistry &m_registry;
    QHttpServer *m_server = nullptr;
    QTcpServer *m_listener = nullptr;
};

} // namespace veza::ops
