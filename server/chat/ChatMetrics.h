#pragma once

#include "metrics/MetricsRegistry.h"
#include "metrics/WindowedRatio.h"

namespace veza::chat {

// The chat's metrics (names from the chat issue and the production guide), registered once.
struct ChatMetrics
{
    explicit ChatMetrics(metrics::MetricsRegistry &registry)
        : messages(registry.counterFamily(
              QStringLiteral("chat_messages_total"),
              QStringLiteral("Chat messages by outcome: stored, duplicate, rejected."),
              {QStringLiteral("result")}))
        , rateLimited(
              registry.counter(QStringLiteral("chat_rate_limited_total"),
                               QStringLiteral("Chat requests refused by the per-user rate limit.")))
        , activeUsers(registry.gauge(
              QStringLiteral("active_users_total"),
              QStringLiteral("Distinct authenticated users online on the deployment's instances "
                             "(this instance's own when it runs alone or Redis is out of "
                             "reach).")))
        , activeUsersInstance(registry.gauge(
              QStringLiteral("active_users_instance"),
              QStringLiteral("Distinct authenticated users with a chat session on this instance.")))
        , connections(registry.gauge(QStringLiteral("chat_connections"),
                                     QStringLiteral("Open /chat connections.")))
        , slowConsumerDisconnects(registry.counter(
              QStringLiteral("websocket_slow_consumer_disconnects_total"),
              QStringLiteral("Connections closed (1013) because their outbound queue overflowed.")))
        , moderationActions(
              registry.counterFamily(QStringLiteral("moderation_actions_total"),
                                     QStringLiteral("Moderator actions carried out, by action."),
                                     {QStringLiteral("action")}))
        , reports(registry.counter(QStringLiteral("moderation_reports_total"),
                                   QStringLiteral("Messages reported by users.")))
        , deliveries(
              registry, QStringLiteral("message_delivery_success_rate"),
              QStringLiteral("Chat frames written to sockets / frames to deliver, last 5 minutes."),
              5 * 60 * 1000)
        , latency(registry.histogram(QStringLiteral("chat_message_latency_seconds"),
                                     QStringLiteral("Chat message frame received to the last "
                                                    "receiver's frame written to its socket.")))
        , relayedMessages(registry.counter(
              QStringLiteral("chat_relayed_messages_total"),
              QStringLiteral("Messages stored by another instance and heard through Redis.")))
        , catchUps(registry.counter(
              QStringLiteral("chat_catch_ups_total"),
              QStringLiteral("Reads of a room's messages from the database because a message id "
                             "was missing here (a gap the relay did not fill, a reconnect).")))
        , commitBatchSize(registry.histogram(
              QStringLiteral("chat_commit_batch_size"),
              QStringLiteral("Chat sends answered by one database commit (group commit); its "
                             "_count is the commits, its _sum the sends."),
              {1, 2, 4, 8, 16, 32, 64, 128, 256}))
    {
    }

    metrics::Family<metrics::Counter> &messages;
    metrics::Counter &rateLimited;
    metrics::Gauge &activeUsers;
    metrics::Gauge &activeUsersInstance;
    metrics::Gauge &connections;
    metrics::Counter &slowConsumerDisconnects;
    metrics::Family<metrics::Counter> &moderationActions;
    metrics::Counter &reports;
    metrics::WindowedRatio deliveries;
    metrics::Histogram &latency;
    metrics::Counter &relayedMessages;
    metrics::Counter &catchUps;
    metrics::Histogram &commitBatchSize;
};

} // namespace veza::chat
