#include "RunbookVocabulary.h"

const QStringList &RunbookVocabulary::alertNames()
{
    static const QStringList names = {
        QStringLiteral("HighLatency"),
        QStringLiteral("HighErrorRate"),
        QStringLiteral("ServiceDown"),
        QStringLiteral("HighCpu"),
        QStringLiteral("HighMemory"),
        QStringLiteral("TooManyConnections"),
        QStringLiteral("ActiveUsersDrop"),
        QStringLiteral("LowDeliveryRate"),
        QStringLiteral("StreamQualityDegraded"),
    };
    return names;
}

const QStringList &RunbookVocabulary::figureKeys()
{
    static const QStringList keys = {
        QStringLiteral("health_live"),
        QStringLiteral("health_ready"),
        QStringLiteral("connections"),
        QStringLiteral("active_users"),
        QStringLiteral("messages_per_second"),
        QStringLiteral("http_p99_ms"),
        QStringLiteral("message_p99_ms"),
        QStringLiteral("error_rate_percent"),
        QStringLiteral("cpu_percent"),
        QStringLiteral("memory_percent"),
        QStringLiteral("streams"),
        QStringLiteral("listeners"),
        QStringLiteral("stream_degraded_percent"),
        QStringLiteral("db_query_p99_ms"),
        QStringLiteral("delivery_success_percent"),
        QStringLiteral("slow_consumer_disconnects_per_minute"),
        QStringLiteral("open_files"),
    };
    return keys;
}

const QStringList &RunbookVocabulary::severityNames()
{
    static const QStringList names = {QStringLiteral("info"), QStringLiteral("warning"),
                                      QStringLiteral("critical")};
    return names;
}

std::optional<Runbook::Severity> RunbookVocabulary::severityFromName(const QString &name)
{
    switch (severityNames().indexOf(name)) {
    case 0:
        return Runbook::Severity::Info;
    case 1:
        return Runbook::Severity::Warning;
    case 2:
        return Runbook::Severity::Critical;
    default:
        return std::nullopt;
    }
}

QString RunbookVocabulary::severityName(Runbook::Severity severity)
{
    return severityNames().at(int(severity));
}
