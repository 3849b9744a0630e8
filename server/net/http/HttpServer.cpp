#include "net/http/HttpServer.h"

#include "MonotonicClock.h"
#include "net/transport/FlushQueue.h"
#include "net/transport/TransportListener.h"

#include <QTimer>

namespace veza::net::http {

namespace {
constexpr int kSweepIntervalMs = 1000;
}

HttpServer::HttpServer(HttpConnection::Handler handler, std::optional<QSslConfiguration> tls,
                       HttpLimits limits, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_flushQueue(new FlushQueue(this))
    , m_listener(new TransportListener(
          std::move(tls), *m_flushQueue,
          [this](std::unique_ptr<Transport> transport) { adopt(std::move(transport)); }, this))
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
    const QSet<TakenConnection *> taken = std::exchange(m_taken, {});
    for (TakenConnection *connection : taken)
        delete connection;
    delete m_listener;
}

bool HttpServer::listen(int fd, QString *error)
{
    return m_listener->listen(fd, error);
}

void HttpServer::stopAccepting()
{
    m_listener->close();
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

void HttpServer::connectionTakenOver(HttpConnection &connection,
                                     std::unique_ptr<TakenConnection> taken)
{
    connectionClosed(connection);
    if (!taken)
        return;
    taken->setOwner(this);
    m_taken.insert(taken.release());
}

void HttpServer::takenConnectionClosed(TakenConnection &connection)
{
    if (!m_taken.remove(&connection))
        return;
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
    const QList<TakenConnection *> taken = m_taken.values();
    for (TakenConnection *connection : taken) {
        if (m_taken.contains(connection))
            connection->tick(now);
    }
}

} // namespace veza::net::http
