#include "RecentServers.h"

#include <QSettings>

namespace veza::console {

QList<ServerProfile> RecentServers::load()
{
    QSettings settings;
    QList<ServerProfile> profiles;
    const int count = settings.beginReadArray(QStringLiteral("servers"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        ServerProfile profile;
        profile.baseUrl = settings.value(QStringLiteral("base_url")).toUrl();
        profile.webSocketOverride = settings.value(QStringLiteral("websocket_url")).toUrl();
        profile.metricsOverride = settings.value(QStringLiteral("metrics_url")).toUrl();
        profile.caFile = settings.value(QStringLiteral("ca_file")).toString();
        profile.prometheusUrl = settings.value(QStringLiteral("prometheus_url")).toUrl();
        if (profile.problem().isEmpty())
            profiles.append(profile);
    }
    settings.endArray();
    return profiles;
}

void RecentServers::remember(const ServerProfile &profile)
{
    QList<ServerProfile> profiles = load();
    profiles.removeIf([&](const ServerProfile &p) { return p.key() == profile.key(); });
    profiles.prepend(profile);
    if (profiles.size() > kMax)
        profiles.resize(kMax);
    QSettings settings;
    settings.beginWriteArray(QStringLiteral("servers"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        settings.setArrayIndex(i);
        const ServerProfile &p = profiles.at(i);
        settings.setValue(QStringLiteral("base_url"), p.baseUrl);
        settings.setValue(QStringLiteral("websocket_url"), p.webSocketOverride);
        settings.setValue(QStringLiteral("metrics_url"), p.metricsOverride);
        settings.setValue(QStringLiteral("ca_file"), p.caFile);
        settings.setValue(QStringLiteral("prometheus_url"), p.prometheusUrl);
    }
    settings.endArray();
}

} // namespace veza::console
