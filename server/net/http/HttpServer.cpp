#include "net/http/HttpServer.h"

#include "MonotonicClock.h"
#include "net/TlsSettings.h"
#include "net/transport/FdAcceptor.h"
#include "net/transport/FdTransport.h"
#include "net/transport/FlushQueue.h"
#include "net/transport/QtSocketTransport.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace veza::net::http {

namespace {
constexpr int kSweepIntervalMs = 1000;
}

HttpServer::HttpServer(HttpConnection::Handler handler, std::optional<QSslConfiguration> tls,
                       HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_tls(std::move(tls))
    , m_limits(limits)
    , m_flushQueue(new FlushQueue(this))
    , m_sweepTimer(new QTimer(this))
{
    connect(m_sweepTimer, &QTimer::timeout, this, &HttpServer::sweep);
    m_sweepTimer->start(kSweepIntervalMs);
}

HttpServer::~HttpServer()
{
    const QSet<HttpConnection *> connections = std::exchange(m_connections, {});
    for (HttpConnection *connection : connections)
        delete connection;
    delete m_acceptor;
    delete m_tlsServer;
}

bool HttpServer::listen(int fd, QString *error)
{
    if (!m_tls) {
        m_acceptor = new FdAcceptor(
            fd,
            [this](int accepted) { adopt(std::make_unique<FdTransport>(accepted, *m_flushQueue)); },
            this);
        return true;
    }
    // TLS is terminated by QSslServer (TLS 1.3 only); HTTP sees plaintext.
    m_tlsServer = makeListener(m_tls, this);
    if (!m_tlsServer->setSocketDescriptor(fd)) {
        *error = m_tlsServer->errorString();
        return false;
    }
    connect(m_tlsServer, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_tlsServer->nextPendingConnection())
            adopt(std::make_unique<QtSocketTransport>(socket));
    });
    return true;
}

void HttpServer::stopAccepting()
{
    if (m_acceptor)
        m_acceptor->close();
    if (m_tlsServer)
        m_tlsServer->close();
}

void HttpServer::adopt(std::unique_ptr<Transport> transport)
{
    m_connections.insert(new HttpConnection(std::move(transport), m_handler, *this, m_limits));
}

void HttpServer::connectionClosed(HttpConnection &connection)
{
    if (!m_connections.remove(&connection))
        return;
    // Not deleted here: this runs inside the connection's own read or write path.
    QMetaObject::invokeMethod(
        this, [doomed = &connection] { delete doomed; }, Qt::QueuedConnection);
}

void HttpServer::sweep()
{
    const qint64 now = monotonicMs();
    // Copied: a tick can end a connection, which leaves the set.
    const QList<HttpConnection *> connections = m_connections.values();
    for (HttpConnection *connection : connections) {
        if (m_connections.contains(connection))
            connection->tick(now);
    }
}

} // namespace veza::net::http
