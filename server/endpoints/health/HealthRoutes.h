#pragma once

namespace veza::config {
struct ServerConfig;
}
namespace veza::ops {
class HealthState;
}
namespace veza::net::http {
class HttpRouter;
}

namespace veza::endpoints {

// GET /health/live (every thread that serves users makes progress; 503 naming the stalled
// ones) and GET /health/ready (HealthState's readiness problems, 503 with the list of what
// fails), for load balancers and orchestrators.
void installHealthRoutes(net::http::HttpRouter &router, const config::ServerConfig &config,
                         const ops::HealthState &health);

} // namespace veza::endpoints
