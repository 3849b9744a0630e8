#pragma once

#include "config/ServerConfig.h"
#include "net/NetMetrics.h"
#include "ops/HealthState.h"

class QHttpServer;

namespace veza::net {

// The public HTTP API's routes (health checks today; chat and streaming add theirs), with
// every request counted in http_requests_total and timed in http_request_duration_seconds.
// Installed on one QHttpServer per network thread; handlers run on that thread.
class HttpApi
{
public:
    struct Context
    {
        const config::ServerConfig &config;
        const ops::HealthState &health;
        NetMetrics &metrics;
    };

    static void installRoutes(QHttpServer &server, const Context &context);
};

} // namespace veza::net
