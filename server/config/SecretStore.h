#pragma once

#include "config/ServerConfig.h"

#include <QStringList>
#include <optional>

namespace veza::config {

// Completes JWT_SECRET and ENCRYPTION_KEY for development runs: when a variable is unset,
// the value is read from DATA_DIR/secrets/, or generated there once (mode 0600), so that a
// restart still accepts yesterday's tokens and decrypts yesterday's messages.
// Production-like environments never reach this (ConfigLoader refuses missing secrets).
class SecretStore
{
public:
    explicit SecretStore(QString dataDir);

    // Fills missing secrets; returns an error line when DATA_DIR cannot hold them.
    std::optional<QString> completeSecrets(ServerConfig &config, QStringList *warnings) const;

    QString secretsDir() const;

private:
    std::optional<QByteArray> readOrCreate(const QString &fileName, const QByteArray &fresh,
                                           bool *created, QString *error) const;

    QString m_dataDir;
};

} // namespace veza::config
