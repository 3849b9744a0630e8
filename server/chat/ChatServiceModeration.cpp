// ChatService: the moderation frames — timeout, ban and unban (room or global), slow mode,
// lock, purge, grant and revoke, and a private room's invite and kick. The moderation module checks
// and applies each action with its audit row (ModerationService); here its outcome becomes visible:
// broadcast to the moderators online, pushed to the target's connections, shown in the room. Same
// thread as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatService.h"
#include "moderation/ModerationService.h"
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

// The moderation module's name for what a frame asks.
moderation::ModerationActionType actionOf(MessageType type, bool locked)
{
    using moderation::ModerationActionType;
    switch (type) {
    case MessageType::Timeout:
        return ModerationActionType::Timeout;
    case MessageType::Ban:
        return ModerationActionType::Ban;
    case MessageType::Unban:
        return ModerationActionType::Unban;
    case MessageType::SlowMode:
        return ModerationActionType::SlowMode;
    case MessageType::Lock:
        return locked ? ModerationActionType::Lock : ModerationActionType::Unlock;
    case MessageType::Grant:
        return ModerationActionType::Grant;
    case MessageType::Revoke:
        return ModerationActionType::Revoke;
    case MessageType::Invite:
        return ModerationActionType::Invite;
    case MessageType::Kick:
        return ModerationActionType::Kick;
    default:
        return ModerationActionType::Purge;
    }
}

} // namespace

bool ChatService::isGlobalModerator(const Principal &principal)
{
    return principal.roles.contains(QStringLiteral("moderator")) ||
           principal.roles.contains(QStringLiteral("admin"));
}

void ChatService::notifyModerators(const QByteArray &frame, std::optional<qint64> roomId)
{
    if (m_moderatorEvents)
        m_moderatorEvents(frame);
    for (auto it = m_sessions.cbegin(); it != m_sessions.cend(); ++it) {
        if (isGlobalModerator(it->principal) ||
            (roomId && m_moderatedRooms.value(it->userId).contains(*roomId)))
            m_outbox->send(it.key(), frame);
    }
}

