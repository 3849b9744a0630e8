#include "net/WebSocketGateway.h"

#include "MonotonicClock.h"
#include "net/KeyedConnectionLimiter.h"
#include "net/PeerAddress.h"
#include "net/PingSession.h"
#include "net/transport/FlushQueue.h"
#include "net/transport/TransportListener.h"
#include "net/ws/Handshake.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcWebSocket, "veza.net.websocket")

namespace veza::net {

WebSocketGateway::WebSocketGateway(ConnectionLimiter &limiter, KeyedConnectionLimiter &addresses,
                                   NetMetrics &metrics, std::optional<QSslConfiguration> tls,
                                   ThreadEndpoints *endpoints, QObject *parent)
    : QObject(parent)
    , m_limiter(limiter)
    , m_addresses(addresses)
    , m_metrics(metrics)
    , m_endpoints(endpoints)
    , m_flushQueue(new FlushQueue(this))
    , m_listener(new TransportListener(
          std::move(tls), *m_flushQueue,
          [this](std::unique_ptr<Transport> transport) { adopt(std::move(transport)); }, this))
    , m_sweepTimer(new QTimer(this))
{
    connect(m_sweepTimer, &QTimer::timeout, this, &WebSocketGateway::sweep);
    m_sweepTimer->start(m_sweep.stepMs(kSweepIntervalMs));
}

WebSocketGateway::~WebSocketGateway()
{
    m_metrics.webSocketsActive.dec(static_cast<double>(m_openCount));
    const auto connections = m_connections;
    m_connections.clear();
    for (auto it = connections.cbegin(); it != connections.cend(); ++it) {
        if (it->holdsSlot)
            m_limiter.release();
        if (!it->address.isEmpty())
            m_addresses.release(it->address);
        delete it.key();
    }
    delete m_listener;
}

void WebSocketGateway::setTrustedProxies(const TrustedProxies *proxies)
{
    m_trustedProxies = proxies;
    if (proxies) // a partial header waits as long as an upgrade request may
        m_listener->readProxyHeaders(*proxies, WebSocketConnection::kHandshakeTimeoutMs);
}

bool WebSocketGateway::listen(int fd, QString *error)
{
    return m_listener->listen(fd, error);
}

void WebSocketGateway::stopAccepting()
{
    m_listener->close();
}

void WebSocketGateway::setTlsConfiguration(const QSslConfiguration &tls)
{
    m_listener->setTlsConfiguration(tls);
}

void WebSocketGateway::adopt(std::unique_ptr<Transport> transport)
{
    const QString address = plainPeerAddress(transport->peerAddress());
    auto *connection = new WebSocketConnection(std::move(transport), *this);
    // Over a limit the client still gets an answer (503, 429) once its upgrade request is read.
    Entry entry{m_limiter.tryAcquire(), {}, false, false, m_sweep.assign()};
    if (m_trustedProxies && m_trustedProxies->contains(address)) {
        entry.withinAddressLimit = true; // many clients behind one address
    } else if (entry.holdsSlot && m_addresses.tryAcquire(address)) {
        entry.address = address;
        entry.withinAddressLimit = true;
    }
    m_connections.insert(connection, entry);
}

void WebSocketGateway::upgradeRequested(WebSocketConnection &connection,
                                        const ws::UpgradeRequest &request)
{
    auto entry = m_connections.find(&connection);
    if (entry == m_connections.end())
        return connection.refuse(500, "unknown connection");
    // Over a cap: counted, and told when to come back.
    const auto refuseAtCap = [this, &connection](int status, const char *reason) {
        m_metrics.webSocketsRejected.labels({QString::fromLatin1(reason)}).inc();
        qCDebug(lcWebSocket) << "refusing" << connection.peerAddress() << reason;
        connection.refuse(status, reason,
                          QByteArray("Retry-After: " + QByteArray::number(kRetryAfterS) + "\r\n"));
    };
    if (!entry->holdsSlot)
        return refuseAtCap(503, "max_connections");
    if (!entry->withinAddressLimit)
        return refuseAtCap(429, "max_connections_per_ip");
    if (m_trustedProxies) {
        connection.setClientAddress(m_trustedProxies->clientAddress(
            connection.peerAddress(), request.header("X-Forwarded-For")));
    }
    std::optional<ThreadEndpoints::WebSocketRoute> route =
        m_endpoints ? m_endpoints->route(request) : std::nullopt;
    if (route && route->refuseStatus != 0) {
        m_metrics.webSocketsRejected.labels({QString::fromLatin1(route->refuseReason)}).inc();
        return connection.refuse(route->refuseStatus, route->refuseReason);
    }
    connection.accept(route ? route->subprotocol : QByteArray());
    entry->upgraded = true;
    ++m_openCount;
    m_metrics.webSocketsActive.inc();
    if (route) {
        connection.attach(route->open(connection));
    } else if (request.path.isEmpty() || request.path == "/") {
        connection.attach(std::make_unique<PingSession>(connection));
    } else {
        connection.close(ws::CloseCode::PolicyViolation,
                         QByteArray("no endpoint at " + request.path.left(64)));
    }
}

void WebSocketGateway::connectionClosed(WebSocketConnection &connection)
{
    const auto entry = m_connections.constFind(&connection);
    if (entry == m_connections.cend())
        return;
    if (entry->holdsSlot)
        m_limiter.release();
    if (!entry->address.isEmpty())
        m_addresses.release(entry->address);
    if (entry->upgraded) {
        --m_openCount;
        m_metrics.webSocketsActive.dec();
        m_metrics.webSocketCloses
            .labels(
                {NetMetrics::closeCodeLabel(connection.closeCode()),
                 connection.closedByServer() ? QStringLiteral("server") : QStringLiteral("client")})
            .inc();
    }
    m_connections.erase(entry);
    // Not deleted here: this runs inside the connection's own read or write path.
    QMetaObject::invokeMethod(
        this, [doomed = &connection] { delete doomed; }, Qt::QueuedConnection);
}

void WebSocketGateway::sweep()
{
    const qint64 now = monotonicMs();
    m_sweep.step(
        m_connections, [](WebSocketConnection *, const Entry &entry) { return entry.sweepSlice; },
        [now](WebSocketConnection *connection, const Entry &) { connection->tick(now); });
}

void WebSocketGateway::closeAll(quint16 code, const QString &reason)
{
    const QList<WebSocketConnection *> connections = m_connections.keys();
    for (WebSocketConnection *connection : connections) {
        if (m_connections.contains(connection))
            connection->close(code, reason.toUtf8());
    }
}

} // namespace veza::net
