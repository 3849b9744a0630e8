#pragma once

#include "net/ConnectionLimiter.h"
#include "net/KeyedConnectionLimiter.h"
#include "net/NetworkWorker.h"
#include "net/TrustedProxies.h"

#include <QString>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace veza::net {

// The WORKER_THREADS network threads, each running an epoll event dispatcher and one
// NetworkWorker with its own listeners on the shared HTTP and WebSocket ports. Owned and
// driven from the main thread; calls into workers are blocking queued invokes (rare control
// operations only, never on a request path).
class NetworkThreads
{
public:
    struct Options
    {
        int threadCount = 1;
        QHostAddress host;
        quint16 httpPort = 0;
        quint16 webSocketPort = 0;
        std::optional<QSslConfiguration> tls;
        int maxHttpConnections = 0;       // MAX_HTTP_CONNECTIONS; 0: no cap
        int maxConnectionsPerAddress = 0; // MAX_CONNECTIONS_PER_IP; 0: no cap
        TrustedProxies trustedProxies;    // TRUSTED_PROXIES
    };

    // The threads are created here, started by start().
    NetworkThreads(Options options, ConnectionLimiter &limiter, NetMetrics &metrics);
    ~NetworkThreads();

    // Network thread `index`, for objects that must live there before it starts (a feature's
    // per-thread state that other threads post to); they are deleted when it finishes.
    void adopt(int index, QObject *object);

    // `endpoints` makes each thread's features, on that thread.
    std::optional<QString> start(const ThreadEndpointsFactory &endpoints);
    quint16 httpPort() const { return m_httpPort; }
    quint16 webSocketPort() const { return m_webSocketPort; }
    int listenBacklog() const { return m_backlog; }

    void stopAccepting();
    void closeWebSockets(quint16 code, const QString &reason);
    // Every HTTP connection ends in good order (HttpServer::drain); openHttpConnections()
    // tells when they are all gone.
    void drainHttp();
    int openHttpConnections() const { return m_httpConnections.load(std::memory_order_relaxed); }
    // A new certificate (TLS only): queued to every thread without waiting; connections
    // accepted after it reached a thread use it, open ones keep theirs.
    void setTlsConfiguration(const QSslConfiguration &tls);
    void stop();

private:
    template <typename F> void onEachWorker(F function);

    Options m_options;
    ConnectionLimiter &m_limiter;
    NetMetrics &m_metrics;
    // Shared by every thread's listeners.
    ConnectionLimiter m_httpLimiter;
    KeyedConnectionLimiter m_addresses;
    quint16 m_httpPort = 0;
    quint16 m_webSocketPort = 0;
    int m_backlog = 0;
    std::vector<QThread *> m_threads;
    std::vector<NetworkWorker *> m_workers;
    std::atomic<int> m_httpConnections{0}; // plain and taken over, across the threads
};

} // namespace veza::net
