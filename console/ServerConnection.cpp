#include "ServerConnection.h"

#include "protocol/MessageType.h"

#include <QJsonDocument>
#include <QJsonObject>

using veza::protocol::MessageType;

ServerConnection::ServerConnection(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        Q_EMIT connected();
        ping();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        const QString reason =
            m_socket.closeReason().isEmpty() ? m_socket.errorString() : m_socket.closeReason();
        Q_EMIT disconnected(reason);
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ServerConnection::onTextMessage);
}

void ServerConnection::open(const QUrl &url)
{
    m_url = url;
    m_socket.abort();
    m_socket.open(url);
}

void ServerConnection::close()
{
    m_socket.close();
}

bool ServerConnection::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void ServerConnection::ping()
{
    if (!isConnected())
        return;
    m_pingTimer.start();
    const QJsonObject frame{
        {QStringLiteral("type"), veza::protocol::messageTypeName(MessageType::Ping)}};
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void ServerConnection::onTextMessage(const QString &message)
{
    const QJsonObject frame = QJsonDocument::fromJson(message.toUtf8()).object();
    const auto type =
        veza::protocol::messageTypeFromName(frame.value(QStringLiteral("type")).toString());
    if (type == MessageType::Pong && m_pingTimer.isValid()) {
        Q_EMIT pongReceived(m_pingTimer.elapsed());
        m_pingTimer.invalidate();
    } else if (type == MessageType::Error) {
        Q_EMIT protocolError(frame.value(QStringLiteral("message")).toString());
    }
}
