#include "net/HttpApi.h"

#include "net/IcecastRoutes.h"
#include "net/ModerationActionsRoute.h"
#include "net/StreamsRoutes.h"
#include "net/http/HttpRouter.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

namespace veza::net {
namespace {

using http::HttpRequest;
using http::HttpResponder;
using http::HttpResponse;

// A main loop that has not ticked for this long is stuck: liveness fails so that the
// orchestrator restarts the process.
constexpr qint64 kMainLoopStallMs = 10000;

// The method label: the usual methods by name, anything else as OTHER (bounded cardinality).
QString methodLabel(const QByteArray &method)
{
    static const QByteArrayList known{"GET",    "HEAD",  "POST",    "PUT",
                                      "DELETE", "PATCH", "OPTIONS", "SOURCE"};
    return known.contains(method) ? QString::fromLatin1(method) : QStringLiteral("OTHER");
}

QJsonObject identity(const config::ServerConfig &config)
{
    return {{QStringLiteral("service"), config.serviceName},
            {QStringLiteral("version"), config.version}};
}

} // namespace

void HttpApi::installRoutes(http::HttpRouter &router, const Context &context,
                            QObject *threadContext)
{
    const config::ServerConfig &config = context.config;
    const ops::HealthState &health = context.health;
    NetMetrics &metrics = context.metrics;

    // Every request, answered now or later, is counted when its answer is given.
    router.setObserver([&metrics](const HttpRequest &request, const QString &route,
                                  HttpResponder &responder) {
        QElapsedTimer timer;
        timer.start();
        responder.setObserver([&metrics, method = methodLabel(request.method()), route,
                               timer](int status) {
            metrics.httpRequests.labels({method, route, QString::number(status)}).inc();
            metrics.httpDuration.labels({route}).observe(static_cast<double>(timer.nsecsElapsed()) /
                                                         1e9);
        });
    });

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

    installModerationActionsRoute(router, context.database, context.jwtSecrets, threadContext);
    installStreamsRoutes(router, context.database, context.jwtSecrets, context.streams,
                         threadContext);
    if (context.hub)
        installIcecastRoutes(router, *context.hub, context.database, threadContext);
}

} // namespace veza::net
