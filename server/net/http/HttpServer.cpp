#include "net/http/HttpServer.h"

#include "MonotonicClock.h"
#include "net/ConnectionLimiter.h"
#include "net/KeyedConnectionLimiter.h"
#include "net/PeerAddress.h"
#include "net/transport/FlushQueue.h"
#include "net/transport/TransportListener.h"

#include <QTimer>

namespace veza::net::http {

namespace {
constexpr int kSweepIntervalMs =
    1000; // each connection's idle timeout is checked once per interval
}

HttpServer::HttpServer(HttpConnection::Handler handler, std::optional<QSslConfiguration> tls,
                       HttpLimits limits, HttpServerCaps caps, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_caps(std::move(caps))
    , m_flushQueue(new FlushQueue(this))
    , m_listener(new TransportListener(
          std::move(tls), *m_flushQueue,
          [this](std::unique_ptr<Transport> transport) { adopt(std::move(transport)); }, this))
    , m_sweepTimer(new QTimer(this))
{
    if (m_limits.trustedProxies) // a partial header waits as long as a request head may
        m_listener->readProxyHeaders(*m_limits.trustedProxies, m_limits.idleTimeoutMs);
    connect(m_sweepTimer, &QTimer::timeout, this, &HttpServer::sweep);
    m_sweepTimer->start(m_connectionSweep.stepMs(kSweepIntervalMs));
}

HttpServer::~HttpServer()
{
    const QHash<HttpConnection *, Entry> connections = std::exchange(m_connections, {});
    for (auto it = connections.cbegin(); it != connections.cend(); ++it) {
        release(it.value());
        delete it.key();
    }
    const QHash<TakenConnection *, Entry> taken = std::exchange(m_taken, {});
    for (auto it = taken.cbegin(); it != taken.cend(); ++it) {
        release(it.value());
        delete it.key();
    }
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
    Entry entry;
    entry.sweepSlice = m_connectionSweep.assign();
    std::optional<HttpResponse> refusal;
    if (m_caps.connections && !m_caps.connections->tryAcquire()) {
        refusal = HttpResponse::error(503, "max_http_connections");
        if (m_caps.refused)
            m_caps.refused(QStringLiteral("max_http_connections"));
    } else {
        entry.holdsSlot = m_caps.connections != nullptr;
        // The client a trusted proxy's PROXY header named, if it sent one (ProxiedTransport).
        const QString address = plainPeerAddress(transport->peerAddress());
        const bool proxy = m_limits.trustedProxies && m_limits.trustedProxies->contains(address);
        if (proxy) {
            // Many clients behind one address: a trusted proxy is not counted per address.
        } else if (m_caps.addresses && !m_caps.addresses->tryAcquire(address)) {
            refusal = HttpResponse::error(429, "max_connections_per_ip");
            if (m_caps.refused)
                m_caps.refused(QStringLiteral("max_connections_per_ip"));
        } else if (m_caps.addresses) {
            entry.address = address;
        }
    }
    auto *connection =
        new HttpConnection(std::move(transport), m_handler, *this, m_limits, m_admitBody);
    if (refusal) {
        // Answered as soon as its request head arrives, then closed: the client learns why.
        refusal->headers.append({QByteArray("Retry-After"), QByteArray("5")});
        connection->refuseEveryRequest(std::move(*refusal));
    }
    m_connections.insert(connection, entry);
    recount();
}

void HttpServer::release(const Entry &entry)
{
    if (entry.holdsSlot)
        m_caps.connections->release();
    if (!entry.address.isEmpty())
        m_caps.addresses->release(entry.address);
}

void HttpServer::connectionClosed(HttpConnection &connection)
{
    const auto entry = m_connections.constFind(&connection);
    if (entry == m_connections.cend())
        return;
    release(*entry);
    m_connections.erase(entry);
    recount();
    // Not deleted here: this runs inside the connection's own read or write path.
    QMetaObject::invokeMethod(
        this, [doomed = &connection] { delete doomed; }, Qt::QueuedConnection);
}

void HttpServer::connectionTakenOver(HttpConnection &connection,
                                     std::unique_ptr<TakenConnection> taken)
{
    // The connection's slots go with it to its new session.
    Entry entry = m_connections.take(&connection);
    QMetaObject::invokeMethod(
        this, [doomed = &connection] { delete doomed; }, Qt::QueuedConnection);
    if (!taken) {
        release(entry);
        return recount();
    }
    taken->setOwner(this);
    entry.sweepSlice = m_takenSweep.assign();
    TakenConnection *adopted = taken.release();
    m_taken.insert(adopted, entry);
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
    const auto entry = m_taken.constFind(&connection);
    if (entry == m_taken.cend())
        return;
    release(*entry);
    m_taken.erase(entry);
    recount();
    QMetaObject::invokeMethod(
        this, [doomed = &connection] { delete doomed; }, Qt::QueuedConnection);
}

void HttpServer::sweep()
{
    const qint64 now = monotonicMs();
    const auto sliceOf = [](auto *, const Entry &entry) { return entry.sweepSlice; };
    m_connectionSweep.step(
        m_connections, sliceOf,
        [now](HttpConnection *connection, const Entry &) { connection->tick(now); });
    m_takenSweep.step(m_taken, sliceOf, [now](TakenConnection *connection, const Entry &) {
        connection->sweep(now);
    });
}

} // namespace veza::net::http
