#pragma once

#include "net/ConnectionLimiter.h"
#include "net/KeyedConnectionLimiter.h"
#include "net/NetMetrics.h"
#include "net/ThreadEndpoints.h"
#include "net/TrustedProxies.h"
#include "net/http/HttpRouter.h"

#include <QObject>
#include <QSslConfiguration>
#include <atomic>
#include <memory>
#include <optional>

namespace veza::net {

namespace http {
class HttpServer;
}
class WebSocketGateway;

// Everything one network thread serves: an HTTP server and a WebSocket gateway, each on its own
// SO_REUSEPORT listener, in front of this thread's features (ThreadEndpoints, made here when
// the worker starts). Created on the main thread, then moved to its network thread; every
// method below runs on that thread (NetworkThreads calls them through queued invokes).
class NetworkWorker : public QObject
{
    Q_OBJECT

public:
    struct Setup
    {
        int index = 0; // which network thread
        int httpFd = -1;
        int webSocketFd = -1;
        std::optional<QSslConfiguration> tls;
        ConnectionLimiter &limiter;           // WebSockets: MAX_CONNECTIONS
        ConnectionLimiter &httpLimiter;       // MAX_HTTP_CONNECTIONS
        KeyedConnectionLimiter &addresses;    // MAX_CONNECTIONS_PER_IP, both listeners
        const TrustedProxies *trustedProxies; // TRUSTED_PROXIES (may be empty)
        NetMetrics &metrics;
        ThreadEndpointsFactory endpoints; // none: every path answers 404, WebSockets only ping
        std::atomic<int> *httpConnections = nullptr; // kept at the HTTP connections open here
    };

    explicit NetworkWorker(Setup setup);
    ~NetworkWorker() override;

    QString start(); // empty on success
    void stopAccepting();
    void closeWebSockets(quint16 code, const QString &reason);
    void drainHttp();                                       // HttpServer::drain()
    void setTlsConfiguration(const QSslConfiguration &tls); // for connections accepted next
    void shutDown(); // deletes the servers on their own thread

private:
    Setup m_setup;
    std::unique_ptr<ThreadEndpoints> m_endpoints;
    http::HttpRouter m_router;
    http::HttpServer *m_httpServer = nullptr;
    WebSocketGateway *m_gateway = nullptr;
};

} // namespace veza::net