void ChatService::moderate(const Principal &actor, qint64 actorId, const Request &request,
                           const AnswerTo &answer)
{
    const MessageType type = request.type;
    const QString roomName = request.string(QLatin1StringView("room"));
    const QString target = request.string(QLatin1StringView("user"));
    const bool globalModerator = isGlobalModerator(actor);
    if (roomName.isEmpty() && !globalModerator) // a server-wide ban is for global moderators
        return answer(ChatAnswer::failed(
            ErrorCode::Forbidden, QStringLiteral("a global action needs the moderator role")));
    const bool locked = request.boolean(QLatin1StringView("locked"));
    const moderation::ModerationRequest asked{actionOf(type, locked),
                                              actorId,
                                              globalModerator,
                                              actor.roles.contains(QStringLiteral("admin")),
                                              roomName,
                                              target,
                                              request.string(QLatin1StringView("reason")),
                                              request.integer(QLatin1StringView("seconds"), 0),
                                              request.integer(QLatin1StringView("minutes"), 0)};

    m_database
        .run([asked](QSqlDatabase &db) {
            return moderation::ModerationService::apply(db, asked, nowMs());
        })
        .then(
            this,
            [this, answer, type, asked, locked,
             actorName = actor.externalId](const moderation::ModerationOutcome &outcome) {
                using Status = moderation::ModerationOutcome::Status;
                const QString action = protocol::messageTypeName(type);
                switch (outcome.status) {
                case Status::NoRoom:
                    return answer(ChatAnswer::failed(
                        ErrorCode::NotFound, QStringLiteral("no room \"%1\"").arg(asked.roomName)));
                case Status::NoUser:
                    return answer(
                        ChatAnswer::failed(ErrorCode::NotFound,
                                           QStringLiteral("no user \"%1\"").arg(asked.targetName)));
                case Status::NothingToUndo:
                    return answer(ChatAnswer::failed(
                        ErrorCode::NotFound,
                        (type == MessageType::Revoke
                             ? QStringLiteral("\"%1\" is not a moderator of \"%2\"")
                         : type == MessageType::Kick
                             ? QStringLiteral("\"%1\" is not a member of \"%2\"")
                             : QStringLiteral("\"%1\" is not banned here"))
                            .arg(asked.targetName, asked.roomName)));
                case Status::NotPrivate:
                    return answer(ChatAnswer::failed(
                        ErrorCode::BadRequest,
                        QStringLiteral("\"%1\" is not a private room: invite and kick are for "
                                       "private rooms (anyone may join a public room; a direct "
                                       "room keeps its pair)")
                            .arg(asked.roomName)));
                case Status::TargetIsOwner:
                    return answer(
                        ChatAnswer::failed(ErrorCode::Forbidden,
                                           QStringLiteral("\"%1\" owns \"%2\" and cannot be kicked")
                                               .arg(asked.targetName, asked.roomName)));
                case Status::TargetIsModerator:
                    return answer(ChatAnswer::failed(
                        ErrorCode::Conflict,
                        QStringLiteral("\"%1\" moderates \"%2\": revoke that first")
                            .arg(asked.targetName, asked.roomName)));
                case Status::TargetBanned:
                    return answer(ChatAnswer::failed(
                        ErrorCode::Conflict,
                        QStringLiteral("\"%1\" is banned from \"%2\": unban first")
                            .arg(asked.targetName, asked.roomName)));
                case Status::Forbidden:
                    qCWarning(lcChat).noquote() << "refused moderation attempt:" << actorName
                                                << action << "in" << asked.roomName;
                    return answer(ChatAnswer::failed(
                        ErrorCode::Forbidden,
                        type == MessageType::Invite || type == MessageType::Kick
                            ? QStringLiteral("the room's owner and moderators only")
                            : QStringLiteral("moderators only")));
                case Status::Done:
                    break;
                }
                QJsonObject ack{{QStringLiteral("action"), action}};
                if (outcome.unchanged) {
                    ack.insert(QStringLiteral("unchanged"), true);
                    return answer(ChatAnswer::ok(ack)); // nothing happened to announce
                }
                announceModeration(type, asked, locked, actorName, outcome);
                if (type == MessageType::Purge)
                    ack.insert(QStringLiteral("deleted"), qint64(outcome.purged.size()));
                answer(ChatAnswer::ok(ack));
            })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

void ChatService::announceModeration(MessageType type, const moderation::ModerationRequest &asked,
                                     bool locked, const QString &actorName,
                                     const moderation::ModerationOutcome &outcome)
{
    const QString action = protocol::messageTypeName(type);
    const QString &roomName = asked.roomName;
    const QString &target = asked.targetName;
    m_metrics.moderationActions.labels({action}).inc();
    QJsonObject event{{QStringLiteral("action"), action}, {QStringLiteral("by"), actorName}};
    if (!roomName.isEmpty())
        event.insert(QStringLiteral("room"), roomName);
    if (!target.isEmpty())
        event.insert(QStringLiteral("user"), target);
    if (!asked.reason.isEmpty())
        event.insert(QStringLiteral("reason"), asked.reason);
    // Every parameter of the action, as its audit row has them.
    if (asked.seconds > 0 || type == MessageType::SlowMode)
        event.insert(QStringLiteral("seconds"), asked.seconds);
    if (type == MessageType::Lock)
        event.insert(QStringLiteral("locked"), locked);
    if (type == MessageType::Purge) {
        event.insert(QStringLiteral("minutes"), asked.minutes);
        event.insert(QStringLiteral("deleted"), qint64(outcome.purged.size()));
    }
    const QByteArray frame = protocol::eventFrame(MessageType::ModerationEvent, event);
    ModerationNotice notice{type, frame, 0, {}, 0, outcome.targetId, target, outcome.untilMs};
    if (outcome.room) {
        notice.roomId = outcome.room->id;
        notice.roomName = outcome.room->name;
        notice.roomLastSeq = outcome.room->lastSeq;
    }
    applyToTarget(notice);
    if (m_relay)
        m_relay->tellModeration(notice);
    if (outcome.room) {
        for (qint64 seq : outcome.purged)
            publishToRoom(
                outcome.room->id,
                protocol::eventFrame(MessageType::Deleted, {{QStringLiteral("room"), roomName},
                                                            {QStringLiteral("message_id"), seq}}));
        if (type == MessageType::SlowMode || type == MessageType::Lock)
            publishToRoom(outcome.room->id,
                          protocol::eventFrame(MessageType::RoomState, roomJson(*outcome.room)));
    }
}

void ChatService::applyPeerModeration(const ModerationNotice &notice)
{
    applyToTarget(notice);
}

void ChatService::applyToTarget(const ModerationNotice &notice)
{
    const MessageType type = notice.type;
    const QByteArray &frame = notice.frame;
    const qint64 targetId = notice.targetId;
    const std::optional<qint64> roomId =
        notice.roomId != 0 ? std::optional(notice.roomId) : std::nullopt;
    if (type == MessageType::Grant && roomId && m_userConnections.contains(targetId))
        m_moderatedRooms[targetId].insert(*roomId); // hears this event already
    notifyModerators(frame, roomId);
    if (type == MessageType::Revoke && roomId) {
        // The former moderator learns it, and hears the room's moderation no more.
        m_moderatedRooms[targetId].remove(*roomId);
        for (const ConnectionRef &targetConnection : m_userConnections.value(targetId))
            m_outbox->send(targetConnection, frame);
    }

    if ((type == MessageType::Invite || type == MessageType::Kick) && roomId)
        return announceMembership(type, frame, *roomId, notice.roomName, notice.roomLastSeq,
                                  targetId);

    const QList<ConnectionRef> targetConnections = m_userConnections.value(targetId);
    if (type == MessageType::Ban || type == MessageType::Timeout) {
        for (const ConnectionRef &targetConnection : targetConnections)
            m_outbox->send(targetConnection, frame);
    }
    if (roomId && m_userConnections.contains(targetId)) {
        if (type == MessageType::Timeout)
            m_mutedUntil[targetId].insert(*roomId, notice.untilMs.value_or(0));
        else if (type == MessageType::Unban)
            m_mutedUntil[targetId].remove(*roomId);
    }
    if (type == MessageType::Ban && roomId) {
        // Dropped from the room now; the sanction refuses sends and joins after.
        m_memberships.remove(targetId, *roomId);
        for (const ConnectionRef &targetConnection : targetConnections)
            m_outbox->unsubscribe(targetConnection, *roomId);
    } else if (type == MessageType::Ban) {
        // Every endpoint refuses the user from now on, this one included.
        const moderation::ServerBans::Ban ban{notice.untilMs};
        if (m_serverBans)
            m_serverBans->set(notice.target, ban);
        for (const ConnectionRef &targetConnection : targetConnections)
            m_outbox->close(targetConnection, kCloseBanned, moderation::ServerBans::describe(ban));
    } else if (type == MessageType::Unban && !roomId && m_serverBans) {
        m_serverBans->lift(notice.target);
    }
}

void ChatService::announceMembership(MessageType type, const QByteArray &frame, qint64 roomId,
                                     const QString &roomName, qint64 roomLastSeq, qint64 targetId)
{
    const QList<ConnectionRef> connections = m_userConnections.value(targetId);
    // The target learns it, on each connection that did not hear it as a moderator's already.
    const bool roomModerator = m_moderatedRooms.value(targetId).contains(roomId);
    for (const ConnectionRef &connection : connections) {
        if (!roomModerator && !isGlobalModerator(m_sessions.value(connection).principal))
            m_outbox->send(connection, frame);
    }
    if (type == MessageType::Invite) {
        // Heard from now on by every connection of the new member, as a join does.
        seedLastPublished(roomId, roomLastSeq);
        subscribeUsers({targetId}, roomName, roomId);
        return;
    }
    // Kicked: out of the room at once, as a room ban does; the membership is gone, so nothing
    // of the room is served after (nor heard by a connection still settling).
    m_memberships.remove(targetId, roomId);
    for (const ConnectionRef &connection : connections) {
        m_outbox->unsubscribe(connection, roomId);
        auto session = m_sessions.find(connection);
        if (session != m_sessions.end())
            session->unsettled.removeIf(
                [roomId](const PendingRoom &pending) { return pending.roomId == roomId; });
    }
}

} // namespace veza::chat
