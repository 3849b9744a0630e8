#pragma once

#include <QStringList>

namespace veza::config {
struct ServerConfig;
}

// Where the keys a copy of the database needs are kept, for `veza-server backup`'s reminder:
// the database holds messages sealed with ENCRYPTION_KEY (and rows not yet rekeyed, with a key
// of ENCRYPTION_KEYS_PREVIOUS) and users holding tokens signed with JWT_SECRET, never the keys.
// Each comes from the environment or, in development when unset, from DATA_DIR/secrets/
// (config::SecretStore). Reads the configuration as loaded, before any secret is completed.
namespace veza::cli {

QStringList keyMaterialReminder(const config::ServerConfig &config);

} // namespace veza::cli
