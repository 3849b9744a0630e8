// ChatService: requests on existing rooms and messages (leave, rooms, members, edit, delete,
// react, typing). Same thread and rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "moderation/ModerationService.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"
#include "storage/Transaction.h"

#include <QFuture>
#include <QJsonArray>

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;
using namespace detail;

QString changeError(ChangeResult result)
{
    switch (result) {
    case ChangeResult::NotFound:
        return QStringLiteral("no such message");
    case ChangeResult::Forbidden:
        return QStringLiteral("not your message");
    case ChangeResult::Deleted:
        return QStringLiteral("the message is deleted");
    case ChangeResult::Ok:
        break;
    }
    return {};
}

// What an edit found: the room's rules (as for a send), then the message.
struct EditOutcome
{
    RoomAccess access;
    QString refusal;         // locked, or plaintext in an end-to-end room
    qint64 retryAfterMs = 0; // slow mode
    ChangeResult result = ChangeResult::Ok;
};

// What a delete found: the message's author and whether it was a moderator's action.
struct DeleteOutcome
{
    ChangeResult result = ChangeResult::NotFound;
    qint64 roomId = 0;
    bool moderated = false; // someone else's message
    QString author;
};

ErrorCode changeCode(ChangeResult result)
{
    return result == ChangeResult::Forbidden ? ErrorCode::Forbidden : ErrorCode::NotFound;
}

} // namespace

void ChatService::rememberMembership(qint64 userId, const QString &roomName, qint64 roomId)
{
    m_roomIds.insert(roomName, roomId);
    m_memberships.add(userId, roomId);
}

qint64 ChatService::memberRoomId(const Session &session, const QString &roomName) const
{
    const qint64 roomId = m_roomIds.value(roomName);
    return roomId != 0 && m_memberships.contains(session.userId, roomId) ? roomId : 0;
}

void ChatService::typing(const ConnectionRef &, const Session &session,
                         const protocol::ClientRequest &request)
{
    // Relayed, never stored; silently dropped for rooms the user is not in (or banned from:
    // they are no longer among its rooms) and while timed out there.
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 roomId = memberRoomId(session, roomName);
    if (roomId != 0 && m_mutedUntil.value(session.userId).value(roomId) <= nowMs())
        publishToRoom(
            roomId, protocol::eventFrame(MessageType::Typing,
                                         {{QStringLiteral("room"), roomName},
                                          {QStringLiteral("user"), session.principal.externalId}}));
}

