#include "ops/MetricsEndpoint.h"

#include "net/TlsSettings.h"

#include <QHttpServer>
#include <QTcpServer>

namespace veza::ops {

MetricsEndpoint::MetricsEndpoint(const metrics::MetricsRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
{
}

std::optional<QString> MetricsEndpoint::listen(const QHostAddress &host, quint16 port,
                                               const std::optional<QSslConfiguration> &tls)
{
    m_listener = net::makeListener(tls, this);
    if (!m_listener->listen(host, port))
        return QStringLiteral("PROMETHEUS_PORT: cannot listen on %1:%2: %3")
            .arg(host.toString())
            .arg(port)
            .arg(m_listener->errorString());
    m_server = new QHttpServer(this);
    const metrics::MetricsRegistry &registry = m_registry;
    m_server->route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get,
                    [&registry](const QHttpServerRequest &) {
                        return QHttpServerResponse(
                            QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"),
                            registry.render());
                    });
    m_server->bind(m_listener);
    return std::nullopt;
}

quint16 MetricsEndpoint::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

} // namespace veza::ops
