#include "endpoints/chat/ChatConnection.h"

#include "MonotonicClock.h"
#include "auth/JwtToken.h"
#include "chat/ChatService.h"
#include "endpoints/chat/ChatDelivery.h"
#include "net/WebSocketConnection.h"
#include "protocol/ServerFrames.h"

#include <QDateTime>
#include <QJsonArray>

namespace veza::endpoints {
namespace {

using protocol::ErrorCode;

} // namespace

ChatConnection::ChatConnection(net::WebSocketConnection &connection, const ChatEndpoint &endpoint,
                               QByteArrayView handshakeToken)
    : m_connection(connection)
    , m_endpoint(endpoint)
    , m_lastSignOfLifeMs(monotonicMs())
    , m_token(m_lastSignOfLifeMs, endpoint.tokens.sessionsPerUser)
{
    m_id = m_endpoint.delivery->add(this);
    if (!handshakeToken.isEmpty())
        authenticate(handshakeToken, {});
}

ChatConnection::~ChatConnection()
{
    m_endpoint.delivery->remove(m_id);
    if (m_token.authenticated()) {
        chat::ChatService *service = m_endpoint.service;
        const chat::ConnectionRef ref{m_endpoint.delivery->worker(), m_id};
        QMetaObject::invokeMethod(
            service, [service, ref] { service->closed(ref); }, Qt::QueuedConnection);
    }
}

bool ChatConnection::roomForMore()
{
    if (m_closing)
        return false;
    // A reader that cannot keep up is dropped rather than allowed to grow server memory. The
    // backlog counts what the kernel refused; the second bound caps one pass's queue too.
    const qint64 limit = m_endpoint.maxOutboundBytes;
    if (m_connection.backlogBytes() > limit || m_connection.pendingBytes() > 4 * limit) {
        m_endpoint.metrics->slowConsumerDisconnects.inc();
        drop(1013, QStringLiteral("too slow: outbound queue full"));
        return false;
    }
    return true;
}

void ChatConnection::sendFrame(const QByteArray &json)
{
    const bool room = roomForMore();
    if (room)
        m_connection.sendText(json);
    m_endpoint.metrics->deliveries.recordAttempt();
    if (room)
        m_endpoint.metrics->deliveries.recordSuccess();
}

bool ChatConnection::sendEncodedFrame(const QByteArray &frame, bool now)
{
    if (!roomForMore())
        return false;
    m_connection.sendEncoded(frame, now);
    return true;
}

void ChatConnection::heartbeat(qint64 nowMs)
{
    if (m_closing)
        return;
    if (nowMs - m_lastSignOfLifeMs > m_endpoint.pingTimeoutMs) {
        drop(1001, QStringLiteral("ping timeout"));
        return;
    }
    m_connection.ping();
}

void ChatConnection::onTick(qint64 nowMs)
{
    if (m_closing)
        return;
    if (const QString why = m_token.expired(nowMs); !why.isEmpty())
        refuse({}, why);
}

void ChatConnection::close(int closeCode, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_connection.close(quint16(closeCode), reason.toUtf8());
}

void ChatConnection::drop(int closeCode, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_connection.close(quint16(closeCode), reason.toUtf8(),
                       net::WebSocketConnection::CloseWait::No);
}

void ChatConnection::onPong()
{
    m_lastSignOfLifeMs = monotonicMs();
}

bool ChatConnection::badFrame(qint64 nowMs)
{
    if (!m_badFrames)
        m_badFrames = std::make_unique<net::BadFrameWindow<50>>();
    if (!m_badFrames->recordAndCheck(nowMs))
        return false;
    close(1008, QStringLiteral("too many bad frames"));
    return true;
}

void ChatConnection::onBinary(QByteArrayView)
{
    if (m_closing || badFrame(monotonicMs()))
        return;
    sendFrame(
        protocol::errorFrame({}, ErrorCode::BadRequest, QStringLiteral("expected text frames")));
}

void ChatConnection::onText(QByteArrayView payload)
{
    if (m_closing)
        return;
    const qint64 receivedAtNs = monotonicNs();
    m_lastSignOfLifeMs = receivedAtNs / 1000000;
    const protocol::ParseResult parsed = protocol::parseClientFrame(payload, m_endpoint.limits);
    if (!parsed.request) {
        if (!m_token.authenticated())
            return refuse(parsed.error->id, QStringLiteral("authenticate first"));
        if (badFrame(m_lastSignOfLifeMs))
            return;
        return sendFrame(
            protocol::errorFrame(parsed.error->id, parsed.error->code, parsed.error->message));
    }
    const protocol::ClientRequest &request = *parsed.request;
    if (request.type == protocol::MessageType::Auth) {
        const QByteArray token = request.string(QLatin1StringView("token")).toLatin1();
        if (m_token.authenticated())
            return refresh(token, request.id);
        return authenticate(token, request.id);
    }
    if (!m_token.authenticated())
        return refuse(request.id, QStringLiteral("authenticate first"));
    if (request.type == protocol::MessageType::Ping)
        return sendFrame(protocol::eventFrame(protocol::MessageType::Pong));
    chat::ChatService *service = m_endpoint.service;
    const chat::ConnectionRef ref{m_endpoint.delivery->worker(), m_id};
    QMetaObject::invokeMethod(
        service,
        [service, ref, request, receivedAtNs] { service->handle(ref, request, receivedAtNs); },
        Qt::QueuedConnection);
}

void ChatConnection::authenticate(QByteArrayView token, const QJsonValue &requestId)
{
    const TokenCheck::Result verified = m_endpoint.tokens.check(token);
    if (verified.banned)
        return refuseBanned(requestId, verified);
    if (!verified.claims)
        return refuse(requestId, verified.reason);
    if (m_token.accept(*verified.claims, monotonicMs()) ==
        SessionToken::Acceptance::TooManySessions) {
        sendFrame(
            protocol::errorFrame(requestId, ErrorCode::RateLimited, m_token.tooManySessions()));
        return close(SessionToken::kCloseTooManySessions, QStringLiteral("too many connections"));
    }
    const chat::Principal principal{verified.claims->subject, verified.claims->name,
                                    verified.claims->roles};
    chat::ChatService *service = m_endpoint.service;
    const chat::ConnectionRef ref{m_endpoint.delivery->worker(), m_id};
    QMetaObject::invokeMethod(
        service, [service, ref, principal] { service->opened(ref, principal); },
        Qt::QueuedConnection);
    sendFrame(protocol::ackFrame(
        requestId, {{QStringLiteral("user"), principal.externalId},
                    {QStringLiteral("roles"), QJsonArray::fromStringList(principal.roles)},
                    {QStringLiteral("expires_at"), m_token.expiresAtMs()}}));
}

// A fresh token before the current one expires: the session goes on until the new expiry.
// A bad one is answered, and the session keeps the token it has.
void ChatConnection::refresh(QByteArrayView token, const QJsonValue &requestId)
{
    const TokenCheck::Result verified = m_endpoint.tokens.check(token);
    if (verified.banned)
        return refuseBanned(requestId, verified);
    if (!verified.claims)
        return sendFrame(protocol::errorFrame(requestId, ErrorCode::Unauthorized, verified.reason));
    if (m_token.accept(*verified.claims, monotonicMs()) != SessionToken::Acceptance::Accepted)
        return sendFrame(
            protocol::errorFrame(requestId, ErrorCode::Forbidden,
                                 QStringLiteral("a fresh token must be the same user's")));
    sendFrame(
        protocol::ackFrame(requestId, {{QStringLiteral("expires_at"), m_token.expiresAtMs()}}));
}

void ChatConnection::refuseBanned(const QJsonValue &requestId, const TokenCheck::Result &ban)
{
    sendFrame(protocol::errorFrame(
        requestId, ErrorCode::Forbidden, ban.reason,
        {{QStringLiteral("until"),
          ban.bannedUntilMs ? QJsonValue(*ban.bannedUntilMs) : QJsonValue(QJsonValue::Null)}}));
    close(kCloseBanned, ban.reason);
}

void ChatConnection::refuse(const QJsonValue &requestId, const QString &why)
{
    sendFrame(protocol::errorFrame(requestId, ErrorCode::Unauthorized, why));
    close(kCloseUnauthorized, QStringLiteral("unauthorized"));
}

} // namespace veza::endpoints
