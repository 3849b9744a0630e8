#include "endpoints/moderation/ChatApiCall.h"

#include "chat/ChatService.h"
#include "net/http/HttpResponder.h"

#include <QJsonDocument>
#include <memory>

namespace veza::endpoints {
namespace {

using protocol::ErrorCode;

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

} // namespace

std::optional<protocol::ClientRequest> chatRequestOf(QJsonObject fields, protocol::MessageType type,
                                                     QString *problem)
{
    fields.insert(QStringLiteral("type"), protocol::messageTypeName(type));
    fields.insert(QStringLiteral("id"), QStringLiteral("api"));
    const protocol::ParseResult parsed = protocol::parseClientFrame(
        QJsonDocument(fields).toJson(QJsonDocument::Compact), protocol::ParseLimits{});
    if (!parsed.request)
        *problem = parsed.error->message;
    return parsed.request;
}

net::http::HttpResponse responseOf(const chat::ChatAnswer &answer, int okStatus)
{
    using net::http::HttpResponse;
    if (!answer.error)
        return HttpResponse::json(okStatus, answer.fields);
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

void callChat(chat::ChatService *service, QObject *threadContext,
              net::http::HttpResponder responder,
              std::function<void(chat::ChatService &, const chat::AnswerTo &)> call, int okStatus)
{
    if (!service)
        return responder.send(net::http::HttpResponse::error(503, "no chat service"));
    // Answered on this network thread, where the responder lives.
    auto shared = std::make_shared<net::http::HttpResponder>(std::move(responder));
    const chat::AnswerTo answer = [threadContext, shared,
                                   okStatus](const chat::ChatAnswer &result) {
        QMetaObject::invokeMethod(threadContext,
                                  [shared, response = responseOf(result, okStatus)]() mutable {
                                      shared->send(std::move(response));
                                  });
    };
    QMetaObject::invokeMethod(
        service, [service, call = std::move(call), answer] { call(*service, answer); });
}

} // namespace veza::endpoints
