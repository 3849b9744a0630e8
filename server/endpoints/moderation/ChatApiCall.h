#pragma once

#include "chat/ChatAnswer.h"
#include "protocol/ClientRequest.h"
#include "protocol/MessageType.h"

#include <QJsonObject>
#include <functional>
#include <optional>

class QObject;

namespace veza::chat {
class ChatService;
}
namespace veza::net::http {
class HttpResponder;
struct HttpResponse;
} // namespace veza::net::http

namespace veza::endpoints {

// A body as the chat request of `type`, validated by the chat's own frame parser (required
// fields, types, lengths); nullopt and `problem` otherwise.
std::optional<protocol::ClientRequest> chatRequestOf(QJsonObject fields, protocol::MessageType type,
                                                     QString *problem);

// The chat's answer as the HTTP API gives it: 200 (or `okStatus`) with the ack's fields, or the
// error's status with {"error":<code>,"reason":<message>,...extra} (Retry-After when rate
// limited).
net::http::HttpResponse responseOf(const chat::ChatAnswer &answer, int okStatus = 200);

// Runs `call` on the chat service's thread with an answer that comes back to this network
// thread (`threadContext`'s) as the response to `responder`. 503 without a chat service.
void callChat(chat::ChatService *service, QObject *threadContext,
              net::http::HttpResponder responder,
              std::function<void(chat::ChatService &, const chat::AnswerTo &)> call,
              int okStatus = 200);

} // namespace veza::endpoints
