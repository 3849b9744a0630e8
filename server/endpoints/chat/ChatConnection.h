#pragma once

#include "chat/ChatMetrics.h"
#include "endpoints/SessionToken.h"
#include "endpoints/TokenCheck.h"
#include "net/BadFrameWindow.h"
#include "net/WebSocketSession.h"
#include "protocol/ClientRequest.h"

#include <memory>

namespace veza::chat {
class ChatService;
}

namespace veza::net {
class WebSocketConnection;
}

namespace veza::endpoints {

class ChatDelivery;

// Everything the chat endpoint of one network thread needs; owned by its ServerEndpoints.
struct ChatEndpoint
{
    ChatDelivery *delivery = nullptr;
    chat::ChatService *service = nullptr;
    TokenCheck tokens;
    protocol::ParseLimits limits;
    qint64 maxOutboundBytes = 1 << 20;
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 60000;
    chat::ChatMetrics *metrics = nullptr;
};

// One client on `/chat`: authenticates it (Authorization header, access_token query
// parameter, or an `auth` frame within 10 s; closed with 4401 when its token expires unless a
// fresh `auth` frame came first), validates its frames, forwards requests to the
// chat service and writes what the service sends back. Enforces the per-connection rules: bad
// frames (50 in 10 s close with 1008) and the outbound queue bound (1013 for a slow reader).
// Owned by its WebSocketConnection; lives on the network thread. Kept small: there may be
// tens of thousands of these per thread.
class ChatConnection final : public net::WebSocketSession
{
public:
    static constexpr int kCloseUnauthorized = 4401;
    static constexpr int kCloseBanned = 4403;

    // handshakeToken: the token offered with the upgrade request, if any.
    ChatConnection(net::WebSocketConnection &connection, const ChatEndpoint &endpoint,
                   QByteArrayView handshakeToken);
    ~ChatConnection() override;

    void sendFrame(const QByteArray &json);
    // A frame already encoded for the wire (ws::frame), shared by a whole room's fan-out.
    // False when it was not written (closing, or dropped as too slow). Not counted in
    // message_delivery_success_rate: the fan-out counts a whole room at once.
    // now: write to the socket at once when nothing is queued (no copy), instead of at the end
    // of the event-loop pass.
    bool sendEncodedFrame(const QByteArray &frame, bool now = false);
    // Called every PING_INTERVAL_S by the thread's ChatDelivery: pings, or closes a
    // connection silent for longer than PING_TIMEOUT_S (a dead peer or a hung client).
    void heartbeat(qint64 nowMs);
    void close(int closeCode, const QString &reason);
    // For a peer that is gone or stuck: no waiting for its side of the close handshake.
    void drop(int closeCode, const QString &reason);

private:
    void onText(QByteArrayView payload) override;
    void onBinary(QByteArrayView payload) override;
    void onPong() override;
    void onTick(qint64 nowMs) override;

    bool roomForMore();          // false (and the connection dropped) for a reader too far behind
    bool badFrame(qint64 nowMs); // true when the connection was closed for it
    void authenticate(QByteArrayView token, const QJsonValue &requestId);
    void refresh(QByteArrayView token, const QJsonValue &requestId);
    void refuse(const QJsonValue &requestId, const QString &why);
    // A valid token of a user banned from the whole server: 4403 with the ban's end.
    void refuseBanned(const QJsonValue &requestId, const TokenCheck::Result &ban);

    net::WebSocketConnection &m_connection;
    const ChatEndpoint &m_endpoint;
    std::unique_ptr<net::BadFrameWindow<50>> m_badFrames; // only once a client misbehaves
    quint64 m_id = 0;
    qint64 m_lastSignOfLifeMs = 0;
    SessionToken m_token; // 10 s to authenticate, then the token's expiry
    bool m_closing = false;
};

} // namespace veza::endpoints
