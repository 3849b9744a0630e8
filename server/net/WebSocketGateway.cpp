#include "net/WebSocketGateway.h"

#include "net/DestructionHook.h"
#include "net/TlsSettings.h"
#include "protocol/MessageType.h"
#include "protocol/ServerFrames.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <memory>

Q_LOGGING_CATEGORY(lcWebSocket, "veza.net.websocket")

namespace veza::net {
namespace {

// A refused client gets this long to send its upgrade request before we hang up anyway.
constexpr int kRefusalGraceMs = 5000;

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

} // namespace

WebSocketGateway::WebSocketGateway(ConnectionLimiter &limiter, NetMetrics &metrics,
                                   std::optional<QSslConfiguration> tls, const ChatEndpoint *chat,
                                   QObject *parent)
    : QObject(parent)
    , m_limiter(limiter)
    , m_metrics(metrics)
    , m_chat(chat)
{
    m_tcpServer = makeListener(tls, this);
    // TLS (when on) is already terminated by m_tcpServer; the WebSocket layer sees plaintext.
    m_webSocketServer =
        new QWebSocketServer(QStringLiteral("veza"), QWebSocketServer::NonSecureMode, this);
    m_webSocketServer->setMaxPendingConnections(1 << 20);
    m_webSocketServer->setSupportedSubprotocols({QStringLiteral("veza.chat.v1")});
    connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this,
            &WebSocketGateway::acceptPending);
    connect(m_webSocketServer, &QWebSocketServer::newConnection, this,
            &WebSocketGateway::adoptUpgraded);
}

WebSocketGateway::~WebSocketGateway()
{
    m_metrics.webSocketsActive.dec(static_cast<double>(m_sockets.size()));
    // WebSockets first: their TCP sockets are children of the listener. Then the listener,
    // while m_handshaking is still alive for the sockets' destruction hooks.
    qDeleteAll(m_sockets);
    m_sockets.clear();
    delete m_webSocketServer;
    delete m_tcpServer;
}

bool WebSocketGateway::listen(int fd, QString *error)
{
    if (!m_tcpServer->setSocketDescriptor(fd)) {
        *error = m_tcpServer->errorString();
        return false;
    }
    return true;
}

void WebSocketGateway::stopAccepting()
{
    m_tcpServer->close();
}

void WebSocketGateway::acceptPending()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        if (!m_limiter.tryAcquire()) {
            refuse(socket, "max_connections");
            continue;
        }
        // The slot is released however the socket ends: upgraded and closed, failed
        // handshake, handshake timeout.
        const QString key = peerKey(socket->peerAddress(), socket->peerPort());
        m_handshaking.insert(key, socket);
        new DestructionHook(socket, [this, key, limiter = &m_limiter, raw = socket] {
            limiter->release();
            const auto it = m_handshaking.constFind(key);
            if (it != m_handshaking.cend() && (it->isNull() || it->data() == raw))
                m_handshaking.erase(it);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        m_webSocketServer->handleConnection(socket);
    }
}

void WebSocketGateway::refuse(QTcpSocket *socket, const QByteArray &reason)
{
    m_metrics.webSocketsRejected.labels({QString::fromLatin1(reason)}).inc();
    qCDebug(lcWebSocket) << "refusing connection from" << socket->peerAddress() << reason;
    socket->setParent(this);
    // Answer after reading the upgrade request: closing with unread input would reset the
    // connection and the client might never see why.
    auto answered = std::make_shared<bool>(false);
    auto answer = [socket, reason, answered] {
        if (*answered)
            return;
        *answered = true;
        socket->readAll();
        const QByteArray body = "{\"error\":\"unavailable\",\"reason\":\"" + reason + "\"}";
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                      "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
    };
    connect(socket, &QTcpSocket::readyRead, socket, answer);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kRefusalGraceMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    if (socket->bytesAvailable() > 0)
        answer();
}

void WebSocketGateway::adoptUpgraded()
{
    while (QWebSocket *socket = m_webSocketServer->nextPendingConnection()) {
        // QWebSocket neither owns nor deletes the QTcpSocket it was upgraded from (it stays a
        // child of the listener), so the gateway deletes it right after the WebSocket.
        QPointer<QTcpSocket> tcpSocket =
            m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (tcpSocket)
            disconnect(tcpSocket, &QTcpSocket::disconnected, tcpSocket, &QObject::deleteLater);
        socket->setParent(this);
        socket->setMaxAllowedIncomingFrameSize(kMaxIncomingBytes);
        socket->setMaxAllowedIncomingMessageSize(kMaxIncomingBytes);
        m_sockets.insert(socket);
        m_metrics.webSocketsActive.inc();
        const QString path = socket->requestUrl().path();
        if (path == u"/chat" && m_chat) {
            new ChatConnection(socket, *m_chat);
        } else if (path.isEmpty() || path == u"/") {
            connect(socket, &QWebSocket::textMessageReceived, this,
                    [this, socket](const QString &message) { onTextMessage(socket, message); });
        } else {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("no endpoint at %1").arg(path.left(64)));
        }
        connect(socket, &QWebSocket::disconnected, this, [this, socket, tcpSocket] {
            if (m_sockets.remove(socket))
                m_metrics.webSocketsActive.dec();
            // Not deleteLater(): a DeferredDelete posted from inside QWebSocket's close handling
            // is held back by Qt's loop-level rule until the thread's loop exits, which would
            // leak every closed connection. A queued call runs on the next pass; the WebSocket
            // goes before the TCP socket it still points to.
            QMetaObject::invokeMethod(
                this,
                [socket, tcpSocket] {
                    delete socket;
                    delete tcpSocket.data();
                },
                Qt::QueuedConnection);
        });
    }
}

void WebSocketGateway::onTextMessage(QWebSocket *socket, const QString &message)
{
    const QJsonObject frame = QJsonDocument::fromJson(message.toUtf8()).object();
    const QString type = frame.value(QLatin1StringView("type")).toString();
    if (protocol::messageTypeFromName(type) == protocol::MessageType::Ping) {
        socket->sendTextMessage(
            QString::fromUtf8(protocol::eventFrame(protocol::MessageType::Pong)));
        return;
    }
    const QString why = frame.isEmpty()
                            ? QStringLiteral("expected a JSON object with a \"type\"")
                            : QStringLiteral("unknown message type \"%1\"").arg(type.left(64));
    socket->sendTextMessage(QString::fromUtf8(protocol::errorFrame(
        frame.value(QLatin1StringView("id")), protocol::ErrorCode::BadRequest, why)));
}

void WebSocketGateway::closeAll(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    const auto sockets = m_sockets;
    for (QWebSocket *socket : sockets)
        socket->close(code, reason);
}

} // namespace veza::net
