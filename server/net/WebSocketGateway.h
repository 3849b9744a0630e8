#pragma once

#include "net/ConnectionLimiter.h"
#include "net/KeyedConnectionLimiter.h"
#include "net/NetMetrics.h"
#include "net/SweepSlices.h"
#include "net/ThreadEndpoints.h"
#include "net/TrustedProxies.h"
#include "net/WebSocketConnection.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>
#include <optional>

class QTimer;

namespace veza::net {

class FlushQueue;
class TransportListener;

// The WebSocket listener of one network thread: accepts on its own SO_REUSEPORT listener
// (plain descriptors, or QSslServer when TLS is configured), enforces MAX_CONNECTIONS (the
// upgrade gets HTTP 503) and MAX_CONNECTIONS_PER_IP (429, counted with the HTTP listener's
// connections), owns this thread's connections and routes them by path: to the
// features' endpoints (ThreadEndpoints: /chat, /listen/{name}, /, ...), `/` to a bare liveness
// ping when no feature serves it (`{"type":"ping"}` -> `{"type":"pong"}`); anything else is closed
// with 1008. A sweep enforces handshake and close deadlines and gives each session its
// once-a-second tick, a slice of the connections at a time (SweepSlices). Lives and runs on its
// network thread.
class WebSocketGateway : public QObject, private WebSocketOwner
{
    Q_OBJECT

public:
    // `endpoints`: the features served on this thread (nullptr: only the ping on `/`).
    WebSocketGateway(ConnectionLimiter &limiter, KeyedConnectionLimiter &addresses,
                     NetMetrics &metrics, std::optional<QSslConfiguration> tls,
                     ThreadEndpoints *endpoints, QObject *parent = nullptr);
    ~WebSocketGateway() override;

    // Takes ownership of a listening descriptor.
    bool listen(int fd, QString *error);
    void stopAccepting();
    // New connections use `tls` (TransportListener::setTlsConfiguration).
    void setTlsConfiguration(const QSslConfiguration &tls);
    void closeAll(quint16 code, const QString &reason);
    int openConnections() const { return m_openCount; }
    // X-Forwarded-For and the PROXY protocol header are believed from these; their own
    // connections are not counted per address. Before listen().
    void setTrustedProxies(const TrustedProxies *proxies);
    // Every connection of this thread, upgraded or not, and how many the last sweep step
    // ticked (tests).
    int connectionCount() const { return int(m_connections.size()); }
    int lastSweepTicked() const { return m_sweep.lastStepSize(); }

    static constexpr qsizetype kMaxIncomingBytes = WebSocketConnection::kMaxMessageBytes;
    static constexpr int kRetryAfterS = 5;
    static constexpr int kSweepIntervalMs = 1000; // each connection is ticked once per interval

private:
    struct Entry
    {
        bool holdsSlot = false; // counted against MAX_CONNECTIONS
        QString address;        // counted against MAX_CONNECTIONS_PER_IP (empty: not counted)
        bool withinAddressLimit = false; // counted, or from a trusted proxy
        bool upgraded = false;           // counted in websocket_connections_active
        quint32 sweepSlice = 0;          // the step of the sweep that ticks it
    };

    void adopt(std::unique_ptr<Transport> transport);
    void upgradeRequested(WebSocketConnection &connection,
                          const ws::UpgradeRequest &request) override;
    void connectionClosed(WebSocketConnection &connection) override;
    void sweep();

    ConnectionLimiter &m_limiter;
    KeyedConnectionLimiter &m_addresses;
    const TrustedProxies *m_trustedProxies = nullptr;
    NetMetrics &m_metrics;
    ThreadEndpoints *m_endpoints;
    FlushQueue *m_flushQueue;
    TransportListener *m_listener;
    QTimer *m_sweepTimer;
    QHash<WebSocketConnection *, Entry> m_connections;
    SweepSlices<WebSocketConnection *> m_sweep;
    int m_openCount = 0;
};

} // namespace veza::net
