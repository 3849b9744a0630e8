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

// The directories moderators browse (docs/protocol.md): GET /api/rooms, GET /api/users and
// GET /api/users/{id} (moderators and admins) and GET /api/rooms/{room}/messages (the room's
// moderators and global moderators). The chat
// service reads them, adding who is online; answered on `threadContext`'s thread.
void installDirectoryRoutes(net::http::HttpRouter &router, chat::ChatService *service,
                            TokenCheck tokens, QObject *threadContext);

} // namespace veza::endpoints
