#pragma once

#include "ServerProcess.h"
#include "ServerProfile.h"

#include <QUrl>

namespace veza::testing {

// The console's profile of a test server: its base URL, and its WebSocket and metrics ports
// (free ports, so not the derived ones).
inline console::ServerProfile profileOf(const ServerProcess &server)
{
    console::ServerProfile profile;
    profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.httpPort()));
    profile.webSocketOverride =
        QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(server.webSocketPort()));
    profile.metricsOverride =
        QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(server.metricsPort()));
    return profile;
}

} // namespace veza::testing
