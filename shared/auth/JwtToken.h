#pragma once

#include "auth/JwtClaims.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <chrono>
#include <optional>

// Compact JWS access tokens with HS256 (RFC 7515/7519 subset, docs/auth.md): signing for the
// `veza-server token` command and tests, verification for the chat's connection handshake.
// Free functions on plain values, no shared state: callable from any thread.
namespace veza::auth {

// Longer tokens are refused before any decoding, so a hostile client cannot make the server
// base64-decode and JSON-parse megabytes per attempt.
constexpr qsizetype kMaxTokenSize = 8 * 1024;

// The token's header is always {"alg":"HS256","typ":"JWT"}. Returns an empty array when
// `secret` is empty (a programming error: the configuration guarantees a secret).
QByteArray signToken(const Claims &claims, const QByteArray &secret);

// The outcome of verifyToken: `claims` is set exactly when the token is acceptable; then
// `secretIndex` says which secret matched (0 = current, 1 = JWT_SECRET_PREVIOUS, ...), so a
// caller can count tokens still signed with a retiring secret. Otherwise `error` says why
// (secretIndex is -1).
struct VerifyResult
{
    std::optional<Claims> claims;
    TokenError error = TokenError::Malformed;
    int secretIndex = -1;

    bool ok() const { return claims.has_value(); }
};

// Checks, in this order: size and shape (three base64url segments, no padding), header JSON
// with alg HS256, the signature against each non-empty secret in turn (constant-time
// comparison), then the payload's claims: "sub" and "exp" required, numeric dates, and
// now < exp + leeway, nbf <= now + leeway, iat <= now + leeway. The payload is parsed only
// after the signature matched.
VerifyResult verifyToken(QByteArrayView token, const QList<QByteArray> &secrets,
                         const QDateTime &now,
                         std::chrono::seconds leeway = std::chrono::seconds(30));

} // namespace veza::auth
