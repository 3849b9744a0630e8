#pragma once

#include "endpoints/TokenCheck.h"
#include "endpoints/streams/StreamsApiBase.h"

class QObject;

namespace veza::storage {
class Database;
}

namespace veza::streaming {
class StreamDirectory;
}

namespace veza::net::http {
class HttpRouter;
} // namespace veza::net::http

namespace veza::endpoints {

// /api/streams: create, list, show, end streams and rotate their keys (docs/protocol.md,
// HTTP API). Tokens are checked on the network thread, reads and writes run as Database::run
// jobs, and answers are given on `threadContext`'s thread, where the live status comes from
// `directory` (nullptr: every stream offline). `announce` makes a moderator's policy action
// (cut, end, kick) visible once committed. A user other than an admin owns at most
// `maxStreamsPerUser` streams (0: no cap).
void installStreamsRoutes(net::http::HttpRouter &router, storage::Database *database,
                          TokenCheck tokens, streaming::StreamDirectory *directory,
                          QObject *threadContext, const streams::AnnouncePolicyAction &announce,
                          int maxStreamsPerUser);

} // namespace veza::endpoints
