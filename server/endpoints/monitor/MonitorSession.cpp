#include "endpoints/monitor/MonitorSession.h"

#include "MonotonicClock.h"
#include "auth/JwtToken.h"
#include "chat/ChatFigures.h"
#include "endpoints/monitor/MonitorFeed.h"
#include "endpoints/streams/StreamSocketEndpoint.h"
#include "net/WebSocketConnection.h"
#include "net/http/BearerAuth.h"
#include "net/ws/CloseCodes.h"
#include "net/ws/Handshake.h"
#include "protocol/ServerFrames.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamTypes.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace veza::endpoints {
namespace {

using protocol::ErrorCode;

// A token offered with the upgrade request: `Authorization: Bearer ...` or `?access_token=`.
QByteArray handshakeToken(const net::ws::UpgradeRequest &request)
{
    if (request.authorization.startsWith("Bearer "))
        return request.authorization.mid(7).trimmed();
    return request.queryItem("access_token");
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray event(const QString &type, const QString &stream, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("type"), type);
    fields.insert(QStringLiteral("stream"), stream);
    return json(fields);
}

QJsonValue optionalValue(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

double oneDecimal(double value)
{
    return std::round(value * 10) / 10;
}

QJsonObject chatJson(const chat::ChatFigures &figures)
{
    return {{QStringLiteral("connections"), figures.connections},
            {QStringLiteral("active_users"), figures.activeUsers},
            {QStringLiteral("messages_per_second"), oneDecimal(figures.messagesPerSecond)},
            {QStringLiteral("delivery_p99_ms"), figures.deliveryP99Ms
                                                    ? QJsonValue(oneDecimal(*figures.deliveryP99Ms))
                                                    : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("rate_limited_per_second"), oneDecimal(figures.rateLimitedPerSecond)},
            {QStringLiteral("open_reports"), optionalValue(figures.openReports)}};
}

} // namespace

MonitorSession::MonitorSession(net::WebSocketConnection &connection,
                               const StreamSocketEndpoint &endpoint,
                               const net::ws::UpgradeRequest &request)
    : m_connection(connection)
    , m_endpoint(endpoint)
    , m_token(monotonicMs(), endpoint.tokens.sessionsPerUser)
{
    if (const QByteArray token = handshakeToken(request); !token.isEmpty())
        authenticate(token);
}

void MonitorSession::authenticate(QByteArrayView token)
{
    const TokenCheck::Result verified = m_endpoint.tokens.check(token);
    if (!verified.claims)
        return refuse(verified.banned ? kCloseForbidden : kCloseUnauthorized, verified.reason);
    if (!net::http::hasAnyRole(verified.claims->roles, {u"moderator", u"admin"}))
        return refuse(kCloseForbidden, QStringLiteral("moderator or admin role required"));
    if (m_token.accept(*verified.claims, monotonicMs()) ==
        SessionToken::Acceptance::TooManySessions)
        return refuse(SessionToken::kCloseTooManySessions, m_token.tooManySessions());
    m_authorised = true;
    if (m_endpoint.feed)
        m_feedSeq = m_endpoint.feed->lastSeq(); // what happens from now on
    m_fastTimer = std::make_unique<QTimer>();
    m_fastTimer->callOnTimeout([this] { fastTick(); });
    m_fastTimer->start(kFastTickMs);
    const QJsonArray streams = liveStreams(m_previous);
    send(json({{QStringLiteral("type"), QStringLiteral("snapshot")},
               {QStringLiteral("streams"), streams}}));
}

QJsonArray MonitorSession::liveStreams(QHash<QString, Seen> &seen) const
{
    QJsonArray streams;
    const streaming::StreamHub &hub = *m_endpoint.hub;
    for (const std::shared_ptr<streaming::LiveStream> &stream : hub.liveStreams()) {
        const streaming::LiveStatus live = hub.status(stream->name);
        if (!live.live) // ended meanwhile
            continue;
        const streaming::StreamListing listing = live.listing.value_or(streaming::StreamListing{});
        const streaming::ListenerRoster::Quality quality = hub.roster().quality(stream->streamId);
        streams.append(QJsonObject{
            {QStringLiteral("name"), stream->name},
            {QStringLiteral("title"), listing.title},
            {QStringLiteral("owner"),
             live.listing ? QJsonValue(listing.owner) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("public"), listing.isPublic},
            {QStringLiteral("now_playing"),
             live.nowPlayingAtMs > 0
                 ? QJsonValue(QJsonObject{{QStringLiteral("title"), live.nowPlaying},
                                          {QStringLiteral("at"), live.nowPlayingAtMs}})
                 : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("started_at"), optionalValue(live.startedAtMs)},
            {QStringLiteral("listeners"), live.listeners},
            {QStringLiteral("degraded_percent"),
             quality.measured > 0 ? QJsonValue(100.0 * quality.degraded / quality.measured)
                                  : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("ingest_bitrate_bps"), optionalValue(live.ingestBitrateBps)},
            {QStringLiteral("audio"),
             live.audio.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(live.audio)}});
        seen.insert(stream->name, {live.startedAtMs.value_or(0), live.listeners});
    }
    return streams;
}

void MonitorSession::onTick(qint64 nowMs)
{
    if (m_closing)
        return;
    if (const QString why = m_token.expired(nowMs); !why.isEmpty())
        return refuse(kCloseUnauthorized, why);
    if (!m_authorised)
        return;
    QHash<QString, Seen> current;
    const QJsonArray streams = liveStreams(current);

    // Events first, in name order, so a console can apply them before the figures.
    QStringList gone;
    for (auto it = m_previous.cbegin(); it != m_previous.cend(); ++it) {
        const auto now = current.constFind(it.key());
        // Started again within the second: a new session, reported as a stop and a start.
        if (now == current.cend() || now->startedAtMs != it->startedAtMs)
            gone.append(it.key());
    }
    std::sort(gone.begin(), gone.end());
    for (const QString &name : std::as_const(gone))
        send(event(QStringLiteral("stream_stopped"), name));
    for (const QJsonValue &value : streams) {
        const QString name = value.toObject().value(QLatin1StringView("name")).toString();
        const Seen &now = current[name];
        const auto before = m_previous.constFind(name);
        if (before == m_previous.cend() || gone.contains(name)) {
            send(event(QStringLiteral("stream_started"), name,
                       {{QStringLiteral("started_at"), now.startedAtMs}}));
        } else if (before->listeners != now.listeners) {
            send(event(QStringLiteral("listeners"), name,
                       {{QStringLiteral("listeners"), now.listeners},
                        {QStringLiteral("previous"), before->listeners}}));
        }
    }
    m_previous = std::move(current);
    QJsonObject stats{{QStringLiteral("type"), QStringLiteral("stats")},
                      {QStringLiteral("at"), QDateTime::currentMSecsSinceEpoch()},
                      {QStringLiteral("streams"), streams}};
    if (m_endpoint.chatFigures)
        stats.insert(QStringLiteral("chat"), chatJson(m_endpoint.chatFigures->latest()));
    send(json(stats));
}

MonitorSession::~MonitorSession() = default;

void MonitorSession::fastTick()
{
    if (m_closing)
        return;
    // Banned meanwhile, here or on another instance: the console is closed at once.
    if (const QString ban = m_endpoint.tokens.banOf(m_token.subject()); !ban.isEmpty())
        return refuse(kCloseForbidden, ban);
    if (m_endpoint.feed) {
        qint64 lost = 0;
        const QList<QByteArray> frames = m_endpoint.feed->since(m_feedSeq, &lost);
        if (lost > 0)
            send(json({{QStringLiteral("type"), QStringLiteral("events_lost")},
                       {QStringLiteral("count"), lost}}));
        for (const QByteArray &frame : frames)
            send(frame);
    }
    if (m_levelsStream.isEmpty())
        return;
    const std::shared_ptr<streaming::LiveStream> stream = m_endpoint.hub->find(m_levelsStream);
    const std::shared_ptr<streaming::StreamProcessor> processor =
        stream ? stream->processor() : nullptr;
    if (!processor) { // the stream ended: the subscription with it
        send(event(QStringLiteral("levels_ended"), std::exchange(m_levelsStream, {})));
        return;
    }
    const QJsonObject stats = processor->stats();
    send(event(QStringLiteral("levels"), m_levelsStream,
               {{QStringLiteral("at"), QDateTime::currentMSecsSinceEpoch()},
                {QStringLiteral("levels"), stats.value(QLatin1StringView("levels"))}}));
}

void MonitorSession::subscribeLevels(const QString &stream)
{
    if (stream.isEmpty()) {
        m_levelsStream.clear();
        return send(json({{QStringLiteral("type"), QStringLiteral("levels_unsubscribed")}}));
    }
    const std::shared_ptr<streaming::LiveStream> live =
        streaming::isValidStreamName(stream) ? m_endpoint.hub->find(stream) : nullptr;
    if (!live || !live->processor())
        return send(protocol::errorFrame({}, ErrorCode::NotFound,
                                         QStringLiteral("no live stream \"%1\" with audio "
                                                        "processing")
                                             .arg(stream.left(64))));
    m_levelsStream = stream; // one at a time: a new subscription replaces the last
    send(event(QStringLiteral("levels_subscribed"), stream,
               {{QStringLiteral("interval_ms"), kFastTickMs}}));
}

void MonitorSession::onText(QByteArrayView payload)
{
    if (m_closing)
        return;
    const QJsonObject frame = QJsonDocument::fromJson(payload.toByteArray()).object();
    const QString type = frame.value(QLatin1StringView("type")).toString();
    if (!m_authorised) {
        if (type == QLatin1StringView("auth"))
            return authenticate(frame.value(QLatin1StringView("token")).toString().toUtf8());
        return refuse(kCloseUnauthorized, QStringLiteral("authenticate first"));
    }
    if (type == QLatin1StringView("ping"))
        return send(json({{QStringLiteral("type"), QStringLiteral("pong")}}));
    if (type == QLatin1StringView("subscribe_levels"))
        return subscribeLevels(frame.value(QLatin1StringView("stream")).toString());
    if (type == QLatin1StringView("unsubscribe_levels"))
        return subscribeLevels({});
    if (type == QLatin1StringView("auth"))
        return refresh(frame.value(QLatin1StringView("token")).toString().toUtf8());
    send(protocol::errorFrame(
        {}, ErrorCode::BadRequest,
        frame.isEmpty() ? QStringLiteral("expected a JSON object with a \"type\"")
                        : QStringLiteral("unknown message type \"%1\"").arg(type.left(64))));
}

void MonitorSession::onBinary(QByteArrayView)
{
    if (m_closing)
        return;
    if (!m_authorised)
        return refuse(kCloseUnauthorized, QStringLiteral("authenticate first"));
    send(protocol::errorFrame({}, ErrorCode::BadRequest, QStringLiteral("expected text frames")));
}

void MonitorSession::send(const QByteArray &frame)
{
    if (m_closing)
        return;
    // A console that stopped reading is dropped rather than allowed to grow server memory.
    if (m_connection.backlogBytes() > kMaxBacklogBytes) {
        m_closing = true;
        m_connection.close(net::ws::CloseCode::TryAgainLater, "too slow: outbound queue full",
                           net::WebSocketConnection::CloseWait::No);
        return;
    }
    m_connection.sendText(frame);
}

// A fresh token before the current one expires: the session goes on until the new expiry.
void MonitorSession::refresh(QByteArrayView token)
{
    const TokenCheck::Result verified = m_endpoint.tokens.check(token);
    if (verified.banned)
        return refuse(kCloseForbidden, verified.reason);
    if (!verified.claims)
        return send(protocol::errorFrame({}, ErrorCode::Unauthorized, verified.reason));
    if (!net::http::hasAnyRole(verified.claims->roles, {u"moderator", u"admin"}))
        return send(protocol::errorFrame({}, ErrorCode::Forbidden,
                                         QStringLiteral("moderator or admin role required")));
    if (m_token.accept(*verified.claims, monotonicMs()) != SessionToken::Acceptance::Accepted)
        return send(protocol::errorFrame({}, ErrorCode::Forbidden,
                                         QStringLiteral("a fresh token must be the same user's")));
    send(json({{QStringLiteral("type"), QStringLiteral("authenticated")},
               {QStringLiteral("expires_at"), m_token.expiresAtMs()}}));
}

void MonitorSession::refuse(quint16 code, const QString &why)
{
    send(protocol::errorFrame({}, errorCodeOfRefusal(code), why));
    close(code, why);
}

void MonitorSession::close(quint16 code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_connection.close(code, reason.toUtf8());
}

} // namespace veza::endpoints
