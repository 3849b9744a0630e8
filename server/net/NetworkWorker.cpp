#include "net/NetworkWorker.h"

#include "net/ChatDelivery.h"
#include "net/http/HttpServer.h"

namespace veza::net {

NetworkWorker::NetworkWorker(Setup setup)
    : m_setup(std::move(setup))
{
}

NetworkWorker::~NetworkWorker() = default;

QString NetworkWorker::start()
{
    HttpApi::installRoutes(m_router, m_setup.api, this);
    m_httpServer = new http::HttpServer(
        [this](const http::HttpRequest &request, http::HttpResponder responder) {
            m_router.dispatch(request, std::move(responder));
        },
        m_setup.tls, {}, this);
    QString error;
    if (!m_httpServer->listen(m_setup.httpFd, &error))
        return QStringLiteral("HTTP listener: %1").arg(error);

    if (m_setup.chat.service)
        m_setup.chat.delivery->startHeartbeat(m_setup.chat.pingIntervalMs);
    m_gateway = new WebSocketGateway(m_setup.limiter, m_setup.metrics, m_setup.tls,
                                     m_setup.chat.service ? &m_setup.chat : nullptr, this);
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

void NetworkWorker::shutDown()
{
    delete m_gateway;
    m_gateway = nullptr;
    delete m_httpServer;
    m_httpServer = nullptr;
}

} // namespace veza::net
