#pragma once

#include "net/ChatDelivery.h"
#include "net/NetworkWorker.h"

#include <QString>
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
        // The streaming WebSocket endpoints' metrics (with api.hub set).
        StreamSocketMetrics *streamSocketMetrics = nullptr;
    };

    // `chat`: the chat endpoint's shared settings (service == nullptr: no /chat endpoint); each
    // thread gets a copy with its own ChatDelivery.
    NetworkThreads(Options options, HttpApi::Context api, ConnectionLimiter &limiter,
                   NetMetrics &metrics, ChatEndpoint chat);
    ~NetworkThreads();

    // One per network thread, created (and moved to its thread) before start(), so the chat
    // outbox can be built first.
    const std::vector<ChatDelivery *> &chatDeliveries() const { return m_deliveries; }

    std::optional<QString> start();
    quint16 httpPort() const { return m_httpPort; }
    quint16 webSocketPort() const { return m_webSocketPort; }
    int listenBacklog() const { return m_backlog; }

    void stopAccepting();
    void closeWebSockets(quint16 code, const QString &reason);
    void stop();

private:
    template <typename F> void onEachWorker(F function);

    Options m_options;
    HttpApi::Context m_api;
    ConnectionLimiter &m_limiter;
    NetMetrics &m_metrics;
    quint16 m_httpPort = 0;
    quint16 m_webSocketPort = 0;
    int m_backlog = 0;
    ChatEndpoint m_chat;
    std::vector<QThread *> m_threads;
    std::vector<ChatDelivery *> m_deliveries;
    std::vector<NetworkWorker *> m_workers;
};

} // namespace veza::net
