#pragma once

#include <QString>
#include <optional>

namespace veza::redis {

// Where the deployment's Redis is, from REDIS_URL:
// `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS (port 6379 by default,
// database 0). The user is Redis 6's ACL user; a password alone is the legacy `requirepass`.
struct RedisUrl
{
    QString host;
    quint16 port = 6379;
    int database = 0;
    QString user;
    QString password;
    bool tls = false;

    // nullopt, with `error` saying why, for anything else.
    static std::optional<RedisUrl> parse(const QString &text, QString *error);
    // The URL without its password (logs, the effective configuration).
    QString redacted() const;
};

} // namespace veza::redis
