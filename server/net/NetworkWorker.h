#pragma once

#include "net/HttpApi.h"
#include "net/WebSocketGateway.h"
#include "net/http/HttpRouter.h"

#include <QObject>
#include <QSslConfiguration>
#include <optional>

namespace veza::net {

namespace http {
class HttpServer;
}

// Everything one network thread serves: an HTTP API server and a WebSocket gateway, each on
// its own SO_REUSEPORT listener. Created on the main thread, then moved to its network thread;
// every method below runs on that thread (NetworkThreads calls them through queued invokes).
class NetworkWorker : public QObject
{
    Q_OBJECT

public:
    struct Setup
    {
        int httpFd = -1;
        int webSocketFd = -1;
        std::optional<QSslConfiguration> tls;
        HttpApi::Context api;
        ConnectionLimiter &limiter;
        NetMetrics &metrics;
        ChatEndpoint chat; // chat.service == nullptr: no chat endpoint
        StreamSocketMetrics *streamSocketMetrics = nullptr;
    };

    explicit NetworkWorker(Setup setup);
    ~NetworkWorker() override;

    QString start(); // empty on success
    void stopAccepting();
    void closeWebSockets(quint16 code, const QString &reason);
    void shutDown(); // deletes the servers on their own thread

private:
    Setup m_setup;
    StreamSocketEndpoint m_streams; // this thread's, when there is a stream hub
    http::HttpRouter m_router;
    http::HttpServer *m_httpServer = nullptr;
    WebSocketGateway *m_gateway = nullptr;
};

} // namespace veza::net
