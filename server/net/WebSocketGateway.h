#pragma once

#include "net/ChatConnection.h"
#include "net/ConnectionLimiter.h"
#include "net/NetMetrics.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslConfiguration>
#include <QWebSocketProtocol>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace veza::net {

// The WebSocket listener of one network thread: accepts on its own SO_REUSEPORT listener
// (TLS 1.3 when configured), enforces MAX_CONNECTIONS before the handshake (HTTP 503), owns
// the upgraded sockets of this thread and routes them by path: `/chat` to the chat endpoint,
// `/` to the liveness ping (`{"type":"ping"}` -> `{"type":"pong"}`), anything else is closed
// with 1008. Lives and runs on its network thread.
class WebSocketGateway : public QObject
{
    Q_OBJECT

public:
    // `chat`: the chat endpoint served on /chat (nullptr: none).
    WebSocketGateway(ConnectionLimiter &limiter, NetMetrics &metrics,
                     std::optional<QSslConfiguration> tls, const ChatEndpoint *chat,
                     QObject *parent = nullptr);
    ~WebSocketGateway() override;

    // Takes ownership of a listening descriptor.
    bool listen(int fd, QString *error);
    void stopAccepting();
    void closeAll(QWebSocketProtocol::CloseCode code, const QString &reason);
    int openConnections() const { return static_cast<int>(m_sockets.size()); }

    // Largest frame or message accepted from a client; larger ones close the connection.
    static constexpr qint64 kMaxIncomingBytes = 64 * 1024;

private:
    void acceptPending();
    void refuse(QTcpSocket *socket, const QByteArray &reason);
    void adoptUpgraded();
    void onTextMessage(QWebSocket *socket, const QString &message);

    ConnectionLimiter &m_limiter;
    NetMetrics &m_metrics;
    const ChatEndpoint *m_chat;
    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_webSocketServer = nullptr;
    QSet<QWebSocket *> m_sockets;
    // TCP sockets between accept and upgrade, by peer address and port.
    QHash<QString, QPointer<QTcpSocket>> m_handshaking;
};

} // namespace veza::net
