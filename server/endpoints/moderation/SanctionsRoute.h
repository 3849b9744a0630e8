#pragma once

#include "endpoints/TokenCheck.h"

class QObject;

namespace veza::net::http {
class HttpRouter;
}
namespace veza::storage {
class Database;
}

namespace veza::endpoints {

// GET /api/sanctions?room=&user=&limit=&before=: the bans and timeouts in force, newest first,
// for moderators and admins (docs/protocol.md). Read on the storage pool, answered on
// `threadContext`'s thread.
void installSanctionsRoute(net::http::HttpRouter &router, storage::Database *database,
                           TokenCheck tokens, QObject *threadContext);

} // namespace veza::endpoints
