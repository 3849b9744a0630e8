#include "endpoints/health/LivenessSocket.h"

#include "MonotonicClock.h"
#include "endpoints/TokenCheck.h"
#include "net/WebSocketConnection.h"
#include "protocol/MessageType.h"
#include "protocol/ServerFrames.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace veza::endpoints {
namespace {

constexpr quint16 kCloseUnauthorized = 4401;
constexpr quint16 kCloseForbidden = 4403;

} // namespace

LivenessSocket::LivenessSocket(net::WebSocketConnection &connection, const TokenCheck &tokens,
                               QByteArrayView handshakeToken)
    : m_connection(connection)
    , m_tokens(tokens)
    , m_token(monotonicMs(), tokens.sessionsPerUser)
{
    if (!handshakeToken.isEmpty())
        authenticate(handshakeToken, {});
}

void LivenessSocket::onText(QByteArrayView payload)
{
    if (m_closing)
        return;
    const QJsonObject frame = QJsonDocument::fromJson(payload.toByteArray()).object();
    const QString type = frame.value(QLatin1StringView("type")).toString();
    const QJsonValue id = frame.value(QLatin1StringView("id"));
    const auto known = protocol::messageTypeFromName(type);
    if (known == protocol::MessageType::Ping)
        return m_connection.sendText(protocol::eventFrame(protocol::MessageType::Pong));
    if (known == protocol::MessageType::Auth)
        return authenticate(frame.value(QLatin1StringView("token")).toString().toUtf8(), id);
    const QString why = frame.isEmpty()
                            ? QStringLiteral("expected a JSON object with a \"type\"")
                            : QStringLiteral("unknown message type \"%1\"").arg(type.left(64));
    m_connection.sendText(protocol::errorFrame(id, protocol::ErrorCode::BadRequest, why));
}

void LivenessSocket::onBinary(QByteArrayView)
{
    if (!m_closing)
        m_connection.sendText(protocol::errorFrame({}, protocol::ErrorCode::BadRequest,
                                                   QStringLiteral("expected text frames")));
}

void LivenessSocket::onTick(qint64 nowMs)
{
    if (m_closing)
        return;
    if (const QString why = m_token.expired(nowMs); !why.isEmpty())
        refuse(kCloseUnauthorized, why);
}

void LivenessSocket::authenticate(QByteArrayView token, const QJsonValue &requestId)
{
    const TokenCheck::Result verified = m_tokens.check(token);
    if (!verified.claims)
        return refuse(verified.banned ? kCloseForbidden : kCloseUnauthorized, verified.reason);
    const SessionToken::Acceptance acceptance = m_token.accept(*verified.claims, monotonicMs());
    if (acceptance == SessionToken::Acceptance::TooManySessions)
        return refuse(SessionToken::kCloseTooManySessions, m_token.tooManySessions());
    if (acceptance == SessionToken::Acceptance::OtherUser)
        return m_connection.sendText(
            protocol::errorFrame(requestId, protocol::ErrorCode::Forbidden,
                                 QStringLiteral("a fresh token must be the same user's")));
    m_connection.sendText(
        protocol::ackFrame(requestId, {{QStringLiteral("expires_at"), m_token.expiresAtMs()}}));
}

void LivenessSocket::refuse(quint16 code, const QString &why)
{
    m_connection.sendText(protocol::errorFrame({}, errorCodeOfRefusal(code), why));
    m_closing = true;
    m_connection.close(code, why.toUtf8());
}

} // namespace veza::endpoints
