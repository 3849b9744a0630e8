#include "endpoints/health/HealthRoutes.h"

#include "config/ServerConfig.h"
#include "net/http/HttpRouter.h"
#include "ops/HealthState.h"

#include <QJsonArray>
#include <QJsonObject>

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;

// A main loop that has not ticked for this long is stuck: liveness fails so that the
// orchestrator restarts the process.
constexpr qint64 kMainLoopStallMs = 10000;

QJsonObject identity(const config::ServerConfig &config)
{
    return {{QStringLiteral("service"), config.serviceName},
            {QStringLiteral("version"), config.version}};
}

} // namespace

void installHealthRoutes(net::http::HttpRouter &router, const config::ServerConfig &config,
                         const ops::HealthState &health)
{
    router.add("GET", "/health/live",
               [&config, &health](const HttpRequest &, HttpResponder responder) {
                   QJsonObject body = identity(config);
                   body.insert(QStringLiteral("uptime_s"), health.uptimeSeconds());
                   const bool stalled = health.millisSinceMainLoopHeartbeat() > kMainLoopStallMs;
                   body.insert(QStringLiteral("status"),
                               stalled ? QStringLiteral("stalled") : QStringLiteral("alive"));
                   responder.send(HttpResponse::json(stalled ? 503 : 200, body));
               });

    router.add(
        "GET", "/health/ready", [&config, &health](const HttpRequest &, HttpResponder responder) {
            const QStringList problems = health.readinessProblems();
            QJsonObject body = identity(config);
            body.insert(QStringLiteral("status"),
                        problems.isEmpty() ? QStringLiteral("ready") : QStringLiteral("not_ready"));
            if (!problems.isEmpty())
                body.insert(QStringLiteral("failing"), QJsonArray::fromStringList(problems));
            responder.send(HttpResponse::json(problems.isEmpty() ? 200 : 503, body));
        });
}

} // namespace veza::endpoints
