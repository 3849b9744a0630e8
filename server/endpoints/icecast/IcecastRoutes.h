#pragma once

class QObject;

namespace veza::storage {
class Database;
}

namespace veza::streaming {
class StreamCluster;
class StreamHub;
} // namespace veza::streaming

namespace veza::net::http {
class HttpRouter;
} // namespace veza::net::http

namespace veza::endpoints {

// The Icecast-compatible side of PORT (docs/protocol.md, Streaming): sources publish with
// `PUT /live/{name}` or `SOURCE /live/{name} ICE/1.0` (Basic auth `source` / stream key),
// listeners play `GET /live/{name}`, `GET /admin/metadata?mode=updinfo` sets the title. Keys
// are checked on the storage pool; accepted sources and listeners take their connection over
// (SourceSession, ListenerSession). A ListenerFanout is created on `threadContext`'s thread.
// With a `cluster` (several instances), a source also needs its mount's lease, and a listener of
// a stream carried by another instance is served through a relay of it.
void installIcecastRoutes(net::http::HttpRouter &router, streaming::StreamHub &hub,
                          storage::Database *database, QObject *threadContext,
                          streaming::StreamCluster *cluster = nullptr);

} // namespace veza::endpoints
