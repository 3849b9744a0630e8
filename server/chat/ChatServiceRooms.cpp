// ChatService: rooms made on purpose — direct messages (a two-member private room per pair)
// and rooms created with a kind, topic, end-to-end flag and first members. Same thread and
// rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonArray>

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using namespace detail;

struct DirectOutcome
{
    RoomInfo room;
    qint64 recipientId = 0;
    bool joined = false; // the room was created, or a partner who had left is back
    StoredMessage stored;
};

struct CreateOutcome
{
    std::optional<RoomInfo> room;
    QList<qint64> memberIds;
    qint64 retryAfterMs = 0; // > 0: over ROOMS_PER_USER_PER_HOUR, nothing created
};

} // namespace

void ChatService::subscribeUsers(const QList<qint64> &userIds, const QString &roomName,
                                 qint64 roomId)
{
    for (qint64 userId : userIds) {
        const auto connections = m_userConnections.constFind(userId);
        if (connections == m_userConnections.cend())
            continue; // offline: its next connection hears the room (opened() reads its rooms)
        rememberMembership(userId, roomName, roomId);
        for (const ConnectionRef &connection : *connections)
            m_outbox->subscribe(connection, roomId);
    }
}

void ChatService::subscribeMembers(const NewMembers &members)
{
    subscribeUsers(members.userIds, members.roomName, members.roomId);
    if (m_relay)
        m_relay->tellNewMembers(members);
}

void ChatService::applyPeerMembers(const NewMembers &members)
{
    QList<qint64> online;
    for (qint64 userId : members.userIds) {
        if (m_userConnections.contains(userId))
            online.append(userId);
    }
    if (online.isEmpty())
        return; // their next connection here reads their rooms
    seedLastPublished(members.roomId, members.lastSeq);
    subscribeUsers(online, members.roomName, members.roomId);
    // The room's channel is subscribed only now: what the other instance published before
    // (the first direct message, say) is read from the database.
    catchUp(members.roomId);
}

void ChatService::directMessage(const ConnectionRef &connection, const Session &session,
                                const Pending &pending)
{
    const Request &request = pending.request;
    const QString to = request.string(QLatin1StringView("to"));
    if (to == session.principal.externalId)
        return fail(connection, request.id, ErrorCode::BadRequest,
                    QStringLiteral("a direct message needs another user"));
    NewMessage message;
    message.senderId = session.userId;
    message.clientMsgId = request.string(QLatin1StringView("client_msg_id"));
    message.content = contentOf(request);
    auto cipher = m_cipher;
    m_database
        .run([=](QSqlDatabase &db) mutable {
            DirectOutcome outcome;
            // A recipient never seen before gets a user row: the DM waits for them.
            outcome.recipientId = ChatRooms::ensureUser(db, to, QString(), nowMs());
            outcome.room = ChatRooms::directRoom(db, message.senderId, outcome.recipientId, nowMs(),
                                                 &outcome.joined);
            message.roomId = outcome.room.id;
            message.createdAtMs = nowMs();
            outcome.stored = *ChatMessages::appendMessage(db, *cipher, message);
            return outcome;
        })
        .then(this,
              [this, connection, id = request.id, message, session,
               receivedAtNs = pending.receivedAtNs](const DirectOutcome &outcome) {
                  const QList<qint64> pair{session.userId, outcome.recipientId};
                  if (outcome.joined)
                      subscribeMembers(
                          {outcome.room.id, outcome.room.name, outcome.stored.seq - 1, pair});
                  else
                      subscribeUsers(pair, outcome.room.name, outcome.room.id);
                  announceStored(connection, id, outcome.room.id, outcome.room.name, outcome.stored,
                                 message, session.principal, receivedAtNs);
              })
        .onFailed(this, [this, connection, id = request.id] {
            m_metrics.messages.labels({QStringLiteral("failed")}).inc();
            fail(connection, id, ErrorCode::Internal,
                 QStringLiteral("the message was not stored; retry with the same client_msg_id"));
        });
}

int ChatService::roomsPerHourOf(const Session &session) const
{
    return session.principal.roles.contains(QStringLiteral("admin")) ? 0 : m_options.roomsPerHour;
}

void ChatService::refuseRoomCreation(const ConnectionRef &connection, const QJsonValue &id,
                                     int perHour, qint64 retryAfterMs)
{
    fail(connection, id, ErrorCode::RateLimited,
         QStringLiteral("at most %1 new rooms an hour").arg(perHour),
         {{QStringLiteral("retry_after_ms"), retryAfterMs}});
}

void ChatService::createRoom(const ConnectionRef &connection, const Session &session,
                             const Request &request)
{
    const QString roomName = request.string(QLatin1StringView("room"));
    const QString kindName = request.has(QLatin1StringView("kind"))
                                 ? request.string(QLatin1StringView("kind"))
                                 : QStringLiteral("public");
    const std::optional<RoomKind> kind = roomKindFromName(kindName);
    if (!kind || *kind == RoomKind::Direct)
        return fail(connection, request.id, ErrorCode::BadRequest,
                    QStringLiteral("\"kind\" must be public or private"));
    const bool e2e = request.boolean(QLatin1StringView("e2e"));
    if (e2e && !m_options.e2eAllowed)
        return fail(connection, request.id, ErrorCode::Forbidden,
                    QStringLiteral("end-to-end rooms are disabled on this server"));
    QStringList members;
    for (const QJsonValue &member : request.fields.value(QLatin1StringView("members")).toArray()) {
        if (!member.isString() || member.toString().isEmpty() || member.toString().size() > 64)
            return fail(connection, request.id, ErrorCode::BadRequest,
                        QStringLiteral("\"members\" must be user ids"));
        members.append(member.toString());
    }
    const QString topic = request.string(QLatin1StringView("topic"));
    const qint64 creatorId = session.userId;
    const int perHour = roomsPerHourOf(session);
    m_database
        .run([=](QSqlDatabase &db) {
            CreateOutcome outcome;
            outcome.retryAfterMs = ChatRooms::creationWaitMs(db, creatorId, perHour, nowMs());
            if (outcome.retryAfterMs > 0)
                return outcome;
            outcome.room =
                ChatRooms::createRoom(db, roomName, *kind, topic, e2e, nowMs(), creatorId);
            if (!outcome.room)
                return outcome;
            ChatRooms::join(db, outcome.room->id, creatorId, nowMs(), QStringLiteral("owner"));
            outcome.memberIds.append(creatorId);
            for (const QString &member : members) {
                const qint64 memberId = ChatRooms::ensureUser(db, member, QString(), nowMs());
                ChatRooms::join(db, outcome.room->id, memberId, nowMs());
                outcome.memberIds.append(memberId);
            }
            return outcome;
        })
        .then(this,
              [this, connection, id = request.id, roomName, perHour](const CreateOutcome &outcome) {
                  if (outcome.retryAfterMs > 0)
                      return refuseRoomCreation(connection, id, perHour, outcome.retryAfterMs);
                  if (!outcome.room)
                      return fail(connection, id, ErrorCode::Conflict,
                                  QStringLiteral("room \"%1\" exists already").arg(roomName));
                  subscribeMembers({outcome.room->id, roomName, 0, outcome.memberIds});
                  m_outbox->send(connection, protocol::ackFrame(id, {{QStringLiteral("room"),
                                                                      roomJson(*outcome.room)}}));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

} // namespace veza::chat
