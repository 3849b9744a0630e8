#include "cli/KeyMaterial.h"

#include "config/SecretStore.h"
#include "config/ServerConfig.h"

#include <QDir>
#include <QFileInfo>

namespace veza::cli {
namespace {

// Where a secret the configuration needs comes from: the environment, or the development
// secret file SecretStore reads when the variable is unset.
QString origin(const config::ServerConfig &config, bool setInEnvironment, const QString &fileName)
{
    if (setInEnvironment)
        return QStringLiteral("set in the environment (the service's env file, such as "
                              "/etc/veza/veza-server.env, or your secret store)");
    const QString path =
        QDir(config::SecretStore(config.dataDir).secretsDir()).absoluteFilePath(fileName);
    if (QFileInfo::exists(path))
        return QStringLiteral("in %1 (development secret, not set in the environment)").arg(path);
    return QStringLiteral("not set, and %1 does not exist (how does the server get it?)").arg(path);
}

} // namespace

QStringList keyMaterialReminder(const config::ServerConfig &config)
{
    QStringList lines{QStringLiteral("The keys are not in the backup: keep a copy of them apart "
                                     "from it (without them it cannot be read):")};
    lines << QStringLiteral("  ENCRYPTION_KEY: %1. Every message and reported body is sealed "
                            "with it; without it they read back as unreadable.")
                 .arg(origin(config, !config.encryptionKey.isEmpty(),
                             QStringLiteral("encryption_key")));
    if (!config.encryptionKeysPrevious.isEmpty())
        lines << QStringLiteral("  ENCRYPTION_KEYS_PREVIOUS: %1 key(s), set in the environment. "
                                "Rows not yet moved by `veza-server rekey` are sealed with them.")
                     .arg(config.encryptionKeysPrevious.size());
    lines << QStringLiteral("  JWT_SECRET: %1. The access tokens issued so far are signed with "
                            "it; without it they are refused.")
                 .arg(origin(config, !config.jwtSecret.isEmpty(), QStringLiteral("jwt_secret")));
    if (!config.jwtSecretPrevious.isEmpty())
        lines << QStringLiteral("  JWT_SECRET_PREVIOUS: set in the environment. Tokens signed "
                                "before the last rotation are checked with it.");
    lines << QStringLiteral("Restore: docs/operations.md, \"Backup and restore\".");
    return lines;
}

} // namespace veza::cli
