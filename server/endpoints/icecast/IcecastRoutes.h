#pragma once

class QObject;

namespace veza::storage {
class Database;
}

namespace veza::streaming {
class StreamHub;
}

namespace veza::net::http {
class HttpRouter;
} // namespace veza::net::http

namespace veza::endpoints {

// The Icecast-compatible side of PORT (docs/protocol.md, Streaming): sources publish with
// `PUT /live/{name}` or `SOURCE /live/{name} ICE/1.0` (Basic auth `source` / stream key),
// listeners play `GET /live/{name}`, `GET /admin/metadata?mode=updinfo` sets the title. Keys
// are checked on the storage pool; accepted sources and listeners take their connection over
// (SourceSession, ListenerSession). A ListenerFanout is created on `threadContext`'s thread.
void installIcecastRoutes(net::http::HttpRouter &router, streaming::StreamHub &hub,
                          storage::Database *database, QObject *threadContext);

} // namespace veza::endpoints
