#pragma once

#include "chat/ChatRooms.h"
#include "endpoints/DatabaseUnavailable.h"
#include "endpoints/TokenCheck.h"
#include "logging/JsonLog.h"
#include "moderation/ModerationService.h"
#include "net/http/BearerAuth.h"
#include "net/http/HttpRequest.h"
#include "net/http/HttpResponder.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <exception>
#include <memory>

namespace veza::endpoints {

// The JSON a moderator's read found: 200 and its body, or an error status.
struct ModeratorReadAnswer
{
    int status = 200;
    QJsonObject body;
};

// The caller of a request for moderators and admins only: checks the bearer token (401, 403
// `banned`) and the role (403, logged as `what refused`); nullopt once it has answered.
inline std::optional<auth::Claims> authenticateModerator(const net::http::HttpRequest &request,
                                                         net::http::HttpResponder &responder,
                                                         const TokenCheck &tokens,
                                                         const QLoggingCategory &category,
                                                         const QString &what)
{
    std::optional<auth::Claims> claims = authenticateRequest(request, tokens, responder);
    if (!claims)
        return std::nullopt;
    if (!net::http::hasAnyRole(claims->roles, {u"moderator", u"admin"})) {
        logging::log(category, QtWarningMsg, what + QStringLiteral(" refused: not a moderator"),
                     {{QStringLiteral("user"), claims->subject},
                      {QStringLiteral("roles"), QJsonArray::fromStringList(claims->roles)},
                      {QStringLiteral("peer"), request.peerAddress}});
        responder.send(net::http::HttpResponse::json(
            403, {{QStringLiteral("error"), QStringLiteral("forbidden")},
                  {QStringLiteral("reason"), QStringLiteral("moderator role required")}}));
        return std::nullopt;
    }
    return claims;
}

// Runs `read` on the storage pool and answers its JSON on `threadContext`'s thread: 200 and
// the body, another status with the body when it has one (a refusal), else database_error;
// 503 when the database fails. `read` is a callable QSqlDatabase & -> ModeratorReadAnswer.
template <typename Read>
void answerRead(net::http::HttpResponder responder, storage::Database *database,
                QObject *threadContext, const QLoggingCategory &category, const QString &what,
                Read read)
{
    using net::http::HttpResponse;
    if (!database)
        return responder.send(HttpResponse::error(503, "no_database"));
    auto shared = std::make_shared<net::http::HttpResponder>(std::move(responder));
    database
        ->run([read = std::move(read), &category, what](QSqlDatabase &db) {
            try {
                return read(db);
            } catch (const std::exception &error) {
                qCWarning(category).noquote() << what << "read failed:" << error.what();
                return ModeratorReadAnswer{500, {}};
            }
        })
        .then(threadContext,
              [shared](const ModeratorReadAnswer &answer) {
                  shared->send(answer.status == 200 || !answer.body.isEmpty()
                                   ? HttpResponse::json(answer.status, answer.body)
                                   : HttpResponse::error(answer.status, "database_error"));
              })
        .onFailed(threadContext, [shared] { shared->send(databaseUnavailable()); });
}

// A read for moderators and admins only (the audit log, the users directory):
// authenticateModerator(), then answerRead().
template <typename Read>
void answerModeratorRead(const net::http::HttpRequest &request, net::http::HttpResponder responder,
                         const TokenCheck &tokens, storage::Database *database,
                         QObject *threadContext, const QLoggingCategory &category,
                         const QString &what, Read read)
{
    if (!authenticateModerator(request, responder, tokens, category, what))
        return;
    answerRead(std::move(responder), database, threadContext, category, what, std::move(read));
}

// The rooms a moderator's read may cover: all of them (a global moderator or an admin), or
// those the caller moderates by grant.
struct ModeratorScope
{
    bool global = false;
    QList<qint64> rooms; // when not global; never empty
};

// A read for global moderators and admins, and for room moderators within their rooms (the
// report queue, the sanctions): the token checked here, the caller's rooms looked up on the
// storage pool (403 when it moderates none), then `read`, a callable
// (QSqlDatabase &, const ModeratorScope &) -> ModeratorReadAnswer.
template <typename Read>
void answerScopedModeratorRead(const net::http::HttpRequest &request,
                               net::http::HttpResponder responder, const TokenCheck &tokens,
                               storage::Database *database, QObject *threadContext,
                               const QLoggingCategory &category, const QString &what, Read read)
{
    const std::optional<auth::Claims> claims = authenticateRequest(request, tokens, responder);
    if (!claims)
        return;
    ModeratorScope scope;
    scope.global = net::http::hasAnyRole(claims->roles, {u"moderator", u"admin"});
    answerRead(std::move(responder), database, threadContext, category, what,
               [read = std::move(read), callerScope = scope, subject = claims->subject, what,
                peer = request.peerAddress, &category](QSqlDatabase &db) {
                   ModeratorScope scope = callerScope;
                   if (!scope.global) {
                       const std::optional<qint64> user = chat::ChatRooms::findUser(db, subject);
                       if (user)
                           scope.rooms = moderation::ModerationService::roomsModeratedBy(db, *user);
                       if (scope.rooms.isEmpty()) {
                           logging::log(
                               category, QtWarningMsg,
                               what + QStringLiteral(" refused: not a moderator"),
                               {{QStringLiteral("user"), subject}, {QStringLiteral("peer"), peer}});
                           return ModeratorReadAnswer{
                               403,
                               {{QStringLiteral("error"), QStringLiteral("forbidden")},
                                {QStringLiteral("reason"),
                                 QStringLiteral("moderator role or a room's moderator grant "
                                                "required")}}};
                       }
                   }
                   return read(db, scope);
               });
}

} // namespace veza::endpoints
