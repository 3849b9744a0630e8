#pragma once

#include "auth/JwtClaims.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace veza::moderation {
class ServerBans;
}
namespace veza::net {
class KeyedConnectionLimiter;
}
namespace veza::net::http {
struct HttpRequest;
class HttpResponder;
} // namespace veza::net::http

namespace veza::endpoints {

// Every endpoint's check of an access token: signed with JWT_SECRET (or JWT_SECRET_PREVIOUS),
// not expired, from JWT_ISSUER for JWT_AUDIENCE when those are set, and its user not banned
// from the whole server. Any thread.
struct TokenCheck
{
    QList<QByteArray> secrets;                    // JWT_SECRET, then JWT_SECRET_PREVIOUS
    const moderation::ServerBans *bans = nullptr; // none: no ban is checked
    QString issuer;                               // JWT_ISSUER: when set, `iss` must be it
    QString audience;                             // JWT_AUDIENCE: when set, `aud` must name it
    // The WebSocket sessions each user holds (MAX_CONNECTIONS_PER_USER), for SessionToken;
    // none: no cap.
    net::KeyedConnectionLimiter *sessionsPerUser = nullptr;

    struct Result
    {
        std::optional<auth::Claims> claims; // set when accepted
        bool banned = false;                // a valid token of a banned user
        QString reason;                     // why not: "token expired", "banned until ..."
        std::optional<qint64> bannedUntilMs;
    };
    Result check(QByteArrayView token) const;
    // "banned until ..." when `subject` is banned from the server now, else empty: what a
    // session already open asks as it goes, so a ban issued on any instance ends it.
    QString banOf(const QString &subject) const;
};

// The claims of the request's `Authorization: Bearer <token>`; otherwise answers 401
// {"error":"unauthorized","reason":...}, or for a banned user 403
// {"error":"banned","reason":"banned until ...","until":ms|null}, and returns nullopt.
std::optional<auth::Claims> authenticateRequest(const net::http::HttpRequest &request,
                                                const TokenCheck &tokens,
                                                net::http::HttpResponder &responder);

} // namespace veza::endpoints
