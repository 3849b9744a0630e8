#include "endpoints/streams/IngestSession.h"

#include "MonotonicClock.h"
#include "auth/JwtToken.h"
#include "endpoints/streams/StreamSocketEndpoint.h"
#include "net/PeerAddress.h"
#include "net/WebSocketConnection.h"
#include "net/ws/CloseCodes.h"
#include "net/ws/Handshake.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"
#include "streaming/StreamCluster.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamKey.h"
#include "streaming/StreamMetrics.h"
#include "streaming/StreamProcessor.h"
#include "streaming/StreamStore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcIngest, "veza.net.ingest")

namespace veza::endpoints {

struct IngestSession::Lookup
{
    enum class Outcome : quint8 { Failed, NotFound, Found };
    Outcome outcome = Outcome::Failed; // the database did not answer
    qint64 streamId = 0;
    QString owner; // the owner's user name: a token's `sub`
    bool isPublic = true;
    QByteArray keyHash;
    streaming::SourceMeta meta; // what listeners see as icy-* headers
};

namespace {

using streaming::StreamKey;

// The container a broadcaster sends: `?format=webm` (what MediaRecorder makes, also when
// absent) or `?format=ogg`; empty for anything else.
QByteArray contentTypeOf(const net::ws::UpgradeRequest &request)
{
    const QByteArray format = request.queryItem("format");
    if (format.isNull() || format == "webm")
        return QByteArrayLiteral("audio/webm");
    if (format == "ogg")
        return QByteArrayLiteral("audio/ogg");
    return {};
}

QByteArray bearerOf(const net::ws::UpgradeRequest &request)
{
    return request.authorization.startsWith("Bearer ") ? request.authorization.mid(7).trimmed()
                                                       : QByteArray();
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

IngestSession::IngestSession(net::WebSocketConnection &connection,
                             const StreamSocketEndpoint &endpoint, QString name,
                             const net::ws::UpgradeRequest &request)
    : m_connection(connection)
    , m_endpoint(endpoint)
    , m_name(std::move(name))
    , m_peer(connection.peerAddress())
{
    admit(request);
}

IngestSession::~IngestSession()
{
    leave();
}

// What the upgrade request alone decides; the rest needs the database.
void IngestSession::admit(const net::ws::UpgradeRequest &request)
{
    if (!streaming::isValidStreamName(m_name))
        return end(kCloseNotFound, QStringLiteral("no such stream"));
    m_contentType = contentTypeOf(request);
    if (m_contentType.isEmpty())
        return end(net::ws::CloseCode::PolicyViolation,
                   QStringLiteral("format must be ogg or webm"));

    // A stream key (the query's `key`, or a bearer starting with vzs_), else an access token.
    const QByteArray bearer = bearerOf(request);
    m_key = request.queryItem("key");
    if (m_key.isEmpty() && bearer.startsWith(StreamKey::prefix))
        m_key = bearer;
    if (m_key.isEmpty()) {
        const QByteArray token = bearer.isEmpty() ? request.queryItem("access_token") : bearer;
        if (token.isEmpty()) {
            m_endpoint.hub->metrics().refused.labels({QStringLiteral("unauthorized")}).inc();
            return end(
                kCloseUnauthorized,
                QStringLiteral("a stream key (?key=vzs_...) or an access token is required"));
        }
        const TokenCheck::Result verified = m_endpoint.tokens.check(token);
        if (!verified.claims) {
            m_endpoint.hub->metrics().refused.labels({QStringLiteral("unauthorized")}).inc();
            return end(verified.banned ? kCloseForbidden : kCloseUnauthorized, verified.reason);
        }
        m_subject = verified.claims->subject;
        m_admin = verified.claims->roles.contains(QStringLiteral("admin"));
        // A broadcast on a token lasts as long as the token (or a fresh one sent meanwhile).
        m_token.emplace(monotonicMs(), m_endpoint.tokens.sessionsPerUser);
        if (m_token->accept(*verified.claims, monotonicMs()) ==
            SessionToken::Acceptance::TooManySessions)
            return end(SessionToken::kCloseTooManySessions, m_token->tooManySessions());
    }
    if (!m_endpoint.database)
        return end(net::ws::CloseCode::InternalError,
                   QStringLiteral("stream keys cannot be checked: no database"));
    lookUpStream();
}

void IngestSession::lookUpStream()
{
    m_lookup = std::make_unique<QFutureWatcher<Lookup>>();
    QObject::connect(m_lookup.get(), &QFutureWatcherBase::finished, m_lookup.get(), [this] {
        // Canceled (the pool shut down) leaves no result: as unavailable.
        checked(m_lookup->future().resultCount() > 0 ? m_lookup->result() : Lookup{});
    });
    m_lookup->setFuture(m_endpoint.database
                            ->run([name = m_name](QSqlDatabase &db) {
                                Lookup lookup;
                                try {
                                    const auto stream = streaming::StreamStore::find(db, name);
                                    const auto hash = streaming::StreamStore::keyHash(db, name);
                                    lookup.outcome = Lookup::Outcome::NotFound;
                                    if (!stream || !hash)
                                        return lookup;
                                    lookup.outcome = Lookup::Outcome::Found;
                                    lookup.streamId = stream->id;
                                    lookup.owner = stream->ownerName;
                                    lookup.isPublic = stream->isPublic;
                                    lookup.keyHash = *hash;
                                    lookup.meta.name = stream->title.toUtf8();
                                    lookup.meta.description = stream->description.toUtf8();
                                    lookup.meta.genre = stream->genre.toUtf8();
                                    lookup.meta.isPublic = stream->isPublic;
                                } catch (const std::exception &error) {
                                    qCWarning(lcIngest) << "key lookup failed:" << error.what();
                                    lookup.outcome = Lookup::Outcome::Failed;
                                }
                                return lookup;
                            })
                            .onFailed([] { return Lookup{}; }));
}

// Network thread, with the database's answer.
void IngestSession::checked(const Lookup &lookup)
{
    if (m_state != State::Checking)
        return;
    if (!m_connection.isOpen()) { // the broadcaster left meanwhile
        m_state = State::Closed;
        return;
    }
    if (lookup.outcome == Lookup::Outcome::Failed)
        return end(net::ws::CloseCode::InternalError,
                   QStringLiteral("database unavailable: try again later"));
    if (lookup.outcome == Lookup::Outcome::NotFound)
        return end(kCloseNotFound, QStringLiteral("no such stream"));
    if (!m_key.isEmpty()) {
        if (!StreamKey::verify(m_key, lookup.keyHash)) {
            m_endpoint.hub->metrics().refused.labels({QStringLiteral("unauthorized")}).inc();
            return end(kCloseUnauthorized, QStringLiteral("wrong stream key"));
        }
    } else if (!m_admin && lookup.owner != m_subject) {
        // As the HTTP API: an unlisted stream is not revealed to whoever may not see it.
        if (!lookup.isPublic)
            return end(kCloseNotFound, QStringLiteral("no such stream"));
        m_endpoint.hub->metrics().refused.labels({QStringLiteral("unauthorized")}).inc();
        return end(kCloseForbidden,
                   QStringLiteral("only the stream's owner or an admin may broadcast to it"));
    }
    if (const QString why = m_endpoint.hub->ownerRefusal(lookup.owner); !why.isEmpty()) {
        m_endpoint.hub->metrics().refused.labels({QStringLiteral("banned")}).inc();
        return end(kCloseForbidden, why); // a banned owner's stream is off the air
    }
    // A blocked mount answers so at once, wherever the source would be.
    if (!m_endpoint.cluster || m_endpoint.hub->find(m_name) || m_endpoint.hub->isBlocked(m_name))
        return goLive(lookup);
    // One source per mount in the deployment: its lease first (frames keep buffering). The
    // watcher, gone with the session, guards the answer.
    m_endpoint.cluster->claimMount(m_name, lookup.streamId, m_lookup.get(),
                                   [this, lookup](bool granted) {
                                       if (m_state != State::Checking)
                                           return;
                                       if (!m_connection.isOpen()) {
                                           m_state = State::Closed;
                                           return;
                                       }
                                       if (granted)
                                           return goLive(lookup);
                                       mountInUse();
                                   });
}

void IngestSession::mountInUse()
{
    m_endpoint.hub->refused(QStringLiteral("mount_in_use"), m_name, QStringLiteral("source"),
                            net::plainPeerAddress(m_peer));
    end(kCloseMountInUse, QStringLiteral("this stream already has a live source"));
}

void IngestSession::goLive(const Lookup &lookup)
{
    streaming::SourceMeta meta = lookup.meta;
    meta.contentType = m_contentType;
    streaming::StreamHub &hub = *m_endpoint.hub;
    const streaming::StreamHub::SourceGrant grant =
        hub.connectSource(lookup.streamId, m_name, meta);
    if (grant.refusal == streaming::StreamHub::Refusal::MountInUse)
        return mountInUse();
    if (grant.refusal == streaming::StreamHub::Refusal::Blocked) {
        hub.refused(QStringLiteral("blocked"), m_name, QStringLiteral("source"),
                    net::plainPeerAddress(m_peer));
        return end(
            kCloseForbidden,
            QStringLiteral("source blocked for %1 s").arg((grant.blockedForMs + 999) / 1000));
    }
    if (grant.refusal == streaming::StreamHub::Refusal::ShuttingDown)
        return end(net::ws::CloseCode::GoingAway, QStringLiteral("server shutting down"));
    if (grant.refusal == streaming::StreamHub::Refusal::MaxStreams) {
        hub.refused(QStringLiteral("max_streams"), m_name, QStringLiteral("source"),
                    net::plainPeerAddress(m_peer));
        return end(
            net::ws::CloseCode::TryAgainLater,
            QStringLiteral("the server carries its maximum of live streams: try again later"));
    }
    m_source.emplace(hub, grant.stream, !m_key.isEmpty(),
                     [this](bool paused) { m_connection.setReadingPaused(paused); });
    m_state = State::Live;
    m_source->start();
    qCInfo(lcIngest).noquote() << "source connected:" << m_name << m_contentType << m_peer
                               << "(websocket)";
    m_connection.sendText(json({{QStringLiteral("type"), QStringLiteral("ready")},
                                {QStringLiteral("stream"), m_name},
                                {QStringLiteral("mount"), streaming::mountPath(m_name)}}));
    if (m_title)
        setTitle(*std::exchange(m_title, std::nullopt));
    if (!m_buffered.isEmpty()) {
        const QByteArray buffered = std::exchange(m_buffered, {});
        publish(buffered);
    }
}

void IngestSession::onBinary(QByteArrayView payload)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Checking) {
        if (m_buffered.size() + payload.size() > kMaxBufferedBytes)
            return end(net::ws::CloseCode::TooBig,
                       QStringLiteral("more than 256 KiB of audio before the credentials were "
                                      "checked"));
        m_buffered.append(payload.data(), payload.size());
        return;
    }
    publish(payload);
}

void IngestSession::publish(QByteArrayView bytes)
{
    switch (m_source->feed(bytes)) {
    case LiveSource::Verdict::Fed:
    case LiveSource::Verdict::Silent:
        return;
    case LiveSource::Verdict::StreamEnded:
        return end(net::ws::CloseCode::GoingAway, QStringLiteral("the stream was ended"));
    case LiveSource::Verdict::Unusable:
        return end(net::ws::CloseCode::InvalidPayload,
                   QStringLiteral("audio unusable or too fast"));
    case LiveSource::Verdict::KeyRotated:
        return keyRotated();
    case LiveSource::Verdict::Cut:
        return end(kCloseForbidden, QStringLiteral("the source was cut off"));
    }
}

void IngestSession::keyRotated()
{
    end(kCloseUnauthorized, QStringLiteral("the stream key was rotated"));
}

void IngestSession::onText(QByteArrayView payload)
{
    if (m_state == State::Closed)
        return;
    const QJsonObject frame = QJsonDocument::fromJson(payload.toByteArray()).object();
    const QString type = frame.value(QLatin1StringView("type")).toString();
    if (type == QLatin1StringView("metadata")) {
        const QJsonValue title = frame.value(QLatin1StringView("title"));
        if (!title.isString())
            return sendError(QStringLiteral("metadata needs a \"title\" string"));
        if (title.toString().size() > streaming::maxTitleLength)
            return sendError(QStringLiteral("title is longer than %1 characters")
                                 .arg(streaming::maxTitleLength));
        return setTitle(title.toString().toUtf8());
    }
    if (type == QLatin1StringView("ping"))
        return m_connection.sendText(json({{QStringLiteral("type"), QStringLiteral("pong")}}));
    if (type == QLatin1StringView("auth"))
        return refresh(frame.value(QLatin1StringView("token")).toString().toUtf8(),
                       frame.value(QLatin1StringView("id")));
    sendError(frame.isEmpty() ? QStringLiteral("expected a JSON object with a \"type\"")
                              : QStringLiteral("unknown message type \"%1\"").arg(type.left(64)));
}

// A fresh token of the same user before the current one expires; a source on a stream key has
// none to refresh.
void IngestSession::refresh(QByteArrayView token, const QJsonValue &requestId)
{
    if (!m_token)
        return m_connection.sendText(
            protocol::errorFrame(requestId, protocol::ErrorCode::BadRequest,
                                 QStringLiteral("this source authenticated with its stream key")));
    const TokenCheck::Result verified = m_endpoint.tokens.check(token);
    if (verified.banned)
        return end(kCloseForbidden, verified.reason);
    if (!verified.claims)
        return m_connection.sendText(
            protocol::errorFrame(requestId, protocol::ErrorCode::Unauthorized, verified.reason));
    if (m_token->accept(*verified.claims, monotonicMs()) != SessionToken::Acceptance::Accepted)
        return m_connection.sendText(
            protocol::errorFrame(requestId, protocol::ErrorCode::Forbidden,
                                 QStringLiteral("a fresh token must be the same user's")));
    m_connection.sendText(
        protocol::ackFrame(requestId, {{QStringLiteral("expires_at"), m_token->expiresAtMs()}}));
}

void IngestSession::setTitle(const QByteArray &title)
{
    if (m_state == State::Checking) {
        m_title = title; // applied once live
        return;
    }
    if (m_source)
        m_source->setTitle(title);
}

void IngestSession::sendError(const QString &message)
{
    m_connection.sendText(protocol::errorFrame({}, protocol::ErrorCode::BadRequest, message));
}

void IngestSession::onTick(qint64 nowMs)
{
    if (m_state == State::Closed)
        return;
    if (m_token) {
        if (const QString why = m_token->expired(nowMs); !why.isEmpty())
            return end(kCloseUnauthorized, why);
    }
    if (m_state != State::Live || !m_source)
        return;
    switch (m_source->check(nowMs)) {
    case LiveSource::Verdict::Fed:
    case LiveSource::Verdict::StreamEnded:
        return;
    case LiveSource::Verdict::Unusable:
        return end(net::ws::CloseCode::InvalidPayload,
                   QStringLiteral("audio unusable or too fast"));
    case LiveSource::Verdict::Silent:
        return end(net::ws::CloseCode::GoingAway, QStringLiteral("source silent for 30 s"));
    case LiveSource::Verdict::KeyRotated:
        return keyRotated();
    case LiveSource::Verdict::Cut:
        return end(kCloseForbidden, QStringLiteral("the source was cut off"));
    }
}

void IngestSession::end(quint16 code, const QString &reason)
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Checking)
        qCInfo(lcIngest).noquote() << "ingest refused:" << m_name << m_peer << code << reason;
    m_state = State::Closed;
    m_buffered.clear();
    leave(); // reading resumes: the peer's answer to the close must be read
    m_connection.close(code, reason.toUtf8());
}

void IngestSession::leave()
{
    if (m_source)
        m_source->leave();
}

} // namespace veza::endpoints
