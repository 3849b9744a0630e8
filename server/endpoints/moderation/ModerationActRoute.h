#pragma once

#include "endpoints/TokenCheck.h"

class QObject;

namespace veza::chat {
class ChatService;
}
namespace veza::net::http {
class HttpRouter;
}

namespace veza::endpoints {

// POST /api/moderation/actions: a moderation action over HTTP
// ({"action":"ban","room":"lobby","user":"bob","seconds":3600,"reason":"spam"}), for every
// action of the chat's moderation frames (`grant` and `revoke` of room moderators included) and
// `delete`. The body is validated as the chat frame
// of that type, then the chat service applies it (ChatService::handleApi): the same checks,
// budget, effects, audit rows and live events. Answered on `threadContext`'s thread.
void installModerationActRoute(net::http::HttpRouter &router, chat::ChatService *service,
                               TokenCheck tokens, QObject *threadContext);

} // namespace veza::endpoints
