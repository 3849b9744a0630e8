#pragma once

#include "ServerProfile.h"

#include <QList>

namespace veza::console {

// The servers this operator connected to, most recent first (QSettings, group "servers"):
// each profile's addresses and CA file, never its token (TokenStore keeps that). GUI thread.
class RecentServers
{
public:
    static constexpr int kMax = 10;

    static QList<ServerProfile> load();
    // Puts `profile` first (replacing the entry with the same key).
    static void remember(const ServerProfile &profile);
};

} // namespace veza::console
