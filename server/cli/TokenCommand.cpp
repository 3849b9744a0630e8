#include "cli/TokenCommand.h"

#include "auth/JwtToken.h"

namespace veza::cli {
namespace {

constexpr qsizetype kMaxIdentityLength = 256;
constexpr std::chrono::seconds kMaxTtl = std::chrono::hours(24 * 366);

bool isPrintable(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

} // namespace

const QStringList &TokenCommand::knownRoles()
{
    static const QStringList roles = {QStringLiteral("listener"), QStringLiteral("broadcaster"),
                                      QStringLiteral("moderator"), QStringLiteral("admin")};
    return roles;
}

QString TokenCommand::usage()
{
    return QStringLiteral("usage: veza-server token --user ID [--name NAME] [--roles %1] "
                          "[--ttl 24h]")
        .arg(knownRoles().join(u','));
}

std::optional<std::chrono::seconds> TokenCommand::parseDuration(QStringView text)
{
    if (text.size() < 2)
        return std::nullopt;
    std::chrono::seconds unit;
    switch (text.back().unicode()) {
    case 's':
        unit = std::chrono::seconds(1);
        break;
    case 'm':
        unit = std::chrono::minutes(1);
        break;
    case 'h':
        unit = std::chrono::hours(1);
        break;
    case 'd':
        unit = std::chrono::hours(24);
        break;
    default:
        return std::nullopt;
    }
    const QStringView digits = text.chopped(1);
    // toLongLong accepts a sign and surrounding spaces; a duration is digits only.
    for (const QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 count = digits.toLongLong(&ok);
    if (!ok || count <= 0 || count > kMaxTtl / unit)
        return std::nullopt;
    return unit * count;
}

std::optional<TokenCommand> TokenCommand::parse(const QStringList &arguments, QString *error)
{
    TokenCommand command;
    bool haveUser = false;
    static const QStringList options = {QStringLiteral("--user"), QStringLiteral("--name"),
                                        QStringLiteral("--roles"), QStringLiteral("--ttl")};
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString option = arguments.at(i);
        QString value;
        // Both "--ttl 1h" and "--ttl=1h".
        const qsizetype equals = option.startsWith(u"--") ? option.indexOf(u'=') : -1;
        if (equals > 0) {
            value = option.mid(equals + 1);
            option.truncate(equals);
        }
        if (!options.contains(option)) {
            *error = QStringLiteral("unknown option \"%1\"; %2").arg(option, usage());
            return std::nullopt;
        }
        if (equals < 0) {
            if (i + 1 >= arguments.size()) {
                *error = QStringLiteral("option \"%1\" needs a value; %2").arg(option, usage());
                return std::nullopt;
            }
            value = arguments.at(++i);
        }

        if (option == u"--user") {
            if (value.trimmed().isEmpty() || value.size() > kMaxIdentityLength ||
                !isPrintable(value)) {
                *error = QStringLiteral("--user: expected a non-empty user id of at most %1 "
                                        "printable characters")
                             .arg(kMaxIdentityLength);
                return std::nullopt;
            }
            command.m_user = value;
            haveUser = true;
        } else if (option == u"--name") {
            if (value.size() > kMaxIdentityLength || !isPrintable(value)) {
                *error = QStringLiteral("--name: expected at most %1 printable characters")
                             .arg(kMaxIdentityLength);
                return std::nullopt;
            }
            command.m_name = value;
        } else if (option == u"--roles") {
            command.m_roles.clear();
            for (const QString &role : value.split(u',', Qt::SkipEmptyParts)) {
                const QString trimmed = role.trimmed();
                if (!knownRoles().contains(trimmed)) {
                    *error = QStringLiteral("--roles: unknown role \"%1\" (expected some of %2)")
                                 .arg(trimmed, knownRoles().join(u','));
                    return std::nullopt;
                }
                if (!command.m_roles.contains(trimmed))
                    command.m_roles.append(trimmed);
            }
        } else { // --ttl
            const auto ttl = parseDuration(value);
            if (!ttl) {
                *error = QStringLiteral("--ttl=\"%1\": expected a duration such as 90s, 30m, 24h "
                                        "or 7d (at most 366d)")
                             .arg(value);
                return std::nullopt;
            }
            command.m_ttl = *ttl;
        }
    }
    if (!haveUser) {
        *error = QStringLiteral("--user is required; %1").arg(usage());
        return std::nullopt;
    }
    return command;
}

QByteArray TokenCommand::sign(const QByteArray &secret, const QDateTime &now, const QString &issuer,
                              const QString &audience) const
{
    auth::Claims claims;
    if (!issuer.isEmpty())
        claims.extra.insert(QStringLiteral("iss"), issuer);
    if (!audience.isEmpty())
        claims.extra.insert(QStringLiteral("aud"), audience);
    claims.subject = m_user;
    claims.name = m_name;
    claims.roles = m_roles;
    claims.issuedAt = now;
    claims.expiresAt = now.addSecs(m_ttl.count());
    return auth::signToken(claims, secret);
}

} // namespace veza::cli
