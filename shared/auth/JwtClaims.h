#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

// What an access token says about its holder, and why a token was refused.
// Plain values: safe to copy between threads.
namespace veza::auth {

// The claims of a Veza access token (docs/auth.md). Dates have whole-second precision on the
// wire; a null QDateTime means "claim absent". `extra` carries any other payload members
// (e.g. "iss", "jti") through unchanged; it never overrides the named claims.
struct Claims
{
    QString subject;     // "sub": the user id; required
    QString name;        // "name": display name; optional
    QStringList roles;   // "roles": array of strings (one string is accepted when reading)
    QDateTime issuedAt;  // "iat"
    QDateTime notBefore; // "nbf"
    QDateTime expiresAt; // "exp"; required when verifying
    QJsonObject extra;
};

enum class TokenError {
    Malformed,            // not a well-formed compact JWS / JSON / claim type
    BadSignature,         // no configured secret produced the signature
    UnsupportedAlgorithm, // "alg" other than HS256, including "none"
    Expired,
    NotYetValid, // "nbf" (or "iat") later than now + leeway
    MissingClaim // "sub" or "exp" absent
};

// A short text that reveals nothing about the secrets or the token ("token expired"); fit to
// send to a client.
QString tokenErrorText(TokenError error);

// The JWT payload for `claims` (named claims win over same-named members of `extra`).
QJsonObject claimsToJson(const Claims &claims);

// Reads a payload; on failure returns nothing and sets *error (Malformed or MissingClaim).
// Time validity is not checked here (see verifyToken).
std::optional<Claims> claimsFromJson(const QJsonObject &payload, TokenError *error);

} // namespace veza::auth
