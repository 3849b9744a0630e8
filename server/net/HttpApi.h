#pragma once

#include "config/ServerConfig.h"
#include "net/NetMetrics.h"
#include "ops/HealthState.h"

#include <QByteArray>
#include <QList>

class QObject;

namespace veza::storage {
class Database;
}

namespace veza::streaming {
class StreamDirectory;
class StreamHub;
} // namespace veza::streaming

namespace veza::net {

namespace http {
class HttpRouter;
}

// The public HTTP API's routes (health checks, the moderation log, streams),
// with every request counted in http_requests_total and timed in
// http_request_duration_seconds. Installed on one router per network thread; handlers run on
// that thread and never block it (database reads go through Database::run).
class HttpApi
{
public:
    struct Context
    {
        const config::ServerConfig &config;
        const ops::HealthState &health;
        NetMetrics &metrics;
        storage::Database *database = nullptr; // nullptr: routes that need it answer 503
        QList<QByteArray> jwtSecrets;          // JWT_SECRET, then JWT_SECRET_PREVIOUS
        // Live status of streams, callable from any network thread; nullptr: all offline.
        streaming::StreamDirectory *streams = nullptr;
        // Live mounts (Icecast ingest and listeners on /live/); nullptr: no such routes.
        streaming::StreamHub *hub = nullptr;
    };

    // `threadContext`: an object living on the router's thread, where database answers land.
    static void installRoutes(http::HttpRouter &router, const Context &context,
                              QObject *threadContext);
};

} // namespace veza::net
