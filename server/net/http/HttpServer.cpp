#include "net/http/HttpServer.h"

#include "MonotonicClock.h"
#include "net/transport/FlushQueue.h"
#include "net/transport/TransportListener.h"

#include <QTimer>

namespace veza::net::http {

namespace {
constexpr int kSweepIntervalMs =
    1000; // each connection's idle timeout is checked once per interval
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
    m_sweepTimer->start(m_connectionSweep.stepMs(kSweepIntervalMs));
}

HttpServer::~HttpServer()
{
    const QHash<HttpConnection *, quint32> connections = std::exchange(m_connections, {});
    for (auto it = connections.keyBegin(); it != connections.keyEnd(); ++it)
        delete *it;
    const QHash<TakenConnection *, quint32> taken = std::exchange(m_taken, {});
    for (auto it = taken.keyBegin(); it != taken.keyEnd(); ++it)
        delete *it;
    delete m_listener;
    recount();
}

bool HttpServer::listen(int fd, QString *error)
{
    return m_listener->listen(fd, error);
}

void HttpServer::stopAccepting()
{
    m_listener->close();
}

void HttpServer::setTlsConfiguration(const QSslConfiguration &tls)
{
    m_listener->setTlsConfiguration(tls);
}

void HttpServer::drain()
{
    m_draining = true;
    // Copies: an end may come at once and remove its connection.
    const QList<HttpConnection *> connections = m_connections.keys();
    for (HttpConnection *connection : connections) {
        if (m_connections.contains(connection))
            connection->closeWhenIdle();
    }
    const QList<TakenConnection *> taken = m_taken.keys();
    for (TakenConnection *connection : taken) {
        if (m_taken.contains(connection))
            connection->drain();
    }
}

void HttpServer::countConnectionsIn(std::atomic<int> &counter)
{
    m_counter = &counter;
    m_counted = 0;
    recount();
}

void HttpServer::recount()
{
    if (!m_counter)
        return;
    const int now = openConnections();
    m_counter->fetch_add(now - std::exchange(m_counted, now), std::memory_order_relaxed);
}

void HttpServer::adopt(std::unique_ptr<Transport> transport)
{
    m_connections.insert(new HttpConnection(std::move(transport), m_handler, *this, m_limits),
                         m_connectionSweep.assign());
    recount();
}

void HttpServer::connectionClosed(HttpConnection &connection)
{
    if (!m_connections.remove(&connection))
        return;
    recount();
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
    TakenConnection *adopted = taken.release();
    m_taken.insert(adopted, m_takenSweep.assign());
    recount();
    if (m_draining) { // taken over by a request that was in progress: drained once started
        QMetaObject::invokeMethod(
            this,
            [this, adopted] {
                if (m_taken.contains(adopted))
                    adopted->drain();
            },
            Qt::QueuedConnection);
    }
}

void HttpServer::takenConnectionClosed(TakenConnection &connection)
{
    if (!m_taken.remove(&connection))
        return;
    recount();
    QMetaObject::invokeMethod(
        this, [doomed = &connection] { delete doomed; }, Qt::QueuedConnection);
}

void HttpServer::sweep()
{
    const qint64 now = monotonicMs();
    const auto sliceOf = [](auto *, quint32 slice) { return slice; };
    m_connectionSweep.step(m_connections, sliceOf,
                           [now](HttpConnection *connection, quint32) { connection->tick(now); });
    m_takenSweep.step(m_taken, sliceOf,
                      [now](TakenConnection *connection, quint32) { connection->sweep(now); });
}

} // namespace veza::net::http
