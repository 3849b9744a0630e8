#include "net/NetworkWorker.h"

#include "net/HttpRequestMetrics.h"
#include "net/WebSocketGateway.h"
#include "net/http/HttpServer.h"

namespace veza::net {

NetworkWorker::NetworkWorker(Setup setup)
    : m_setup(std::move(setup))
{
}

NetworkWorker::~NetworkWorker() = default;

QString NetworkWorker::start()
{
    countHttpRequests(m_router, m_setup.metrics);
    if (m_setup.endpoints) {
        m_endpoints = m_setup.endpoints(m_setup.index, this);
        m_endpoints->installRoutes(m_router);
    }
    http::HttpLimits limits;
    limits.trustedProxies = m_setup.trustedProxies;
    m_httpServer = new http::HttpServer(
        [this](const http::HttpRequest &request, http::HttpResponder responder) {
            m_router.dispatch(request, std::move(responder));
        },
        m_setup.tls, limits,
        http::HttpServerCaps{&m_setup.httpLimiter, &m_setup.addresses,
                             [metrics = &m_setup.metrics](const QString &reason) {
                                 metrics->httpConnectionsRejected.labels({reason}).inc();
                             }},
        this);
    m_httpServer->setBodyAdmission(
        [this](const http::HttpRequest &head, http::HttpResponder &responder) {
            return m_router.admitBody(head, responder);
        });
    if (m_setup.httpConnections)
        m_httpServer->countConnectionsIn(*m_setup.httpConnections);
    QString error;
    if (!m_httpServer->listen(m_setup.httpFd, &error))
        return QStringLiteral("HTTP listener: %1").arg(error);

    m_gateway = new WebSocketGateway(m_setup.limiter, m_setup.addresses, m_setup.metrics,
                                     m_setup.tls, m_endpoints.get(), this);
    m_gateway->setTrustedProxies(m_setup.trustedProxies);
    if (!m_gateway->listen(m_setup.webSocketFd, &error))
        return QStringLiteral("WebSocket listener: %1").arg(error);
    return {};
}

void NetworkWorker::stopAccepting()
{
    if (m_httpServer)
        m_httpServer->stopAccepting();
    if (m_gateway)
        m_gateway->stopAccepting();
}

void NetworkWorker::closeWebSockets(quint16 code, const QString &reason)
{
    if (m_gateway)
        m_gateway->closeAll(code, reason);
}

void NetworkWorker::setTlsConfiguration(const QSslConfiguration &tls)
{
    if (m_httpServer)
        m_httpServer->setTlsConfiguration(tls);
    if (m_gateway)
        m_gateway->setTlsConfiguration(tls);
}

void NetworkWorker::drainHttp()
{
    if (m_httpServer)
        m_httpServer->drain();
}

void NetworkWorker::shutDown()
{
    delete m_gateway;
    m_gateway = nullptr;
    delete m_httpServer;
    m_httpServer = nullptr;
    m_endpoints.reset();
}

} // namespace veza::net
