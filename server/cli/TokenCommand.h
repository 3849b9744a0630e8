#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <chrono>
#include <optional>

// `veza-server token --user ID [--name NAME] [--roles r1,r2] [--ttl 24h]`: mints an access
// token for development and tests (docs/auth.md). Parsed before the configuration is loaded,
// so a usage error never touches DATA_DIR; signed afterwards with the configured JWT_SECRET.
// Plain value, used on the main thread before the server starts.
namespace veza::cli {

class TokenCommand
{
public:
    // The arguments after "token". Returns nothing and sets *error (one line) when they are
    // not acceptable.
    static std::optional<TokenCommand> parse(const QStringList &arguments, QString *error);

    // "90s", "30m", "24h", "7d": a positive count with a unit, at most 366 days.
    static std::optional<std::chrono::seconds> parseDuration(QStringView text);

    static const QStringList &knownRoles();
    static QString usage();

    // The compact token, valid from `now` for the requested time to live.
    // `issuer`/`audience`: JWT_ISSUER and JWT_AUDIENCE, put in as `iss`/`aud` when set.
    QByteArray sign(const QByteArray &secret, const QDateTime &now, const QString &issuer = {},
                    const QString &audience = {}) const;

    QString user() const { return m_user; }
    QString name() const { return m_name; }
    QStringList roles() const { return m_roles; }
    std::chrono::seconds ttl() const { return m_ttl; }

private:
    TokenCommand() = default;

    QString m_user;
    QString m_name;
    QStringList m_roles;
    std::chrono::seconds m_ttl = std::chrono::hours(24);
};

} // namespace veza::cli
