#pragma once

#include "config/ServerConfig.h"
#include "redis/RedisConnection.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QThread>
#include <QThreadPool>
#include <memory>
#include <optional>
#include <vector>

namespace veza {
namespace metrics {
class MetricsRegistry;
class ProcessMetrics;
class ResourceMetrics;
} // namespace metrics
namespace storage {
class Database;
}
namespace chat {
class ChatFiguresSampler;
class ChatService;
struct ChatMetrics;
} // namespace chat
namespace moderation {
class ServerBans;
}
namespace endpoints {
class ChatDelivery;
struct EndpointsContext;
class MonitorFeed;
class NetworkChatOutbox;
struct StreamSocketMetrics;
} // namespace endpoints
namespace net {
class KeyedConnectionLimiter;
class ConnectionLimiter;
class KeyedRateLimiter;
struct NetMetrics;
class NetworkThreads;
} // namespace net
namespace audio {
struct PipelineMetrics;
}
namespace streaming {
class StreamDirectory;
class StreamHub;
struct StreamMetrics;
} // namespace streaming
namespace cluster {
class ClusterStreams;
class ClusterStreamDirectory;
class RedisHealth;
} // namespace cluster
namespace ops {
class HealthState;
class LoopHeartbeat;
class MetricsEndpoint;
class ReadinessProbe;
class SignalWatcher;
class TlsReloader;
} // namespace ops

// The composition root of veza-server: opens storage, starts the network threads and the
// metrics endpoint, runs the graceful shutdown on SIGTERM/SIGINT and reloads the TLS
// certificate on SIGHUP. Main thread.
class ServerApp : public QObject
{
    Q_OBJECT

public:
    explicit ServerApp(config::ServerConfig config, QObject *parent = nullptr);
    ~ServerApp() override;

    // Returns an error line when the server cannot start (the caller exits non-zero).
    std::optional<QString> start();

private:
    void onTerminationSignal(int signalNumber);
    void onReloadSignal();
    void beginShutdown();
    void drainConnections();
    void finishShutdown();
    std::optional<QString> startChat();
    std::optional<QString> startChatRelay();
    // redis_up and readiness's "degraded", from every part's Redis connections (main thread).
    cluster::RedisHealth &redisHealth();
    std::optional<QString> startClusterStreams();
    void shareChatState(const redis::RedisConnection::Options &options);
    void loadServerBans();
    void stopChat();
    void logListening() const;
    void notifyReadyOnceReady();

    const config::ServerConfig m_config;
    // This process among the deployment's instances (logs, Redis client names, the relay).
    const QByteArray m_instanceId;
    std::optional<QSslConfiguration> m_tls;
    std::unique_ptr<metrics::MetricsRegistry> m_metrics;
    std::unique_ptr<metrics::ProcessMetrics> m_processMetrics;
    std::unique_ptr<metrics::ResourceMetrics> m_resourceMetrics;
    std::unique_ptr<ops::HealthState> m_health;
    std::unique_ptr<ops::LoopHeartbeat> m_mainHeartbeat;
    std::unique_ptr<net::NetMetrics> m_netMetrics;
    std::unique_ptr<net::ConnectionLimiter> m_limiter;
    std::unique_ptr<net::KeyedRateLimiter> m_apiRateLimit; // RATE_LIMIT_PER_MINUTE
    // MAX_CONNECTIONS_PER_USER: WebSocket sessions per user, across network threads.
    std::unique_ptr<net::KeyedConnectionLimiter> m_sessionsPerUser;
    std::unique_ptr<storage::Database> m_database;
    std::unique_ptr<chat::ChatMetrics> m_chatMetrics;
    std::unique_ptr<chat::ChatFiguresSampler> m_chatFigures; // main thread
    std::unique_ptr<endpoints::MonitorFeed> m_monitorFeed;   // outlives its publishers
    std::unique_ptr<moderation::ServerBans> m_serverBans;    // read by every network thread
    QThread *m_chatThread = nullptr;
    std::unique_ptr<chat::ChatService> m_chatService;
    std::unique_ptr<endpoints::NetworkChatOutbox> m_chatOutbox;
    std::unique_ptr<streaming::StreamMetrics> m_streamMetrics;
    // Outlive the hub: its streams' audio pipelines use them until they are gone.
    std::unique_ptr<audio::PipelineMetrics> m_pipelineMetrics;
    std::unique_ptr<endpoints::StreamSocketMetrics> m_streamSocketMetrics;
    std::unique_ptr<QThreadPool> m_encodePool;
    std::unique_ptr<streaming::StreamHub> m_streamHub; // main thread; outlives the network
    // With REDIS_URL (main thread): mount leases, relays, the deployment's streams for the API.
    std::unique_ptr<cluster::ClusterStreams> m_clusterStreams;
    std::unique_ptr<cluster::RedisHealth> m_redisHealth;
    std::unique_ptr<streaming::StreamDirectory> m_clusterDirectory;
    std::unique_ptr<endpoints::EndpointsContext> m_endpoints; // outlives the network threads
    std::vector<endpoints::ChatDelivery *> m_chatDeliveries;  // one per network thread, on it
    std::unique_ptr<net::NetworkThreads> m_network;
    ops::MetricsEndpoint *m_metricsEndpoint = nullptr;
    ops::ReadinessProbe *m_readiness = nullptr;
    ops::SignalWatcher *m_signals = nullptr;
    std::unique_ptr<ops::TlsReloader> m_tlsReloader; // with TLS only
    bool m_shuttingDown = false;
    QDeadlineTimer m_shutdownDeadline;
};

} // namespace veza
