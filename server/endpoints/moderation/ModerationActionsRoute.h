#pragma once

#include "endpoints/TokenCheck.h"

class QObject;

namespace veza::storage {
class Database;
}

namespace veza::net::http {
class HttpRouter;
} // namespace veza::net::http

namespace veza::endpoints {

// GET /api/moderation/actions: the moderation audit log for moderators and admins
// (docs/protocol.md, HTTP API). The bearer token is checked on the network thread; the read
// runs as one Database::run job and the answer is given back on `threadContext`'s thread.
void installModerationActionsRoute(net::http::HttpRouter &router, storage::Database *database,
                                   TokenCheck tokens, QObject *threadContext);

} // namespace veza::endpoints
