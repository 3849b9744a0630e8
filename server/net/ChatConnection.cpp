#include "net/ChatConnection.h"

#include "auth/JwtToken.h"
#include "chat/ChatService.h"
#include "net/ChatDelivery.h"
#include "protocol/ServerFrames.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>
#include <chrono>

namespace veza::net {
namespace {

using protocol::ErrorCode;

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 monotonicMs()
{
    return monotonicNs() / 1000000;
}

// A token offered with the upgrade request: `Authorization: Bearer ...` or, for browsers that
// cannot set headers, `?access_token=...`.
QByteArray tokenFromHandshake(const QWebSocket &socket)
{
    const QByteArray authorization = socket.request().rawHeader("Authorization");
    if (authorization.startsWith("Bearer "))
        return authorization.mid(7).trimmed();
    return QUrlQuery(socket.requestUrl()).queryItemValue(QStringLiteral("access_token")).toLatin1();
}

} // namespace

ChatConnection::ChatConnection(QWebSocket *socket, const ChatEndpoint &endpoint)
    : QObject(socket)
    , m_socket(socket)
    , m_endpoint(endpoint)
{
    m_id = m_endpoint.delivery->add(this);
    m_lastSignOfLifeMs = monotonicMs();
    connect(m_socket, &QWebSocket::pong, this, [this] { m_lastSignOfLifeMs = monotonicMs(); });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ChatConnection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this] {
        if (m_badFrames.recordAndCheck(monotonicMs()))
            return close(1008, QStringLiteral("too many bad frames"));
        sendFrame(protocol::errorFrame({}, ErrorCode::BadRequest,
                                       QStringLiteral("expected text frames")));
    });
    const QByteArray token = tokenFromHandshake(*m_socket);
    if (!token.isEmpty()) {
        authenticate(token, {});
        return;
    }
    m_authDeadline.setSingleShot(true);
    connect(&m_authDeadline, &QTimer::timeout, this, [this] {
        refuse({}, QStringLiteral("no access token within %1 s").arg(kAuthTimeoutMs / 1000));
    });
    m_authDeadline.start(kAuthTimeoutMs);
}

ChatConnection::~ChatConnection()
{
    m_endpoint.delivery->remove(m_id);
    if (m_authenticated) {
        chat::ChatService *service = m_endpoint.service;
        const chat::ConnectionRef ref{m_endpoint.delivery->worker(), m_id};
        QMetaObject::invokeMethod(
            service, [service, ref] { service->closed(ref); }, Qt::QueuedConnection);
    }
}

void ChatConnection::sendFrame(const QByteArray &frame)
{
    m_endpoint.metrics->deliveries.recordAttempt();
    if (m_closing)
        return;
    // A reader that cannot keep up is dropped rather than allowed to grow server memory.
    if (m_socket->bytesToWrite() > m_endpoint.maxOutboundBytes) {
        m_endpoint.metrics->slowConsumerDisconnects.inc();
        close(1013, QStringLiteral("too slow: outbound queue full"));
        return;
    }
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    m_endpoint.metrics->deliveries.recordSuccess();
}

void ChatConnection::heartbeat(qint64 nowMs)
{
    if (m_closing)
        return;
    if (nowMs - m_lastSignOfLifeMs > m_endpoint.pingTimeoutMs) {
        close(1001, QStringLiteral("ping timeout"));
        return;
    }
    m_socket->ping();
}

qint64 ChatConnection::nowMs()
{
    return monotonicMs();
}

void ChatConnection::close(int closeCode, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_socket->close(QWebSocketProtocol::CloseCode(closeCode), reason);
}

void ChatConnection::onTextMessage(const QString &text)
{
    if (m_closing)
        return;
    const qint64 receivedAtNs = monotonicNs();
    m_lastSignOfLifeMs = receivedAtNs / 1000000;
    const protocol::ParseResult parsed =
        protocol::parseClientFrame(text.toUtf8(), m_endpoint.limits);
    if (!parsed.request) {
        if (!m_authenticated)
            return refuse(parsed.error->id, QStringLiteral("authenticate first"));
        if (m_badFrames.recordAndCheck(receivedAtNs / 1000000))
            return close(1008, QStringLiteral("too many bad frames"));
        return sendFrame(
            protocol::errorFrame(parsed.error->id, parsed.error->code, parsed.error->message));
    }
    const protocol::ClientRequest &request = *parsed.request;
    if (request.type == protocol::MessageType::Auth) {
        if (m_authenticated)
            return sendFrame(protocol::errorFrame(request.id, ErrorCode::Conflict,
                                                  QStringLiteral("already authenticated")));
        return authenticate(request.string(QLatin1StringView("token")).toLatin1(), request.id);
    }
    if (!m_authenticated)
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
    const auth::VerifyResult verified =
        auth::verifyToken(token, m_endpoint.jwtSecrets, QDateTime::currentDateTimeUtc());
    if (!verified.ok())
        return refuse(requestId, auth::tokenErrorText(verified.error));
    m_authDeadline.stop();
    m_authenticated = true;
    const chat::Principal principal{verified.claims->subject, verified.claims->name,
                                    verified.claims->roles};
    chat::ChatService *service = m_endpoint.service;
    const chat::ConnectionRef ref{m_endpoint.delivery->worker(), m_id};
    QMetaObject::invokeMethod(
        service, [service, ref, principal] { service->opened(ref, principal); },
        Qt::QueuedConnection);
    sendFrame(protocol::ackFrame(
        requestId, {{QStringLiteral("user"), principal.externalId},
                    {QStringLiteral("roles"), QJsonArray::fromStringList(principal.roles)}}));
}

void ChatConnection::refuse(const QJsonValue &requestId, const QString &why)
{
    sendFrame(protocol::errorFrame(requestId, ErrorCode::Unauthorized, why));
    close(kCloseUnauthorized, QStringLiteral("unauthorized"));
}

} // namespace veza::net
