#include "endpoints/moderation/ModerationActRoute.h"

#include "chat/ChatService.h"
#include "net/http/HttpRouter.h"
#include "protocol/ClientRequest.h"

#include <QJsonDocument>
#include <memory>

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;
using protocol::ErrorCode;
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

int statusOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::Forbidden:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::TooLarge:
        return 413;
    case ErrorCode::RateLimited:
        return 429;
    default:
        return 503; // internal: retry
    }
}

// The chat's answer as the HTTP API gives it: 200 with the ack's fields, or the error's status
// with {"error":<code>,"reason":<message>,...extra} (and Retry-After when rate limited).
HttpResponse responseOf(const chat::ChatAnswer &answer)
{
    if (!answer.error)
        return HttpResponse::json(200, answer.fields);
    QJsonObject body = answer.fields;
    body.insert(QStringLiteral("error"), protocol::errorCodeName(*answer.error));
    body.insert(QStringLiteral("reason"), answer.message);
    HttpResponse response = HttpResponse::json(statusOf(*answer.error), body);
    if (const qint64 retryMs = body.value(QStringLiteral("retry_after_ms")).toInteger();
        retryMs > 0)
        response.headers.append(
            {QByteArray("Retry-After"), QByteArray::number((retryMs + 999) / 1000)});
    return response;
}

// The body as the chat frame of its action, validated by the chat's own parser.
std::optional<protocol::ClientRequest> frameOf(const QByteArray &body, QString *problem)
{
    QJsonParseError error{};
    QJsonObject fields = QJsonDocument::fromJson(body, &error).object();
    if (error.error != QJsonParseError::NoError) {
        *problem = QStringLiteral("body must be a JSON object");
        return std::nullopt;
    }
    const QString action = fields.take(QStringLiteral("action")).toString();
    const std::optional<MessageType> type = protocol::messageTypeFromName(action);
    if (!type || !isModerationAction(*type)) {
        *problem = QStringLiteral("action must be one of delete, timeout, ban, unban, slow_mode, "
                                  "lock, purge, grant, revoke");
        return std::nullopt;
    }
    fields.insert(QStringLiteral("type"), action);
    fields.insert(QStringLiteral("id"), QStringLiteral("api"));
    const protocol::ParseResult parsed = protocol::parseClientFrame(
        QJsonDocument(fields).toJson(QJsonDocument::Compact), protocol::ParseLimits{});
    if (!parsed.request) {
        *problem = parsed.error->message;
        return std::nullopt;
    }
    return parsed.request;
}

} // namespace

void installModerationActRoute(net::http::HttpRouter &router, chat::ChatService *service,
                               TokenCheck tokens, QObject *threadContext)
{
    router.add(
        "POST", "/api/moderation/actions",
        [service, tokens = std::move(tokens), threadContext](const HttpRequest &request,
                                                             HttpResponder responder) {
            const std::optional<auth::Claims> claims =
                authenticateRequest(request, tokens, responder);
            if (!claims)
                return;
            QString problem;
            const std::optional<protocol::ClientRequest> frame = frameOf(request.body, &problem);
            if (!frame)
                return responder.send(HttpResponse::json(
                    400, {{QStringLiteral("error"), QStringLiteral("bad_request")},
                          {QStringLiteral("reason"), problem}}));
            if (!service)
                return responder.send(HttpResponse::error(503, "no chat service"));
            // Answered on this network thread, where the responder lives.
            auto shared = std::make_shared<HttpResponder>(std::move(responder));
            const chat::AnswerTo answer = [threadContext, shared](const chat::ChatAnswer &result) {
                QMetaObject::invokeMethod(
                    threadContext, [shared, response = responseOf(result)]() mutable {
                        shared->send(std::move(response));
                    });
            };
            const chat::Principal caller{claims->subject, claims->name, claims->roles};
            QMetaObject::invokeMethod(service, [service, caller, request = *frame, answer] {
                service->handleApi(caller, request, answer);
            });
        });
}

} // namespace veza::endpoints
