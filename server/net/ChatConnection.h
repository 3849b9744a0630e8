#pragma once

#include "chat/ChatMetrics.h"
#include "net/BadFrameWindow.h"
#include "protocol/ClientRequest.h"

#include <QObject>
#include <QTimer>

class QWebSocket;

namespace veza::chat {
class ChatService;
}

namespace veza::net {

class ChatDelivery;

// Everything the chat endpoint of one network thread needs; owned by the NetworkWorker.
struct ChatEndpoint
{
    ChatDelivery *delivery = nullptr;
    chat::ChatService *service = nullptr;
    QList<QByteArray> jwtSecrets; // JWT_SECRET, then JWT_SECRET_PREVIOUS
    protocol::ParseLimits limits;
    qint64 maxOutboundBytes = 1 << 20;
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 60000;
    chat::ChatMetrics *metrics = nullptr;
};

// One client on `/chat`: authenticates it (Authorization header, access_token query
// parameter, or an `auth` frame within 10 s), validates its frames, forwards requests to the
// chat service and writes what the service sends back. Enforces the per-connection rules: bad
// frames (50 in 10 s close with 1008) and the outbound queue bound (1013 for a slow reader).
// A child of its QWebSocket; lives on the network thread.
class ChatConnection : public QObject
{
    Q_OBJECT

public:
    static constexpr int kAuthTimeoutMs = 10000;
    static constexpr int kCloseUnauthorized = 4401;

    ChatConnection(QWebSocket *socket, const ChatEndpoint &endpoint);
    ~ChatConnection() override;

    void sendFrame(const QByteArray &frame);
    // Called every PING_INTERVAL_S by the thread's ChatDelivery: pings, or closes a
    // connection silent for longer than PING_TIMEOUT_S (a dead peer or a hung client).
    void heartbeat(qint64 nowMs);
    static qint64 nowMs(); // the monotonic clock heartbeat() expects
    void close(int closeCode, const QString &reason);

private:
    void onTextMessage(const QString &text);
    void authenticate(QByteArrayView token, const QJsonValue &requestId);
    void refuse(const QJsonValue &requestId, const QString &why);
    void forward(const protocol::ClientRequest &request);

    QWebSocket *m_socket;
    const ChatEndpoint &m_endpoint;
    quint64 m_id = 0;
    bool m_authenticated = false;
    bool m_closing = false;
    qint64 m_lastSignOfLifeMs = 0;
    QTimer m_authDeadline;
    BadFrameWindow<50> m_badFrames;
};

} // namespace veza::net
