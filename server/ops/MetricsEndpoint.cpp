#include "ops/MetricsEndpoint.h"

#include "net/ListenSocket.h"
#include "net/http/HttpServer.h"

namespace veza::ops {

MetricsEndpoint::MetricsEndpoint(const metrics::MetricsRegistry &registry, QObject *parent)
    : QObject(parent)
{
    m_router.add("GET", "/metrics",
                 [&registry](const net::http::HttpRequest &, net::http::HttpResponder responder) {
                     net::http::HttpResponse response;
                     response.contentType = "text/plain; version=0.0.4; charset=utf-8";
                     response.body = registry.render();
                     responder.send(std::move(response));
                 });
}

void MetricsEndpoint::setTlsConfiguration(const QSslConfiguration &tls)
{
    if (m_server)
        m_server->setTlsConfiguration(tls);
}

std::optional<QString> MetricsEndpoint::listen(const QHostAddress &host, quint16 port,
                                               const std::optional<QSslConfiguration> &tls)
{
    QString error;
    const std::optional<net::ListenSocket> socket =
        net::ListenSocket::open(host, port, net::systemMaxListenBacklog(), &error);
    if (!socket)
        return QStringLiteral("PROMETHEUS_PORT: %1").arg(error);
    m_server = new net::http::HttpServer(
        [this](const net::http::HttpRequest &request, net::http::HttpResponder responder) {
            m_router.dispatch(request, std::move(responder));
        },
        tls, {}, {}, this);
    if (!m_server->listen(socket->fd, &error))
        return QStringLiteral("PROMETHEUS_PORT: %1").arg(error);
    m_port = socket->port;
    return std::nullopt;
}

} // namespace veza::ops
