#include "endpoints/moderation/ModerationActRoute.h"

#include "chat/ChatService.h"
#include "endpoints/moderation/ChatApiCall.h"
#include "net/http/HttpRouter.h"
#include "protocol/ClientRequest.h"

#include <QJsonDocument>
#include <memory>

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;
using protocol::MessageType;

bool isModerationAction(MessageType type)
{
    switch (type) {
    case MessageType::Delete:
    case MessageType::Timeout:
    case MessageType::Ban:
    case MessageType::Unban:
    case MessageType::SlowMode:
    case MessageType::Lock:
    case MessageType::Purge:
    case MessageType::Grant:
    case MessageType::Revoke:
        return true;
    default:
        return false;
    }
}

// The body as the chat frame of its action.
std::optional<protocol::ClientRequest> frameOf(const QByteArray &body, QString *problem)
{
    QJsonParseError error{};
    QJsonObject fields = QJsonDocument::fromJson(body, &error).object();
    if (error.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("body must be a JSON object");
        return std::nullopt;
    }
    const std::optional<MessageType> type =
        protocol::messageTypeFromName(fields.take(QStringLiteral("action")).toString());
    if (!type || !isModerationAction(*type)) {
        *problem = QStringLiteral("action must be one of delete, timeout, ban, unban, slow_mode, "
                                  "lock, purge, grant, revoke");
        return std::nullopt;
    }
    return chatRequestOf(fields, *type, problem);
}

} // namespace

void installModerationActRoute(net::http::HttpRouter &router, chat::ChatService *service,
                               TokenCheck tokens, QObject *threadContext)
{
    router.add("POST", "/api/moderation/actions",
               [service, tokens = std::move(tokens), threadContext](const HttpRequest &request,
                                                                    HttpResponder responder) {
                   const std::optional<auth::Claims> claims =
                       authenticateRequest(request, tokens, responder);
                   if (!claims)
                       return;
                   QString problem;
                   const std::optional<protocol::ClientRequest> frame =
                       frameOf(request.body, &problem);
                   if (!frame)
                       return responder.send(HttpResponse::json(
                           400, {{QStringLiteral("error"), QStringLiteral("bad_request")},
                                 {QStringLiteral("reason"), problem}}));
                   const chat::Principal caller{claims->subject, claims->name, claims->roles};
                   callChat(service, threadContext, std::move(responder),
                            [caller, request = *frame](chat::ChatService &chat,
                                                       const chat::AnswerTo &answer) {
                                chat.handleApi(caller, request, answer);
                            });
               });
}

} // namespace veza::endpoints
