#pragma once

#include "net/WebSocketSession.h"

#include <QByteArray>
#include <functional>
#include <memory>
#include <optional>

class QObject;

namespace veza::net {

namespace http {
class HttpRouter;
}
namespace ws {
struct UpgradeRequest;
}
class WebSocketConnection;

// What one network thread serves above the plumbing: the features' HTTP routes and WebSocket
// paths (server/endpoints/). The plumbing knows only this seam. Made by the NetworkWorker on
// its network thread when it starts, used and destroyed there.
class ThreadEndpoints
{
public:
    // A WebSocket path a feature serves: the subprotocol to accept, and the session to attach
    // (`open` runs at once, while the upgrade request it was routed from is still alive).
    struct WebSocketRoute
    {
        QByteArray subprotocol; // empty: none
        std::function<std::unique_ptr<WebSocketSession>(WebSocketConnection &)> open;
        // Non-zero: the upgrade is refused with this HTTP status instead (an Origin not allowed).
        int refuseStatus = 0;
        QByteArray refuseReason;
    };

    virtual ~ThreadEndpoints() = default;
    virtual void installRoutes(http::HttpRouter &router) = 0;
    // The route for an upgrade request's path, or nullopt when no feature serves it.
    virtual std::optional<WebSocketRoute> route(const ws::UpgradeRequest &request) = 0;
};

// Makes the endpoints of network thread `index`; `threadContext` lives on that thread (a parent
// for their QObjects, where database answers land).
using ThreadEndpointsFactory =
    std::function<std::unique_ptr<ThreadEndpoints>(int index, QObject *threadContext)>;

} // namespace veza::net
