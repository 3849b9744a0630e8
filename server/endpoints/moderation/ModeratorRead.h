#pragma once

#include "endpoints/TokenCheck.h"
#include "logging/JsonLog.h"
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

// A read for moderators and admins only (the audit log, the sanctions, the report queue):
// authenticateModerator(), then `read` on the storage pool, its JSON answered on
// `threadContext`'s thread (503 when the database fails). `read` is a callable
// QSqlDatabase & -> ModeratorReadAnswer.
template <typename Read>
void answerModeratorRead(const net::http::HttpRequest &request, net::http::HttpResponder responder,
                         const TokenCheck &tokens, storage::Database *database,
                         QObject *threadContext, const QLoggingCategory &category,
                         const QString &what, Read read)
{
    using net::http::HttpResponse;
    if (!authenticateModerator(request, responder, tokens, category, what))
        return;
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
                  shared->send(answer.status == 200
                                   ? HttpResponse::json(200, answer.body)
                                   : HttpResponse::error(answer.status, "database_error"));
              })
        .onFailed(threadContext,
                  [shared] { shared->send(HttpResponse::error(503, "database_unavailable")); });
}

} // namespace veza::endpoints
