#include "net/PingSession.h"

#include "net/WebSocketConnection.h"
#include "protocol/MessageType.h"
#include "protocol/ServerFrames.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace veza::net {

void PingSession::onText(QByteArrayView payload)
{
    const QJsonObject frame = QJsonDocument::fromJson(payload.toByteArray()).object();
    const QString type = frame.value(QLatin1StringView("type")).toString();
    if (protocol::messageTypeFromName(type) == protocol::MessageType::Ping) {
        m_connection.sendText(protocol::eventFrame(protocol::MessageType::Pong));
        return;
    }
    const QString why = frame.isEmpty()
                            ? QStringLiteral("expected a JSON object with a \"type\"")
                            : QStringLiteral("unknown message type \"%1\"").arg(type.left(64));
    m_connection.sendText(protocol::errorFrame(frame.value(QLatin1StringView("id")),
                                               protocol::ErrorCode::BadRequest, why));
}

void PingSession::onBinary(QByteArrayView)
{
    m_connection.sendText(protocol::errorFrame({}, protocol::ErrorCode::BadRequest,
                                               QStringLiteral("expected text frames")));
}

} // namespace veza::net
