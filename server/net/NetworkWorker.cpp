#include "net/NetworkWorker.h"

#include "net/ChatDelivery.h"
#include "net/TlsSettings.h"

#include <QHttpServer>
#include <QTcpServer>

namespace veza::net {

NetworkWorker::NetworkWorker(Setup setup)
    : m_setup(std::move(setup))
{
}

NetworkWorker::~NetworkWorker() = default;

QString NetworkWorker::start()
{
    m_httpListener = makeListener(m_setup.tls, this);
    if (!m_httpListener->setSocketDescriptor(m_setup.httpFd))
        return QStringLiteral("HTTP listener: %1").arg(m_httpListener->errorString());
    m_httpServer = new QHttpServer(this);
    HttpApi::installRoutes(*m_httpServer, m_setup.api);
    m_httpServer->bind(m_httpListener);

    if (m_setup.chat.service)
        m_setup.chat.delivery->startHeartbeat(m_setup.chat.pingIntervalMs);
    m_gateway = new WebSocketGateway(m_setup.limiter, m_setup.metrics, m_setup.tls,
                                     m_setup.chat.service ? &m_setup.chat : nullptr, this);
    QString error;
    if (!m_gateway->listen(m_setup.webSocketFd, &error))
        return QStringLiteral("WebSocket listener: %1").arg(error);
    return {};
}

void NetworkWorker::stopAccepting()
{
    if (m_httpListener)
        m_httpListener->close();
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
    // bind() made the HTTP server the listener's parent: one delete frees both.
    delete m_httpServer;
    m_httpServer = nullptr;
    m_httpListener = nullptr;
}

} // namespace veza::net
