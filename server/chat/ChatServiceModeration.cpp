// ChatService: moderation by people — timeout, ban and unban (room or global), slow mode,
// lock, purge. Each action is checked (room or global moderator), written with its audit row
// by ModerationStore, broadcast to the moderators online and made visible in the room.
// Same thread and rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "chat/ModerationStore.h"
#include "protocol/ServerFrames.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonArray>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcChat)

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using protocol::MessageType;
using namespace detail;

// Close code for the connections of a user banned from the whole server.
constexpr int kCloseBanned = 4403;

struct ModerationOutcome
{
    enum class Status { Done, NoRoom, NoUser, Forbidden, NothingToUndo } status = Status::Done;
    std::optional<RoomInfo> room;
    qint64 targetId = 0;
    QList<qint64> purged;
};

} // namespace

bool ChatService::isGlobalModerator(const Principal &principal)
{
    return principal.roles.contains(QStringLiteral("moderator")) ||
           principal.roles.contains(QStringLiteral("admin"));
}

void ChatService::notifyModerators(const QByteArray &frame)
{
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        if (isGlobalModerator(it->principal))
            m_outbox->send(it.key(), frame);
    }
}

void ChatService::moderate(const ConnectionRef &connection, const Session &session,
                           const Request &request)
{
    const MessageType type = request.type;
    const QString roomName = request.string(QLatin1StringView("room"));
    const QString target = request.string(QLatin1StringView("user"));
    const QString reason = request.string(QLatin1StringView("reason"));
    const qint64 seconds = request.integer(QLatin1StringView("seconds"), 0);
    const qint64 minutes = request.integer(QLatin1StringView("minutes"), 0);
    const bool locked = request.boolean(QLatin1StringView("locked"));
    const qint64 actorId = session.userId;
    const bool globalModerator = isGlobalModerator(session.principal);
    if (roomName.isEmpty() && !globalModerator) // a server-wide ban is for global moderators
        return fail(connection, request.id, ErrorCode::Forbidden,
                    QStringLiteral("a global action needs the moderator role"));

    m_database
        .run([=](QSqlDatabase &db) {
            ModerationOutcome outcome;
            const qint64 now = nowMs();
            if (!roomName.isEmpty()) {
                outcome.room = ChatRooms::findRoom(db, roomName);
                if (!outcome.room) {
                    outcome.status = ModerationOutcome::Status::NoRoom;
                    return outcome;
                }
            }
            const std::optional<qint64> roomId =
                outcome.room ? std::optional(outcome.room->id) : std::nullopt;
            if (!globalModerator &&
                !(roomId && ModerationStore::isRoomModerator(db, *roomId, actorId))) {
                outcome.status = ModerationOutcome::Status::Forbidden;
                return outcome;
            }
            if (!target.isEmpty()) {
                const std::optional<qint64> targetId = ChatRooms::findUser(db, target);
                if (!targetId) {
                    outcome.status = ModerationOutcome::Status::NoUser;
                    return outcome;
                }
                outcome.targetId = *targetId;
            }
            ModerationAction audit{
                0,   actorId,     ModerationActionType::SlowMode, std::nullopt, roomId, reason,
                now, std::nullopt};
            switch (type) {
            case MessageType::Timeout:
                ModerationStore::timeout(db, *roomId, outcome.targetId, now + seconds * 1000,
                                         actorId, reason, now);
                break;
            case MessageType::Ban:
                ModerationStore::ban(db, roomId, outcome.targetId,
                                     seconds > 0 ? std::optional(now + seconds * 1000)
                                                 : std::nullopt,
                                     actorId, reason, now);
                break;
            case MessageType::Unban:
                if (!ModerationStore::unban(db, roomId, outcome.targetId, actorId, reason, now))
                    outcome.status = ModerationOutcome::Status::NothingToUndo;
                break;
            case MessageType::SlowMode:
                ChatRooms::setSlowMode(db, *roomId, int(std::min<qint64>(seconds, 86400)));
                ModerationStore::recordAction(db, audit);
                break;
            case MessageType::Lock:
                ChatRooms::setLocked(db, *roomId, locked);
                audit.action = locked ? ModerationActionType::Lock : ModerationActionType::Unlock;
                ModerationStore::recordAction(db, audit);
                break;
            case MessageType::Purge:
                outcome.purged = ChatMessages::purgeBySender(db, *roomId, outcome.targetId,
                                                             now - minutes * 60000, now);
                audit.action = ModerationActionType::Purge;
                audit.targetUserId = outcome.targetId;
                ModerationStore::recordAction(db, audit);
                break;
            default:
                break;
            }
            if (outcome.room)
                outcome.room = ChatRooms::room(db, outcome.room->id); // the state after the action
            return outcome;
        })
        .then(this,
              [this, connection, id = request.id, type, roomName, target, reason, seconds,
               actor = session.principal.externalId](const ModerationOutcome &outcome) {
                  const QString action = protocol::messageTypeName(type);
                  switch (outcome.status) {
                  case ModerationOutcome::Status::NoRoom:
                      return fail(connection, id, ErrorCode::NotFound,
                                  QStringLiteral("no room \"%1\"").arg(roomName));
                  case ModerationOutcome::Status::NoUser:
                      return fail(connection, id, ErrorCode::NotFound,
                                  QStringLiteral("no user \"%1\"").arg(target));
                  case ModerationOutcome::Status::NothingToUndo:
                      return fail(connection, id, ErrorCode::NotFound,
                                  QStringLiteral("\"%1\" is not banned here").arg(target));
                  case ModerationOutcome::Status::Forbidden:
                      qCWarning(lcChat).noquote()
                          << "refused moderation attempt:" << actor << action << "in" << roomName;
                      return fail(connection, id, ErrorCode::Forbidden,
                                  QStringLiteral("moderators only"));
                  case ModerationOutcome::Status::Done:
                      break;
                  }
                  m_metrics.moderationActions.labels({action}).inc();
                  QJsonObject event{{QStringLiteral("action"), action},
                                    {QStringLiteral("by"), actor}};
                  if (!roomName.isEmpty())
                      event.insert(QStringLiteral("room"), roomName);
                  if (!target.isEmpty())
                      event.insert(QStringLiteral("user"), target);
                  if (!reason.isEmpty())
                      event.insert(QStringLiteral("reason"), reason);
                  if (seconds > 0)
                      event.insert(QStringLiteral("seconds"), seconds);
                  const QByteArray frame =
                      protocol::eventFrame(MessageType::ModerationEvent, event);
                  notifyModerators(frame);

                  const QList<ConnectionRef> targetConnections =
                      m_userConnections.value(outcome.targetId);
                  if (type == MessageType::Ban || type == MessageType::Timeout) {
                      for (const ConnectionRef &targetConnection : targetConnections)
                          m_outbox->send(targetConnection, frame);
                  }
                  if (type == MessageType::Ban && outcome.room) {
                      // Dropped from the room now; the sanction refuses sends and joins after.
                      m_userRooms[outcome.targetId].remove(outcome.room->id);
                      for (const ConnectionRef &targetConnection : targetConnections)
                          m_outbox->unsubscribe(targetConnection, outcome.room->id);
                  } else if (type == MessageType::Ban) {
                      for (const ConnectionRef &targetConnection : targetConnections)
                          m_outbox->close(targetConnection, kCloseBanned, QStringLiteral("banned"));
                  }
                  if (outcome.room) {
                      for (qint64 seq : outcome.purged)
                          m_outbox->publish(
                              outcome.room->id,
                              protocol::eventFrame(MessageType::Deleted,
                                                   {{QStringLiteral("room"), roomName},
                                                    {QStringLiteral("message_id"), seq}}));
                      if (type == MessageType::SlowMode || type == MessageType::Lock)
                          m_outbox->publish(outcome.room->id,
                                            protocol::eventFrame(MessageType::RoomState,
                                                                 roomJson(*outcome.room)));
                  }
                  QJsonObject ack{{QStringLiteral("action"), action}};
                  if (type == MessageType::Purge)
                      ack.insert(QStringLiteral("deleted"), qint64(outcome.purged.size()));
                  m_outbox->send(connection, protocol::ackFrame(id, ack));
              })
        .onFailed(this, [this, connection, id = request.id] {
            fail(connection, id, ErrorCode::Internal, QStringLiteral("retry"));
        });
}

} // namespace veza::chat
