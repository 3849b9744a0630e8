#include "net/NetworkWorker.h"

#include "net/ChatDelivery.h"
#include "net/PacketFanout.h"
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
    if (m_setup.api.hub) {
        m_streams.hub = m_setup.api.hub;
        m_streams.database = m_setup.api.database;
        m_streams.jwtSecrets = m_setup.api.jwtSecrets;
        m_streams.adaptiveBitrate = m_setup.api.config.adaptiveBitrate;
        m_streams.metrics = m_setup.streamSocketMetrics;
        m_streams.fanout = new PacketFanout(*m_setup.streamSocketMetrics, this);
    }
    m_gateway = new WebSocketGateway(m_setup.limiter, m_setup.metrics, m_setup.tls,
                                     m_setup.chat.service ? &m_setup.chat : nullptr,
                                     m_streams.hub ? &m_streams : nullptr, this);
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
