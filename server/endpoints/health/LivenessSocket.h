#pragma once

#include "endpoints/SessionToken.h"
#include "net/WebSocketSession.h"

#include <QByteArray>

namespace veza::net {
class WebSocketConnection;
}

namespace veza::endpoints {

struct TokenCheck;

// The WebSocket liveness check on `/`: `{"type":"ping"}` is answered `{"type":"pong"}` at
// once, so a load balancer's check needs no token. A connection that stays must authenticate
// like /chat (Bearer header, ?access_token=, or `{"type":"auth","token":...}`) within 10 s and
// keep its token fresh, or it is closed with 4401: no connection slot is held without one.
class LivenessSocket final : public net::WebSocketSession
{
public:
    LivenessSocket(net::WebSocketConnection &connection, const TokenCheck &tokens,
                   QByteArrayView handshakeToken);

    void onText(QByteArrayView payload) override;
    void onBinary(QByteArrayView payload) override;
    void onTick(qint64 nowMs) override;

private:
    void authenticate(QByteArrayView token, const QJsonValue &requestId);
    void refuse(quint16 code, const QString &why);

    net::WebSocketConnection &m_connection;
    const TokenCheck &m_tokens;
    SessionToken m_token;
    bool m_closing = false;
};

} // namespace veza::endpoints
