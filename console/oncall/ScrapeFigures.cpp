#include "ScrapeFigures.h"

#include "ScrapeDelta.h"

namespace veza::oncall {
namespace {

FigureReading number(double value)
{
    FigureReading reading;
    reading.value = value;
    return reading;
}

} // namespace

QHash<QString, FigureReading> ScrapeFigures::compute(const Exposition *previous, qint64 previousMs,
                                                     const Exposition &current, qint64 currentMs)
{
    const ScrapeDelta delta(previous, previousMs, current, currentMs);
    const auto is5xx = [](const MetricSample &sample) {
        return sample.label(u"status").startsWith(u'5');
    };
    const auto stored = [](const MetricSample &sample) {
        return sample.label(u"result") == u"stored";
    };

    QHash<QString, FigureReading> out;
    out.insert(QStringLiteral("connections"),
               number(delta.gauge(QStringLiteral("websocket_connections_active"))));
    out.insert(QStringLiteral("active_users"),
               number(delta.gauge(QStringLiteral("active_users_total"))));
    // Messages stored: duplicates (retries), rate-limited and failed sends are not messages.
    out.insert(QStringLiteral("messages_per_second"),
               number(delta.rate(QStringLiteral("chat_messages_total"), stored)));
    out.insert(
        QStringLiteral("http_p99_ms"),
        number(1000 * delta.quantile(0.99, QStringLiteral("http_request_duration_seconds"))));
    out.insert(QStringLiteral("message_p99_ms"),
               number(1000 * delta.quantile(0.99, QStringLiteral("chat_message_latency_seconds"))));
    const double requests = delta.rate(QStringLiteral("http_requests_total"));
    // 0/0 (no request between the scrapes) is NaN: unknown, as in Prometheus.
    out.insert(QStringLiteral("error_rate_percent"),
               number(100 * delta.rate(QStringLiteral("http_requests_total"), is5xx) / requests));
    // The server's own figure: relative to the container's CPU limit, which only it knows (the
    // process's CPU counter would say one core is 100 %, whatever the limit).
    out.insert(QStringLiteral("cpu_percent"),
               number(delta.gauge(QStringLiteral("cpu_usage_percent"))));
    out.insert(QStringLiteral("memory_percent"),
               number(delta.gauge(QStringLiteral("memory_usage_percent"))));
    out.insert(QStringLiteral("streams"), number(delta.gauge(QStringLiteral("streams_active"))));
    out.insert(QStringLiteral("listeners"),
               number(delta.gauge(QStringLiteral("listeners_active"))));
    out.insert(QStringLiteral("stream_degraded_percent"),
               number(delta.gauge(QStringLiteral("stream_quality_degraded_percent"))));
    out.insert(QStringLiteral("db_query_p99_ms"),
               number(1000 * delta.quantile(0.99, QStringLiteral("db_query_duration_seconds"))));
    out.insert(QStringLiteral("delivery_success_percent"),
               number(100 * delta.gauge(QStringLiteral("message_delivery_success_rate"))));
    out.insert(
        QStringLiteral("slow_consumer_disconnects_per_minute"),
        number(60 * delta.rate(QStringLiteral("websocket_slow_consumer_disconnects_total"))));
    out.insert(QStringLiteral("open_files"),
               number(delta.gauge(QStringLiteral("process_open_fds"))));
    return out;
}

} // namespace veza::oncall