void ChatService::markRead(const ConnectionRef &connection, const Session &session,
                           const protocol::ClientRequest &request)
{
    // The read position is the user's, stored: every connection's `rooms` shows it.
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 seq = request.integer(QLatin1StringView("message_id"));
    const qint64 userId = session.userId;
    m_database
        .run([=](QSqlDatabase &db) {
            const RoomAccess access =
                RoomAccess::check(db, roomName, userId, RoomUse::Read, nowMs());
            if (access.allowed())
                ChatRooms::markRead(db, access.room->id, userId, seq);
            return access;
        })
        .then(this,
              [this, connection, id = request.id, roomName, seq](const RoomAccess &access) {
                  if (!access.allowed())
                      return refuseAccess(connection, id, roomName, access);
                  m_outbox->send(connection,
                                 protocol::ackFrame(id, {{QStringLiteral("room"), roomName},
                                                         {QStringLiteral("message_id"), seq}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

void ChatService::leave(const ConnectionRef &connection, const Session &session,
                        const protocol::ClientRequest &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 userId = session.userId;
    m_database
        .run([=](QSqlDatabase &db) -> qint64 {
            const std::optional<RoomInfo> room = ChatRooms::findRoom(db, roomName);
            return room && ChatRooms::leave(db, room->id, userId) ? room->id : 0;
        })
        .then(this,
              [this, connection, id = request.id, roomName, userId](qint64 roomId) {
                  if (roomId == 0)
                      return fail(connection, id, ErrorCode::NotFound,
                                  QStringLiteral("not a member of \"%1\"").arg(roomName));
                  m_memberships.remove(userId, roomId);
                  for (const ConnectionRef &other : m_userConnections.value(userId))
                      m_outbox->unsubscribe(other, roomId);
                  m_outbox->send(connection,
                                 protocol::ackFrame(id, {{QStringLiteral("room"), roomName}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

void ChatService::listRooms(const ConnectionRef &connection, const Session &session,
                            const protocol::ClientRequest &request)
{
    const qint64 userId = session.userId;
    m_database
        .run([=](QSqlDatabase &db) {
            QJsonArray rooms;
            for (const MemberRoom &membership : ChatRooms::roomsOf(db, userId)) {
                QJsonObject room = roomJson(membership.room);
                room.insert(QStringLiteral("unread"), membership.unread);
                room.insert(QStringLiteral("role"), membership.role);
                rooms.append(room);
            }
            return rooms;
        })
        .then(this,
              [this, connection, id = request.id](const QJsonArray &rooms) {
                  m_outbox->send(connection,
                                 protocol::ackFrame(id, {{QStringLiteral("rooms"), rooms}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

void ChatService::members(const ConnectionRef &connection, const Session &session,
                          const protocol::ClientRequest &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 userId = session.userId;
    m_database
        .run([=](QSqlDatabase &db) {
            std::pair<RoomAccess, QList<Member>> result{
                RoomAccess::check(db, roomName, userId, RoomUse::Read, nowMs()), {}};
            if (result.first.allowed())
                result.second = ChatRooms::members(db, result.first.room->id);
            return result;
        })
        .then(this,
              [this, connection, id = request.id,
               roomName](const std::pair<RoomAccess, QList<Member>> &result) {
                  if (!result.first.allowed())
                      return refuseAccess(connection, id, roomName, result.first);
                  QJsonArray list;
                  for (const Member &member : result.second)
                      list.append(QJsonObject{
                          {QStringLiteral("user"), member.name},
                          {QStringLiteral("name"), member.displayName},
                          {QStringLiteral("role"), member.role},
                          {QStringLiteral("online"), m_userConnections.contains(member.userId)}});
                  m_outbox->send(connection,
                                 protocol::ackFrame(id, {{QStringLiteral("room"), roomName},
                                                         {QStringLiteral("members"), list}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

void ChatService::edit(const ConnectionRef &connection, const Session &session,
                       const protocol::ClientRequest &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 seq = request.integer(QLatin1StringView("message_id"));
    Content content;
    content.text = request.string(QLatin1StringView("body"));
    const qint64 userId = session.userId;
    const qint64 editedAt = nowMs();
    const bool e2eRequired = m_options.e2eRequired;
    const bool globalModerator = isGlobalModerator(session.principal);
    auto cipher = m_cipher;
    m_database
        .run([=](QSqlDatabase &db) {
            // The rules of send: an edit is a new text in the room.
            EditOutcome outcome{RoomAccess::check(db, roomName, userId, RoomUse::Write, editedAt)};
            if (!outcome.access.allowed())
                return outcome;
            const RoomInfo &room = *outcome.access.room;
            if (room.locked) {
                outcome.refusal = QStringLiteral("room \"%1\" is locked").arg(roomName);
                return outcome;
            }
            if (room.e2e && e2eRequired) {
                outcome.refusal =
                    QStringLiteral("room \"%1\" is end-to-end encrypted: send ciphertext")
                        .arg(roomName);
                return outcome;
            }
            storage::Transaction tx(db);
            outcome.retryAfterMs = takeSlowModeTurn(db, room, userId, globalModerator, editedAt);
            if (outcome.retryAfterMs > 0)
                return outcome;
            outcome.result =
                ChatMessages::editMessage(db, *cipher, room.id, seq, userId, content, editedAt);
            if (outcome.result == ChangeResult::Ok)
                tx.commit(); // else the slow-mode turn is given back
            return outcome;
        })
        .then(this,
              [this, connection, id = request.id, roomName, seq, content, editedAt,
               sender = session.principal.externalId](const EditOutcome &outcome) {
                  if (!outcome.access.allowed())
                      return refuseAccess(connection, id, roomName, outcome.access);
                  if (!outcome.refusal.isEmpty())
                      return fail(connection, id, ErrorCode::Forbidden, outcome.refusal);
                  if (outcome.retryAfterMs > 0)
                      return fail(connection, id, ErrorCode::RateLimited,
                                  QStringLiteral("slow mode: one message per %1 s")
                                      .arg(outcome.access.room->slowModeS),
                                  {{QStringLiteral("retry_after_ms"), outcome.retryAfterMs}});
                  if (outcome.result != ChangeResult::Ok)
                      return fail(connection, id, changeCode(outcome.result),
                                  changeError(outcome.result));
                  publishToRoom(outcome.access.room->id,
                                protocol::eventFrame(MessageType::Edited,
                                                     {{QStringLiteral("room"), roomName},
                                                      {QStringLiteral("message_id"), seq},
                                                      {QStringLiteral("sender"), sender},
                                                      {QStringLiteral("body"), content.text},
                                                      {QStringLiteral("edited_at"), editedAt}}));
                  m_outbox->send(connection,
                                 protocol::ackFrame(id, {{QStringLiteral("room"), roomName},
                                                         {QStringLiteral("message_id"), seq},
                                                         {QStringLiteral("edited_at"), editedAt}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

void ChatService::remove(const Principal &actor, qint64 actorId, const Request &request,
                         const AnswerTo &answer)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 seq = request.integer(QLatin1StringView("message_id"));
    const QString reason = request.string(QLatin1StringView("reason"));
    const qint64 userId = actorId;
    const bool globalModerator = isGlobalModerator(actor);
    m_database
        .run([=](QSqlDatabase &db) {
            DeleteOutcome outcome;
            const std::optional<RoomInfo> room = ChatRooms::findRoom(db, roomName);
            const auto author = room ? ChatMessages::senderOf(db, room->id, seq) : std::nullopt;
            if (!author)
                return outcome;
            outcome.roomId = room->id;
            // Someone else's message: a moderation action, audited with the delete.
            outcome.moderated = author->first != userId;
            outcome.author = author->second;
            const bool moderator = outcome.moderated && moderation::ModerationService::canModerate(
                                                            db, room->id, userId, globalModerator);
            const qint64 now = nowMs();
            storage::Transaction tx(db);
            outcome.result = ChatMessages::deleteMessage(db, room->id, seq, userId, moderator, now);
            if (outcome.result != ChangeResult::Ok)
                return outcome;
            if (outcome.moderated)
                moderation::ModerationService::recordDelete(db, userId, author->first, room->id,
                                                            seq, reason, now);
            tx.commit();
            return outcome;
        })
        .then(this,
              [this, answer, roomName, seq, reason,
               actor = actor.externalId](const DeleteOutcome &outcome) {
                  if (outcome.result != ChangeResult::Ok)
                      return answer(ChatAnswer::failed(changeCode(outcome.result),
                                                       changeError(outcome.result)));
                  publishToRoom(outcome.roomId,
                                protocol::eventFrame(MessageType::Deleted,
                                                     {{QStringLiteral("room"), roomName},
                                                      {QStringLiteral("message_id"), seq}}));
                  if (outcome.moderated) {
                      const QString action = protocol::messageTypeName(MessageType::Delete);
                      m_metrics.moderationActions.labels({action}).inc();
                      QJsonObject event{{QStringLiteral("action"), action},
                                        {QStringLiteral("by"), actor},
                                        {QStringLiteral("room"), roomName},
                                        {QStringLiteral("user"), outcome.author},
                                        {QStringLiteral("message_id"), seq}};
                      if (!reason.isEmpty())
                          event.insert(QStringLiteral("reason"), reason);
                      notifyModerators(protocol::eventFrame(MessageType::ModerationEvent, event),
                                       outcome.roomId);
                  }
                  answer(ChatAnswer::ok(
                      {{QStringLiteral("room"), roomName}, {QStringLiteral("message_id"), seq}}));
              })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

void ChatService::react(const ConnectionRef &connection, const Session &session,
                        const protocol::ClientRequest &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const qint64 seq = request.integer(QLatin1StringView("message_id"));
    const QString emoji = request.string(QLatin1StringView("emoji"));
    const bool add = !request.boolean(QLatin1StringView("remove"));
    const qint64 userId = session.userId;
    m_database
        .run([=](QSqlDatabase &db) {
            const qint64 now = nowMs();
            std::pair<RoomAccess, ChangeResult> result{
                RoomAccess::check(db, roomName, userId, RoomUse::Write, now), ChangeResult::Ok};
            if (result.first.allowed())
                result.second =
                    ChatMessages::react(db, result.first.room->id, seq, userId, emoji, add, now);
            return result;
        })
        .then(this,
              [this, connection, id = request.id, roomName, seq, emoji, add,
               user = session.principal.externalId](
                  const std::pair<RoomAccess, ChangeResult> &result) {
                  if (!result.first.allowed())
                      return refuseAccess(connection, id, roomName, result.first);
                  if (result.second != ChangeResult::Ok)
                      return fail(connection, id, changeCode(result.second),
                                  changeError(result.second));
                  publishToRoom(result.first.room->id,
                                protocol::eventFrame(MessageType::Reaction,
                                                     {{QStringLiteral("room"), roomName},
                                                      {QStringLiteral("message_id"), seq},
                                                      {QStringLiteral("user"), user},
                                                      {QStringLiteral("emoji"), emoji},
                                                      {QStringLiteral("removed"), !add}}));
                  m_outbox->send(connection,
                                 protocol::ackFrame(id, {{QStringLiteral("room"), roomName},
                                                         {QStringLiteral("message_id"), seq}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

} // namespace veza::chat
