#pragma once

#include "endpoints/TokenCheck.h"
#include "endpoints/chat/ChatConnection.h"
#include "endpoints/streams/StreamSocketEndpoint.h"
#include "net/ThreadEndpoints.h"
#include "net/http/CorsPolicy.h"

#include <QByteArray>
#include <QList>
#include <memory>

class QObject;

namespace veza::chat {
class ChatFiguresSampler;
}
namespace veza::config {
struct ServerConfig;
}
namespace veza::crypto {
class MessageCipher;
}
namespace veza::net {
class KeyedRateLimiter;
}
namespace veza::ops {
class HealthState;
}
namespace veza::storage {
class Database;
}
namespace veza::streaming {
class StreamCluster;
class StreamDirectory;
class StreamHub;
} // namespace veza::streaming

namespace veza::endpoints {

class MonitorFeed;
struct StreamSocketMetrics;

// What the endpoints of every network thread share, set up once (ServerApp) and kept for the
// process's life.
struct EndpointsContext
{
    const config::ServerConfig &config;
    const ops::HealthState &health;
    storage::Database *database = nullptr; // nullptr: routes that need it answer 503
    TokenCheck tokens;                     // access tokens and server-wide bans
    // Live status of streams, callable from any network thread; nullptr: all offline.
    streaming::StreamDirectory *streams = nullptr;
    // Live mounts (Icecast ingest and listeners on /live/, the streaming WebSockets); nullptr:
    // no such endpoints.
    streaming::StreamHub *hub = nullptr;
    StreamSocketMetrics *streamSocketMetrics = nullptr; // with hub
    ChatEndpoint chat; // chat.service == nullptr: no /chat; `delivery` is set per thread
    // Opens the bodies of reported messages for the review queue; none: no report routes.
    std::shared_ptr<const crypto::MessageCipher> cipher = nullptr;
    MonitorFeed *monitorFeed = nullptr;                    // /monitor's live events
    const chat::ChatFiguresSampler *chatFigures = nullptr; // /monitor's chat figures
    net::KeyedRateLimiter *apiRateLimit = nullptr;         // RATE_LIMIT_PER_MINUTE; none: off
    // The deployment's other instances (REDIS_URL): mount leases, relays; nullptr: alone.
    streaming::StreamCluster *cluster = nullptr;
};

// The features' endpoints on one network thread. HTTP: the health checks, the moderation log,
// the streams API and the Icecast routes (/live/, /admin/metadata). WebSocket: /chat,
// /listen/{name}, /ingest/{name} and /monitor. Lives on its network thread.
class ServerEndpoints final : public net::ThreadEndpoints
{
public:
    // `delivery`: this thread's chat delivery (with context.chat.service), whose heartbeat
    // starts here.
    ServerEndpoints(const EndpointsContext &context, ChatDelivery *delivery,
                    QObject *threadContext);

    void installRoutes(net::http::HttpRouter &router) override;
    std::optional<WebSocketRoute> route(const net::ws::UpgradeRequest &request) override;

private:
    const EndpointsContext &m_context;
    const net::http::CorsPolicy m_cors;
    QObject *m_threadContext;
    ChatEndpoint m_chat;
    StreamSocketEndpoint m_streams;
};

} // namespace veza::endpoints
