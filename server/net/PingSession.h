#pragma once

#include "net/WebSocketSession.h"

namespace veza::net {

class WebSocketConnection;

// The liveness endpoint `/`: `{"type":"ping"}` is answered `{"type":"pong"}`, anything else
// with a bad_request error. Lets a load balancer or the console check the WebSocket port.
class PingSession final : public WebSocketSession
{
public:
    explicit PingSession(WebSocketConnection &connection)
        : m_connection(connection)
    {
    }

    void onText(QByteArrayView payload) override;
    void onBinary(QByteArrayView payload) override;

private:
    WebSocketConnection &m_connection;
};

} // namespace veza::net
