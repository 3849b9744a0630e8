#include "auth/JwtClaims.h"

#include <QJsonArray>
#include <cmath>

namespace veza::auth {
namespace {

constexpr QLatin1StringView kSubject("sub");
constexpr QLatin1StringView kName("name");
constexpr QLatin1StringView kRoles("roles");
constexpr QLatin1StringView kIssuedAt("iat");
constexpr QLatin1StringView kNotBefore("nbf");
constexpr QLatin1StringView kExpiresAt("exp");

// 9999-12-31T23:59:59Z: keeps QDateTime arithmetic far from overflow; a token claiming a
// later date is nonsense rather than long-lived.
constexpr double kMaxNumericDate = 253402300799.0;

void putDate(QJsonObject &payload, QLatin1StringView key, const QDateTime &date)
{
    if (date.isValid())
        payload.insert(key, date.toSecsSinceEpoch());
}

// A NumericDate (RFC 7519): seconds since the epoch, possibly fractional (truncated here).
// Returns false for a present member that is not such a number.
bool readDate(const QJsonObject &payload, QLatin1StringView key, QDateTime *date)
{
    const auto it = payload.constFind(key);
    if (it == payload.constEnd())
        return true;
    if (!it->isDouble())
        return false;
    const double seconds = it->toDouble();
    if (!(seconds >= 0 && seconds <= kMaxNumericDate))
        return false;
    *date = QDateTime::fromSecsSinceEpoch(static_cast<qint64>(std::floor(seconds)), Qt::UTC);
    return true;
}

bool readRoles(const QJsonValue &value, QStringList *roles)
{
    if (value.isUndefined())
        return true;
    if (value.isString()) {
        roles->append(value.toString());
        return true;
    }
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &role : array) {
        if (!role.isString())
            return false;
        roles->append(role.toString());
    }
    return true;
}

} // namespace

QString tokenErrorText(TokenError error)
{
    switch (error) {
    case TokenError::Malformed:
        return QStringLiteral("malformed token");
    case TokenError::BadSignature:
        return QStringLiteral("invalid token signature");
    case TokenError::UnsupportedAlgorithm:
        return QStringLiteral("unsupported token algorithm");
    case TokenError::Expired:
        return QStringLiteral("token expired");
    case TokenError::NotYetValid:
        return QStringLiteral("token not yet valid");
    case TokenError::MissingClaim:
        return QStringLiteral("token lacks a required claim");
    }
    return QStringLiteral("invalid token");
}

QJsonObject claimsToJson(const Claims &claims)
{
    QJsonObject payload = claims.extra;
    for (QLatin1StringView key : {kSubject, kName, kRoles, kIssuedAt, kNotBefore, kExpiresAt})
        payload.remove(key);
    payload.insert(kSubject, claims.subject);
    if (!claims.name.isEmpty())
        payload.insert(kName, claims.name);
    if (!claims.roles.isEmpty())
        payload.insert(kRoles, QJsonArray::fromStringList(claims.roles));
    putDate(payload, kIssuedAt, claims.issuedAt);
    putDate(payload, kNotBefore, claims.notBefore);
    putDate(payload, kExpiresAt, claims.expiresAt);
    return payload;
}

std::optional<Claims> claimsFromJson(const QJsonObject &payload, TokenError *error)
{
    Claims claims;
    const QJsonValue subject = payload.value(kSubject);
    const QJsonValue name = payload.value(kName);
    if ((!subject.isUndefined() && !subject.isString()) ||
        (!name.isUndefined() && !name.isString()) ||
        !readRoles(payload.value(kRoles), &claims.roles) ||
        !readDate(payload, kIssuedAt, &claims.issuedAt) ||
        !readDate(payload, kNotBefore, &claims.notBefore) ||
        !readDate(payload, kExpiresAt, &claims.expiresAt)) {
        *error = TokenError::Malformed;
        return std::nullopt;
    }
    claims.subject = subject.toString();
    claims.name = name.toString();
    // An empty "sub" identifies nobody; treating it as absent keeps callers from having to.
    if (claims.subject.isEmpty() || !claims.expiresAt.isValid()) {
        *error = TokenError::MissingClaim;
        return std::nullopt;
    }
    claims.extra = payload;
    for (QLatin1StringView key : {kSubject, kName, kRoles, kIssuedAt, kNotBefore, kExpiresAt})
        claims.extra.remove(key);
    return claims;
}

} // namespace veza::auth
