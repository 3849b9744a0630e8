#include "net/transport/TransportListener.h"

#include "net/TlsSettings.h"
#include "net/TrustedProxies.h"
#include "net/transport/FdAcceptor.h"
#include "net/transport/FdTransport.h"
#include "net/transport/ProxyHeaderReader.h"
#include "net/transport/QtSocketTransport.h"

#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

namespace veza::net {

TransportListener::TransportListener(std::optional<QSslConfiguration> tls, FlushQueue &flushQueue,
                                     Accepted accepted, QObject *parent)
    : QObject(parent)
    , m_tls(std::move(tls))
    , m_flushQueue(flushQueue)
    , m_accepted(std::move(accepted))
{
}

TransportListener::~TransportListener()
{
    delete m_acceptor;
    delete m_proxyHeaders;
    delete m_tlsServer;
}

void TransportListener::readProxyHeaders(const TrustedProxies &proxies, int timeoutMs)
{
    if (m_tls || proxies.isEmpty())
        return;
    delete m_proxyHeaders;
    m_proxyHeaders = new ProxyHeaderReader(proxies, timeoutMs, m_accepted, this);
}

bool TransportListener::listen(int fd, QString *error)
{
    if (!m_tls) {
        m_acceptor = new FdAcceptor(
            fd,
            [this](int accepted) {
                auto transport = std::make_unique<FdTransport>(accepted, m_flushQueue);
                if (m_proxyHeaders)
                    m_proxyHeaders->admit(std::move(transport));
                else
                    m_accepted(std::move(transport));
            },
            this);
        return true;
    }
    // TLS is terminated here; the protocols above see plaintext.
    m_tlsServer = makeListener(m_tls, this);
    if (!m_tlsServer->setSocketDescriptor(fd)) {
        *error = m_tlsServer->errorString();
        return false;
    }
    connect(m_tlsServer, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_tlsServer->nextPendingConnection())
            m_accepted(std::make_unique<QtSocketTransport>(socket));
    });
    return true;
}

void TransportListener::setTlsConfiguration(const QSslConfiguration &tls)
{
    if (!m_tls)
        return;
    m_tls = tls;
    // QSslServer gives each connection it accepts a copy of its configuration.
    if (auto *server = qobject_cast<QSslServer *>(m_tlsServer))
        server->setSslConfiguration(tls);
}

void TransportListener::close()
{
    if (m_acceptor)
        m_acceptor->close();
    if (m_tlsServer)
        m_tlsServer->close();
}

} // namespace veza::net
