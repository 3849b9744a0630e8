#pragma once

#include "endpoints/TokenCheck.h"

#include <memory>

class QObject;

namespace veza::chat {
class ChatService;
}
namespace veza::crypto {
class MessageCipher;
}
namespace veza::net::http {
class HttpRouter;
}
namespace veza::storage {
class Database;
}

namespace veza::endpoints {

// The reports and the review queue (docs/protocol.md): POST /api/reports (any user, as the
// chat's `report`), GET /api/reports (moderators and admins: the queue, with the reported
// bodies opened with `cipher`), POST /api/reports/{id}/resolve (a moderator of the report's
// room: dismiss, or a moderation action applied in the same call). Answered on
// `threadContext`'s thread.
void installReportsRoutes(net::http::HttpRouter &router, chat::ChatService *service,
                          storage::Database *database,
                          std::shared_ptr<const crypto::MessageCipher> cipher, TokenCheck tokens,
                          QObject *threadContext);

} // namespace veza::endpoints
