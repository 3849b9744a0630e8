#include "chat/ChatService.h"

#include "MonotonicClock.h"
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/SendMemory.h"
#include "moderation/ModerationService.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"
#include "storage/Sql.h"
#include "storage/Transaction.h"

#include <QDateTime>
#include <QFuture>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QTimer>
#include <chrono>

Q_LOGGING_CATEGORY(lcChat, "veza.chat")

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;
using namespace detail;

// How long a new connection that sends nothing waits before hearing its rooms (see settle()).
constexpr int kSettleMs = 2000;

} // namespace

ChatService::ChatService(storage::Database &database,
                         std::shared_ptr<const crypto::MessageCipher> cipher, Options options,
                         ChatMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_cipher(std::move(cipher))
    , m_options(options)
    , m_metrics(metrics)
{
    m_clock.start();
    m_memberships.setInterest([this](qint64 roomId, bool heard) {
        if (m_relay)
            m_relay->hear(roomId, heard);
    });
    // Session opens and joins: a lane per two PostgreSQL workers (at most 4), so other
    // requests keep workers; SQLite's one writer, one lane.
    const int lanes = std::clamp(m_database.workerCount() / 2, 1, 4);
    const int maxWaiting = std::max(0, m_database.options().maxQueuedJobs);
    // Sends: one lane on both. On PostgreSQL a batch of sends is one short statement, two when
    // the lane's SendMemory misses a room or sender (SendBatchPostgres): one commit in flight keeps
    // up (at 1,000 sends a second it carries one or two), and more lanes only added sessions
    // competing for the database's CPU: the P99 at 1,000 sends/s rose from 12 ms with one lane to
    // 15 with four and 20-24 with eight (docs/performance.md, "Chat on PostgreSQL: group commit").
    constexpr int sendLanes = 1;
    m_writes = std::make_unique<storage::GroupCommitQueue<SendRequest, SendOutcome>>(
        m_database, this, decltype(m_writes)::element_type::Options{sendLanes, 256, maxWaiting},
        [cipher = m_cipher, memory = std::make_shared<SendMemory>()](QSqlDatabase &db,
                                                                     QList<SendRequest> requests) {
            return SendBatch::commit(db, *cipher, *memory, std::move(requests));
        },
        [this](int sends) { m_metrics.commitBatchSize.observe(sends); });
    m_opens = std::make_unique<storage::GroupCommitQueue<SessionOpenRequest, SessionOpening>>(
        m_database, this, decltype(m_opens)::element_type::Options{lanes, 256, maxWaiting},
        &SessionOpenBatch::commit);
    m_joins = std::make_unique<storage::GroupCommitQueue<JoinRequest, JoinOutcome>>(
        m_database, this, decltype(m_joins)::element_type::Options{lanes, 256, maxWaiting},
        [cipher = m_cipher](QSqlDatabase &db, QList<JoinRequest> requests) {
            return JoinBatch::commit(db, *cipher, std::move(requests));
        });
}

ChatService::~ChatService() = default;

void ChatService::opened(const ConnectionRef &connection, const Principal &principal)
{
    m_sessions.insert(connection, Session{principal, 0, {}});
    // Lanes by user: a user's opens never race each other in two transactions.
    m_opens->submit(
        {principal.externalId, principal.name, principal.roles},
        [this, connection](const SessionOpening &result) {
            auto it = m_sessions.find(connection);
            if (it == m_sessions.end())
                return; // closed meanwhile
            if (result.userId == 0) {
                qCWarning(lcChat) << "cannot open a chat session: database unavailable";
                m_sessions.erase(it);
                return m_outbox->close(connection, 1011, QStringLiteral("database unavailable"));
            }
            if (result.serverBan) {
                if (m_serverBans)
                    m_serverBans->set(it->principal.externalId, *result.serverBan);
                m_sessions.erase(it);
                return m_outbox->close(connection, kCloseBanned,
                                       moderation::ServerBans::describe(*result.serverBan));
            }
            it->userId = result.userId;
            for (qint64 room : result.moderatedRooms)
                m_moderatedRooms[result.userId].insert(room);
            for (auto muted = result.mutedUntil.cbegin(); muted != result.mutedUntil.cend();
                 ++muted)
                m_mutedUntil[result.userId].insert(muted.key(), muted.value());
            QList<ConnectionRef> &connections = m_userConnections[result.userId];
            connections.append(connection);
            // Every connection of a member hears its rooms, not only the one that joined.
            for (const PendingRoom &room : result.rooms) {
                rememberMembership(result.userId, room.name, room.roomId);
                seedLastPublished(room.roomId, room.lastSeq);
            }
            it->unsettled = result.rooms;
            QTimer::singleShot(kSettleMs, this, [this, connection] { settle(connection); });
            announceOpened(connection, result.userId, connections.size() == 1);
            const QList<Pending> pending = std::exchange(it->pending, {});
            for (const Pending &request : pending)
                dispatch(connection, *it, request);
        },
        qHash(principal.externalId));
}

void ChatService::closed(const ConnectionRef &connection)
{
    const auto it = m_sessions.constFind(connection);
    if (it == m_sessions.cend())
        return;
    if (it->userId != 0) {
        QList<ConnectionRef> &connections = m_userConnections[it->userId];
        connections.removeAll(connection);
        const bool last = connections.isEmpty();
        announceClosed(it->userId, it->principal.externalId, m_memberships.rooms(it->userId), last);
        if (last) {
            m_userConnections.remove(it->userId);
            m_memberships.removeUser(it->userId);
            m_buckets.remove(it->userId); // bounded by users online, not users ever seen
            m_mutedUntil.remove(it->userId);
            m_moderatedRooms.remove(it->userId);
        }
    }
    m_sessions.erase(it);
    updateActiveUsers();
}

void ChatService::handle(const ConnectionRef &connection, const protocol::ClientRequest &request,
                         qint64 receivedAtNs)
{
    auto it = m_sessions.find(connection);
    if (it == m_sessions.end())
        return;
    if (it->userId == 0) {
        // The user row is still being read: keep order by queueing behind it.
        it->pending.append({request, receivedAtNs});
        return;
    }
    dispatch(connection, *it, {request, receivedAtNs});
}

void ChatService::dispatch(const ConnectionRef &connection, const Session &session,
                           const Pending &pending)
{
    const protocol::ClientRequest &request = pending.request;
    if (!session.unsettled.isEmpty() && request.type != MessageType::Resume)
        settle(connection);
    qint64 retryAfterMs = 0;
    if (!takeRateToken(session.userId, request.type, &retryAfterMs)) {
        m_metrics.rateLimited.inc();
        const bool message =
            request.type == MessageType::Send || request.type == MessageType::DirectMessage;
        if (message)
            m_metrics.messages.labels({QStringLiteral("rate_limited")}).inc();
        if (request.type == MessageType::Typing)
            return; // nothing to answer
        return fail(connection, request.id, ErrorCode::RateLimited,
                    message ? QStringLiteral("too many messages")
                            : QStringLiteral("too many requests"),
                    {{QStringLiteral("retry_after_ms"), retryAfterMs}});
    }
    switch (request.type) {
    case MessageType::Join:
        join(connection, session, request);
        return;
    case MessageType::Send:
        send(connection, session, pending);
        return;
    case MessageType::History:
        history(connection, session, request);
        return;
    case MessageType::Leave:
        leave(connection, session, request);
        return;
    case MessageType::Rooms:
        listRooms(connection, session, request);
        return;
    case MessageType::Members:
        members(connection, session, request);
        return;
    case MessageType::Edit:
        edit(connection, session, request);
        return;
    case MessageType::Delete:
        remove(session.principal, session.userId, request, frameAnswer(connection, request.id));
        return;
    case MessageType::React:
        react(connection, session, request);
        return;
    case MessageType::Typing:
        typing(connection, session, request);
        return;
    case MessageType::Timeout:
    case MessageType::Ban:
    case MessageType::Unban:
    case MessageType::SlowMode:
    case MessageType::Lock:
    case MessageType::Purge:
    case MessageType::Grant:
    case MessageType::Revoke:
    case MessageType::Invite:
    case MessageType::Kick:
        moderate(session.principal, session.userId, request, frameAnswer(connection, request.id));
        return;
    case MessageType::Report:
        report(session.principal, session.userId, request, frameAnswer(connection, request.id));
        return;
    case MessageType::MarkRead:
        markRead(connection, session, request);
        return;
    case MessageType::DeviceRegister:
    case MessageType::PrekeysUpload:
    case MessageType::Devices:
    case MessageType::PrekeyClaim:
        keys(connection, session, request);
        return;
    case MessageType::Resume:
        resume(connection, session, request);
        return;
    case MessageType::DirectMessage:
        directMessage(connection, session, pending);
        return;
    case MessageType::CreateRoom:
        createRoom(connection, session, request);
        return;
    default:
        fail(connection, request.id, ErrorCode::BadRequest,
             QStringLiteral("\"%1\" is not supported by this server version yet")
                 .arg(protocol::messageTypeName(request.type)));
        return;
    }
}

void ChatService::join(const ConnectionRef &connection, const Session &session,
                       const protocol::ClientRequest &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const int perHour = roomsPerHourOf(session);
    // Lanes by room: two batches in flight never create or fill the same room.
    m_joins->submit(
        {roomName, session.userId, perHour, m_options.joinHistory},
        [this, connection, id = request.id, roomName, perHour](const JoinOutcome &outcome) {
            if (!outcome.answered)
                return fail(connection, id, ErrorCode::Internal,
                            QStringLiteral("the room could not be joined; retry"));
            if (outcome.retryAfterMs > 0)
                return refuseRoomCreation(connection, id, perHour, outcome.retryAfterMs);
            if (!outcome.room)
                return fail(connection, id, ErrorCode::NotFound,
                            QStringLiteral("no room \"%1\"").arg(roomName));
            if (outcome.forbidden)
                return fail(connection, id, ErrorCode::Forbidden,
                            QStringLiteral("room \"%1\" is private or you are banned from it")
                                .arg(roomName));
            seedLastPublished(outcome.room->id, outcome.room->lastSeq);
            m_outbox->subscribe(connection, outcome.room->id);
            const auto session = m_sessions.constFind(connection);
            if (session != m_sessions.cend()) {
                rememberMembership(session->userId, roomName, outcome.room->id);
                // The user's other connections hear the room too: membership is per user.
                for (const ConnectionRef &other : m_userConnections.value(session->userId)) {
                    if (!(other == connection))
                        m_outbox->subscribe(other, outcome.room->id);
                }
                // And on the other instances.
                if (outcome.joined && m_relay)
                    m_relay->tellNewMembers(
                        {outcome.room->id, roomName, outcome.room->lastSeq, {session->userId}});
            }
            m_outbox->send(connection, protocol::ackFrame(
                                           id, {{QStringLiteral("room"), roomJson(*outcome.room)},
                                                {QStringLiteral("messages"), outcome.messages}}));
        },
        qHash(roomName));
}

void ChatService::send(const ConnectionRef &connection, const Session &session,
                       const Pending &pending)
{
    const protocol::ClientRequest &request = pending.request;
    SendRequest send;
    send.roomName = request.string(QLatin1StringView("room"));
    send.message.senderId = session.userId;
    send.message.clientMsgId = request.string(QLatin1StringView("client_msg_id"));
    send.message.content = contentOf(request);
    send.globalModerator = isGlobalModerator(session.principal);
    send.e2eRequired = m_options.e2eRequired;
    const QString roomName = send.roomName;
    const NewMessage message = send.message;
    m_writes->submit(
        std::move(send),
        [this, connection, id = request.id, roomName, message, sender = session.principal,
         receivedAtNs = pending.receivedAtNs](const SendOutcome &outcome) {
            switch (outcome.status) {
            case SendOutcome::Status::NotFound:
                return fail(connection, id, ErrorCode::NotFound,
                            QStringLiteral("no room \"%1\"").arg(roomName));
            case SendOutcome::Status::NotMember:
                return fail(connection, id, ErrorCode::Forbidden,
                            QStringLiteral("join \"%1\" first").arg(roomName));
            case SendOutcome::Status::Locked:
                return fail(connection, id, ErrorCode::Forbidden,
                            QStringLiteral("room \"%1\" is locked").arg(roomName));
            case SendOutcome::Status::PlaintextRefused:
                return fail(connection, id, ErrorCode::Forbidden,
                            QStringLiteral("room \"%1\" is end-to-end encrypted: send ciphertext")
                                .arg(roomName));
            case SendOutcome::Status::Sanctioned:
                return fail(connection, id, ErrorCode::Forbidden,
                            outcome.sanction.kind == moderation::SanctionState::Kind::Banned
                                ? QStringLiteral("you are banned from \"%1\"").arg(roomName)
                                : QStringLiteral("you are timed out in \"%1\"").arg(roomName),
                            outcome.sanction.untilMs
                                ? QJsonObject{{QStringLiteral("until"), *outcome.sanction.untilMs}}
                                : QJsonObject{});
            case SendOutcome::Status::SlowMode:
                return fail(
                    connection, id, ErrorCode::RateLimited,
                    QStringLiteral("slow mode: one message per %1 s").arg(outcome.room.slowModeS),
                    {{QStringLiteral("retry_after_ms"), outcome.retryAfterMs}});
            case SendOutcome::Status::Failed:
                m_metrics.messages.labels({QStringLiteral("failed")}).inc();
                return fail(connection, id, ErrorCode::Internal,
                            QStringLiteral(
                                "the message was not stored; retry with the same client_msg_id"));
            case SendOutcome::Status::Stored:
                break;
            }
            announceStored(connection, id, outcome.room.id, roomName, outcome.stored, message,
                           sender, receivedAtNs);
        },
        qHash(roomName));
}
void ChatService::announceStored(const ConnectionRef &connection, const QJsonValue &id,
                                 qint64 roomId, const QString &roomName,
                                 const StoredMessage &stored, const NewMessage &message,
                                 const Principal &sender, qint64 receivedAtNs)
{
    m_metrics.messages
        .labels({stored.duplicate ? QStringLiteral("duplicate") : QStringLiteral("stored")})
        .inc();
    // A retry was delivered the first time: only acknowledged again.
    if (!stored.duplicate) {
        ChatMessage delivered;
        delivered.seq = stored.seq;
        delivered.clientMsgId = message.clientMsgId;
        delivered.content = message.content;
        delivered.createdAtMs = stored.createdAtMs;
        const QByteArray frame = protocol::eventFrame(
            MessageType::Message,
            messageJson(roomName, delivered, {sender.externalId, sender.name}));
        publishMessage(roomId, stored.seq, frame, receivedAtNs);
        if (m_relay)
            m_relay->tell(roomId, stored.seq, frame);
    }
    m_outbox->send(connection,
                   protocol::ackFrame(id, {{QStringLiteral("room"), roomName},
                                           {QStringLiteral("message_id"), stored.seq},
                                           {QStringLiteral("created_at"), stored.createdAtMs},
                                           {QStringLiteral("duplicate"), stored.duplicate}}));
}

void ChatService::history(const ConnectionRef &connection, const Session &session,
                          const protocol::ClientRequest &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    HistoryQuery query;
    if (request.has(QLatin1StringView("before")))
        query.beforeSeq = request.integer(QLatin1StringView("before"));
    if (request.has(QLatin1StringView("after")))
        query.afterSeq = request.integer(QLatin1StringView("after"));
    query.limit = int(std::clamp<qint64>(request.integer(QLatin1StringView("limit"), 50), 1,
                                         m_options.historyLimit));
    const qint64 userId = session.userId;
    auto cipher = m_cipher;
    m_database
        .run([=](QSqlDatabase &db) {
            std::pair<RoomAccess, QJsonArray> result{
                RoomAccess::check(db, roomName, userId, RoomUse::Read, nowMs()), {}};
            if (!result.first.allowed())
                return result;
            const QList<ChatMessage> messages =
                ChatMessages::history(db, *cipher, result.first.room->id, query, userId);
            const QHash<qint64, Author> authors = authorsOf(db, messages);
            for (const ChatMessage &message : messages)
                result.second.append(
                    messageJson(roomName, message, authors.value(message.senderId)));
            return result;
        })
        .then(this,
              [this, connection, id = request.id,
               roomName](const std::pair<RoomAccess, QJsonArray> &result) {
                  if (!result.first.allowed())
                      return refuseAccess(connection, id, roomName, result.first);
                  m_outbox->send(
                      connection,
                      protocol::ackFrame(id, {{QStringLiteral("room"), roomName},
                                              {QStringLiteral("messages"), result.second}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("history unavailable; retry"));
        });
}

AnswerTo ChatService::frameAnswer(const ConnectionRef &connection, const QJsonValue &id)
{
    return [this, connection, id](const ChatAnswer &answer) {
        if (answer.error)
            return fail(connection, id, *answer.error, answer.message, answer.fields);
        m_outbox->send(connection, protocol::ackFrame(id, answer.fields));
    };
}

void ChatService::handleApi(const Principal &caller, const protocol::ClientRequest &request,
                            const AnswerTo &answer)
{
    // The caller's user row (created on first sight, as a chat session does), then the
    // request under the rules and the budget of the chat frame.
    m_database
        .run([externalId = caller.externalId, name = caller.name](QSqlDatabase &db) {
            return ChatRooms::ensureUser(db, externalId, name, nowMs());
        })
        .then(this,
              [this, caller, request, answer](qint64 userId) {
                  qint64 retryAfterMs = 0;
                  if (!takeRateToken(userId, request.type, &retryAfterMs)) {
                      m_metrics.rateLimited.inc();
                      return answer(ChatAnswer::failed(
                          ErrorCode::RateLimited, QStringLiteral("too many requests"),
                          {{QStringLiteral("retry_after_ms"), retryAfterMs}}));
                  }
                  switch (request.type) {
                  case MessageType::Delete:
                      return remove(caller, userId, request, answer);
                  case MessageType::Timeout:
                  case MessageType::Ban:
                  case MessageType::Unban:
                  case MessageType::SlowMode:
                  case MessageType::Lock:
                  case MessageType::Purge:
                  case MessageType::Grant:
                  case MessageType::Revoke:
                      return moderate(caller, userId, request, answer);
                  case MessageType::Report:
                      return report(caller, userId, request, answer);
                  default:
                      return answer(ChatAnswer::failed(ErrorCode::BadRequest,
                                                       QStringLiteral("not a moderation action")));
                  }
              })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

void ChatService::fail(const ConnectionRef &connection, const QJsonValue &id, ErrorCode code,
                       const QString &message, const QJsonObject &extra)
{
    m_outbox->send(connection, protocol::errorFrame(id, code, message, extra));
}

void ChatService::refuseAccess(const ConnectionRef &connection, const QJsonValue &id,
                               const QString &roomName, const RoomAccess &access)
{
    const bool sanctioned = access.status == RoomAccess::Status::Banned ||
                            access.status == RoomAccess::Status::TimedOut;
    QJsonObject extra;
    if (sanctioned)
        extra.insert(QStringLiteral("until"), access.sanction.untilMs
                                                  ? QJsonValue(*access.sanction.untilMs)
                                                  : QJsonValue(QJsonValue::Null));
    fail(connection, id, sanctioned ? ErrorCode::Forbidden : ErrorCode::NotFound,
         access.refusal(roomName), extra);
}

Content ChatService::contentOf(const Request &request)
{
    Content content;
    if (request.has(QLatin1StringView("ciphertext")))
        content.e2e = E2eContent{
            QByteArray::fromBase64(request.string(QLatin1StringView("ciphertext")).toLatin1()),
            request.string(QLatin1StringView("algorithm")),
            request.string(QLatin1StringView("sender_device"))};
    else
        content.text = request.string(QLatin1StringView("body"));
    return content;
}

double ChatService::requestCost(MessageType type)
{
    switch (type) {
    case MessageType::Send:
    case MessageType::DirectMessage:
    case MessageType::Edit:
    case MessageType::Delete:
    case MessageType::CreateRoom:
    case MessageType::PrekeyClaim:
    case MessageType::Invite: // writes, and reaches another user as a message does
        return 1.0;           // a message, or as much work as one
    case MessageType::React:
        return 0.5;
    case MessageType::Typing:
        return 0.2; // a client sends one every few seconds while typing
    default:
        return 0.25; // reads (history, members, rooms, resume), joins, keys, moderation, kick
    }
}

bool ChatService::publishesToRooms(MessageType type)
{
    switch (type) {
    case MessageType::Send:
    case MessageType::DirectMessage:
    case MessageType::Edit:
    case MessageType::Delete:
    case MessageType::React:
    case MessageType::Typing:
        return true;
    default:
        return false;
    }
}

bool ChatService::takeRateToken(qint64 userId, MessageType type, qint64 *retryAfterMs)
{
    if (publishesToRooms(type) && m_outbox->backlogged()) {
        *retryAfterMs = kBackloggedRetryMs;
        return false;
    }
    const qint64 now = m_clock.elapsed();
    auto it = m_buckets.find(userId);
    if (it == m_buckets.end())
        it = m_buckets.insert(userId,
                              net::TokenBucket(m_options.ratePerSecond, m_options.rateBurst, now));
    const double cost = requestCost(type);
    if (!it->tryTake(now, retryAfterMs, cost))
        return false;
    if (m_sharedRates)
        m_sharedRates->spent(userId, cost);
    return true;
}

void ChatService::limitRate(qint64 userId, double tokens)
{
    if (!m_userConnections.contains(userId))
        return; // its bucket starts full when it comes: the shared one catches up at once
    const qint64 now = m_clock.elapsed();
    auto it = m_buckets.find(userId);
    if (it == m_buckets.end())
        it = m_buckets.insert(userId,
                              net::TokenBucket(m_options.ratePerSecond, m_options.rateBurst, now));
    it->limit(now, tokens);
}

} // namespace veza::chat
