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

QJsonObject identity(const config::ServerConfig &config)
{
    return {{QStringLiteral("service"), config.serviceName},
            {QStringLiteral("version"), config.version}};
}

} // namespace

void installHealthRoutes(net::http::HttpRouter &router, const config::ServerConfig &config,
                         const ops::HealthState &health)
{
    // A thread that serves users and makes no progress fails liveness, so that the orchestrator
    // restarts the process. Answered by any network thread that is not the stuck one.
    router.add(
        "GET", "/health/live", [&config, &health](const HttpRequest &, HttpResponder responder) {
            const QStringList stalled = health.livenessProblems();
            QJsonObject body = identity(config);
            body.insert(QStringLiteral("uptime_s"), health.uptimeSeconds());
            body.insert(QStringLiteral("status"),
                        stalled.isEmpty() ? QStringLiteral("alive") : QStringLiteral("stalled"));
            body.insert(QStringLiteral("threads_watched"), health.threads().size());
            if (!stalled.isEmpty())
                body.insert(QStringLiteral("failing"), QJsonArray::fromStringList(stalled));
            responder.send(HttpResponse::json(stalled.isEmpty() ? 200 : 503, body));
        });

    router.add(
        "GET", "/health/ready", [&config, &health](const HttpRequest &, HttpResponder responder) {
            const QStringList problems = health.readinessProblems();
            QJsonObject body = identity(config);
            body.insert(QStringLiteral("status"),
                        problems.isEmpty() ? QStringLiteral("ready") : QStringLiteral("not_ready"));
            if (!problems.isEmpty())
                body.insert(QStringLiteral("failing"), QJsonArray::fromStringList(problems));
            if (const QStringList degraded = health.degradations(); !degraded.isEmpty())
                body.insert(QStringLiteral("degraded"), QJsonArray::fromStringList(degraded));
            responder.send(HttpResponse::json(problems.isEmpty() ? 200 : 503, body));
        });
}

} // namespace veza::endpoints
