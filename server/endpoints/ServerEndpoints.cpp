#include "endpoints/ServerEndpoints.h"

#include "chat/ChatMetrics.h"
#include "config/ServerConfig.h"
#include "endpoints/ApiRateLimit.h"
#include "endpoints/chat/ChatDelivery.h"
#include "endpoints/health/HealthRoutes.h"
#include "endpoints/health/LivenessSocket.h"
#include "endpoints/icecast/IcecastRoutes.h"
#include "endpoints/moderation/DirectoryRoutes.h"
#include "endpoints/moderation/ModerationActRoute.h"
#include "endpoints/moderation/ModerationActionsRoute.h"
#include "endpoints/moderation/ReportsRoutes.h"
#include "endpoints/moderation/SanctionsRoute.h"
#include "endpoints/monitor/MonitorFeed.h"
#include "endpoints/monitor/MonitorSession.h"
#include "endpoints/streams/IngestSession.h"
#include "endpoints/streams/ListenSession.h"
#include "endpoints/streams/PacketFanout.h"
#include "endpoints/streams/StreamsRoutes.h"
#include "net/http/HttpRouter.h"
#include "net/ws/Handshake.h"

namespace veza::endpoints {
namespace {

const QByteArray kChatSubprotocol = QByteArrayLiteral("veza.chat.v1");

// A token offered with the upgrade request: `Authorization: Bearer ...` or, for browsers that
// cannot set headers, `?access_token=...`.
QByteArray tokenFromHandshake(const net::ws::UpgradeRequest &request)
{
    if (request.authorization.startsWith("Bearer "))
        return request.authorization.mid(7).trimmed();
    return request.queryItem("access_token");
}

} // namespace

ServerEndpoints::ServerEndpoints(const EndpointsContext &context, ChatDelivery *delivery,
                                 QObject *threadContext)
    : m_context(context)
    , m_cors(context.config.enableCors, context.config.allowedOrigins)
    , m_threadContext(threadContext)
    , m_chat(context.chat)
{
    m_chat.delivery = delivery;
    if (m_chat.service && m_chat.delivery)
        m_chat.delivery->startHeartbeat(m_chat.pingIntervalMs);
    if (context.hub) {
        m_streams.hub = context.hub;
        m_streams.cluster = context.cluster;
        m_streams.threadContext = threadContext;
        m_streams.database = context.database;
        m_streams.tokens = context.tokens;
        m_streams.adaptiveBitrate = context.config.adaptiveBitrate;
        m_streams.metrics = context.streamSocketMetrics;
        m_streams.fanout = new PacketFanout(*context.streamSocketMetrics, threadContext);
        m_streams.feed = context.monitorFeed;
        m_streams.chatFigures = context.chatFigures;
    }
}

void ServerEndpoints::installRoutes(net::http::HttpRouter &router)
{
    // The API for browser pages (CORS), then its rate limit, whose 429 carries CORS too.
    router.setPreflight([this](const net::http::HttpRequest &request, const QByteArrayList &methods,
                               net::http::HttpResponder responder) {
        responder.send(m_cors.preflight(request, methods));
    });
    router.setGuard("/api/", [this](const net::http::HttpRequest &request,
                                    net::http::HttpResponder &responder) {
        responder.addHeaders(m_cors.responseHeaders(request));
        return !m_context.apiRateLimit ||
               admitApiRequest(request, responder, m_context.tokens, *m_context.apiRateLimit);
    });
    // Every API request with a body needs a token: without a valid one, nothing of it is read.
    router.setBodyGate("/api/", [this](const net::http::HttpRequest &request,
                                       net::http::HttpResponder &responder) {
        responder.addHeaders(m_cors.responseHeaders(request));
        return authenticateRequest(request, m_context.tokens, responder).has_value();
    });
    installHealthRoutes(router, m_context.config, m_context.health);
    installModerationActionsRoute(router, m_context.database, m_context.tokens, m_threadContext);
    installModerationActRoute(router, m_context.chat.service, m_context.tokens, m_threadContext);
    installSanctionsRoute(router, m_context.database, m_context.tokens, m_threadContext);
    installDirectoryRoutes(router, m_context.chat.service, m_context.tokens, m_threadContext);
    if (m_context.cipher)
        installReportsRoutes(router, m_context.chat.service, m_context.database, m_context.cipher,
                             m_context.tokens, m_threadContext);
    // A moderator's cut, end or kick: counted and pushed as the chat's moderation actions are.
    const auto announce = [feed = m_context.monitorFeed,
                           metrics = m_context.chat.metrics](const QJsonObject &event) {
        if (metrics)
            metrics->moderationActions.labels({event.value(u"action").toString()}).inc();
        if (feed)
            feed->publish(event);
    };
    installStreamsRoutes(router, m_context.database, m_context.tokens, m_context.streams,
                         m_threadContext, announce, m_context.config.maxStreamsPerUser);
    if (m_context.hub)
        installIcecastRoutes(router, *m_context.hub, m_context.database, m_threadContext,
                             m_context.cluster);
}

std::optional<net::ThreadEndpoints::WebSocketRoute>
ServerEndpoints::route(const net::ws::UpgradeRequest &request)
{
    using net::WebSocketConnection;
    // A browser page's upgrade: its Origin must be one ALLOWED_ORIGINS names.
    if (m_cors.restrictsOrigins() && !m_cors.allowsOrigin(request.origin))
        return WebSocketRoute{{}, {}, 403, QByteArrayLiteral("origin_not_allowed")};
    if (request.path.isEmpty() || request.path == "/") {
        return WebSocketRoute{
            {}, [this, token = tokenFromHandshake(request)](WebSocketConnection &connection) {
                return std::make_unique<LivenessSocket>(connection, m_context.tokens, token);
            }};
    }
    if (request.path == "/chat" && m_chat.service && m_chat.delivery) {
        return WebSocketRoute{
            request.protocols.contains(kChatSubprotocol) ? kChatSubprotocol : QByteArray(),
            [this, token = tokenFromHandshake(request)](WebSocketConnection &connection) {
                return std::make_unique<ChatConnection>(connection, m_chat, token);
            }};
    }
    if (!m_streams.hub)
        return std::nullopt;
    const auto nameAfter = [&request](QByteArrayView prefix) {
        return request.path.startsWith(prefix)
                   ? QString::fromUtf8(request.path.sliced(prefix.size()))
                   : QString();
    };
    if (const QString name = nameAfter("/listen/"); !name.isEmpty()) {
        return WebSocketRoute{{}, [this, name, &request](WebSocketConnection &connection) {
                                  return std::make_unique<ListenSession>(connection, m_streams,
                                                                         name, request);
                              }};
    }
    if (const QString name = nameAfter("/ingest/"); !name.isEmpty()) {
        return WebSocketRoute{{}, [this, name, &request](WebSocketConnection &connection) {
                                  return std::make_unique<IngestSession>(connection, m_streams,
                                                                         name, request);
                              }};
    }
    if (request.path == "/monitor") {
        return WebSocketRoute{{}, [this, &request](WebSocketConnection &connection) {
                                  return std::make_unique<MonitorSession>(connection, m_streams,
                                                                          request);
                              }};
    }
    return std::nullopt;
}

} // namespace veza::endpoints
