#include "net/HttpApi.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace veza::net {
namespace {

using Status = QHttpServerResponder::StatusCode;

// A main loop that has not ticked for this long is stuck: liveness fails so that the
// orchestrator restarts the process.
constexpr qint64 kMainLoopStallMs = 10000;

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("GET");
    case QHttpServerRequest::Method::Head:
        return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("POST");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Patch:
        return QStringLiteral("PATCH");
    case QHttpServerRequest::Method::Options:
        return QStringLiteral("OPTIONS");
    default:
        return QStringLiteral("OTHER");
    }
}

void record(NetMetrics &metrics, const QHttpServerRequest &request, const QString &route,
            int status, const QElapsedTimer &timer)
{
    metrics.httpRequests.labels({methodName(request.method()), route, QString::number(status)})
        .inc();
    metrics.httpDuration.labels({route}).observe(static_cast<double>(timer.nsecsElapsed()) / 1e9);
}

template <typename Handler> auto instrumented(NetMetrics &metrics, QString route, Handler handler)
{
    return [&metrics, route, handler](const QHttpServerRequest &request) {
        QElapsedTimer timer;
        timer.start();
        QHttpServerResponse response = handler(request);
        record(metrics, request, route, static_cast<int>(response.statusCode()), timer);
        return response;
    };
}

QJsonObject identity(const config::ServerConfig &config)
{
    return {{QStringLiteral("service"), config.serviceName},
            {QStringLiteral("version"), config.version}};
}

} // namespace

void HttpApi::installRoutes(QHttpServer &server, const Context &context)
{
    const config::ServerConfig &config = context.config;
    const ops::HealthState &health = context.health;

    server.route(
        QStringLiteral("/health/live"), QHttpServerRequest::Method::Get,
        instrumented(
            context.metrics, QStringLiteral("/health/live"),
            [&config, &health](const QHttpServerRequest &) {
                QJsonObject body = identity(config);
                body.insert(QStringLiteral("uptime_s"), health.uptimeSeconds());
                const bool stalled = health.millisSinceMainLoopHeartbeat() > kMainLoopStallMs;
                body.insert(QStringLiteral("status"),
                            stalled ? QStringLiteral("stalled") : QStringLiteral("alive"));
                return QHttpServerResponse(body, stalled ? Status::ServiceUnavailable : Status::Ok);
            }));

    server.route(QStringLiteral("/health/ready"), QHttpServerRequest::Method::Get,
                 instrumented(context.metrics, QStringLiteral("/health/ready"),
                              [&config, &health](const QHttpServerRequest &) {
                                  const QStringList problems = health.readinessProblems();
                                  QJsonObject body = identity(config);
                                  body.insert(QStringLiteral("status"),
                                              problems.isEmpty() ? QStringLiteral("ready")
                                                                 : QStringLiteral("not_ready"));
                                  if (!problems.isEmpty())
                                      body.insert(QStringLiteral("failing"),
                                                  QJsonArray::fromStringList(problems));
                                  return QHttpServerResponse(
                                      body,
                                      problems.isEmpty() ? Status::Ok : Status::ServiceUnavailable);
                              }));

    NetMetrics &metrics = context.metrics;
    server.setMissingHandler(
        [&metrics](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            QElapsedTimer timer;
            timer.start();
            const QJsonObject body{{QStringLiteral("error"), QStringLiteral("not_found")},
                                   {QStringLiteral("path"), request.url().path()}};
            responder.write(QJsonDocument(body), Status::NotFound);
            record(metrics, request, QStringLiteral("unmatched"), 404, timer);
        });
}

} // namespace veza::net
