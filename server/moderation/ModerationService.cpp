#include "moderation/ModerationService.h"

#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "storage/Transaction.h"

#include <algorithm>

namespace veza::moderation {

namespace {

using Status = ModerationOutcome::Status;

constexpr qint64 kMaxSlowModeS = 86400;

// The change itself, inside the caller's transaction; records its audit row there too.
void change(QSqlDatabase &db, const ModerationRequest &request, ModerationOutcome &outcome,
            std::optional<qint64> roomId, qint64 nowMs)
{
    ModerationAction audit{0,      request.actorId, request.action, std::nullopt,
                           roomId, request.reason,  nowMs,          std::nullopt};
    switch (request.action) {
    case ModerationActionType::Timeout:
        outcome.untilMs = nowMs + request.seconds * 1000;
        ModerationStore::timeout(db, *roomId, outcome.targetId, *outcome.untilMs, request.actorId,
                                 request.reason, nowMs);
        break;
    case ModerationActionType::Ban:
        if (request.seconds > 0)
            outcome.untilMs = nowMs + request.seconds * 1000;
        ModerationStore::ban(db, roomId, outcome.targetId, outcome.untilMs, request.actorId,
                             request.reason, nowMs);
        break;
    case ModerationActionType::Unban:
        if (!ModerationStore::unban(db, roomId, outcome.targetId, request.actorId, request.reason,
                                    nowMs))
            outcome.status = Status::NothingToUndo;
        break;
    case ModerationActionType::SlowMode: {
        const int seconds = int(std::clamp<qint64>(request.seconds, 0, kMaxSlowModeS));
        chat::ChatRooms::setSlowMode(db, *roomId, seconds);
        audit.params = {{QStringLiteral("seconds"), seconds}};
        ModerationStore::recordAction(db, audit);
        break;
    }
    case ModerationActionType::Lock:
    case ModerationActionType::Unlock: {
        const bool locked = request.action == ModerationActionType::Lock;
        chat::ChatRooms::setLocked(db, *roomId, locked);
        audit.params = {{QStringLiteral("locked"), locked}};
        ModerationStore::recordAction(db, audit);
        break;
    }
    case ModerationActionType::Purge:
        outcome.purged = chat::ChatMessages::purgeBySender(db, *roomId, outcome.targetId,
                                                           nowMs - request.minutes * 60000, nowMs);
        audit.targetUserId = outcome.targetId;
        audit.params = {{QStringLiteral("minutes"), request.minutes},
                        {QStringLiteral("deleted"), qint64(outcome.purged.size())}};
        ModerationStore::recordAction(db, audit);
        break;
    case ModerationActionType::Grant:
        // Already a moderator: changesNothing() answered it.
        ModerationStore::grantModerator(db, *roomId, outcome.targetId, request.actorId, nowMs,
                                        request.reason);
        break;
    case ModerationActionType::Revoke:
        if (!ModerationStore::revokeModerator(db, *roomId, outcome.targetId, request.actorId, nowMs,
                                              request.reason))
            outcome.status = Status::NothingToUndo;
        break;
    case ModerationActionType::Invite:
        // Already a member: changesNothing() answered it.
        chat::ChatRooms::join(db, *roomId, outcome.targetId, nowMs);
        audit.targetUserId = outcome.targetId;
        ModerationStore::recordAction(db, audit);
        break;
    case ModerationActionType::Kick:
        if (!chat::ChatRooms::leave(db, *roomId, outcome.targetId)) {
            outcome.status = Status::NothingToUndo;
            break;
        }
        audit.targetUserId = outcome.targetId;
        ModerationStore::recordAction(db, audit);
        break;
    case ModerationActionType::Delete:
    case ModerationActionType::View:
    case ModerationActionType::CutSource:
    case ModerationActionType::EndStream:
    case ModerationActionType::KickListener:
        break; // ChatService's delete (recordDelete) and reads (recordView)
    }
}

// Whether the action would leave everything as it is (then it is answered, not applied).
bool changesNothing(QSqlDatabase &db, const ModerationRequest &request,
                    const ModerationOutcome &outcome, std::optional<qint64> roomId, qint64 nowMs)
{
    switch (request.action) {
    case ModerationActionType::Ban:
    case ModerationActionType::Timeout: {
        const bool ban = request.action == ModerationActionType::Ban;
        const std::optional<SanctionState> current = ModerationStore::sanctionInScope(
            db, roomId, outcome.targetId,
            ban ? SanctionState::Kind::Banned : SanctionState::Kind::Timeout, nowMs);
        const std::optional<qint64> until = request.seconds > 0 || !ban
                                                ? std::optional(nowMs + request.seconds * 1000)
                                                : std::nullopt;
        const auto second = [](const std::optional<qint64> &ms) {
            return ms ? std::optional(*ms / 1000) : std::nullopt;
        };
        return current && second(current->untilMs) == second(until);
    }
    case ModerationActionType::SlowMode:
        return outcome.room->slowModeS == std::clamp<qint64>(request.seconds, 0, kMaxSlowModeS);
    case ModerationActionType::Lock:
    case ModerationActionType::Unlock:
        return outcome.room->locked == (request.action == ModerationActionType::Lock);
    case ModerationActionType::Grant:
        return ModerationStore::isRoomModerator(db, *roomId, outcome.targetId);
    case ModerationActionType::Invite:
        return chat::ChatRooms::isMember(db, *roomId, outcome.targetId);
    default:
        return false;
    }
}

// Why the target cannot be invited or kicked, if it cannot: a kick needs a member. A kicked room
// moderator could invite themselves back, and a room moderator kicking another would take away what
// only a grant's giver may: so a moderator of the room is revoked before being kicked. A banned
// user is not made a member (their connections would hear the room).
std::optional<Status> refusalForTarget(QSqlDatabase &db, const ModerationRequest &request,
                                       qint64 roomId, qint64 targetId, qint64 nowMs)
{
    if (request.action == ModerationActionType::Kick) {
        if (!chat::ChatRooms::isMember(db, roomId, targetId))
            return Status::NothingToUndo;
        if (chat::ChatRooms::isOwner(db, roomId, targetId))
            return Status::TargetIsOwner;
        if (ModerationStore::isRoomModerator(db, roomId, targetId))
            return Status::TargetIsModerator;
    } else if (request.action == ModerationActionType::Invite &&
               ModerationStore::activeSanction(db, roomId, targetId, nowMs).kind ==
                   SanctionState::Kind::Banned &&
               !chat::ChatRooms::isMember(db, roomId, targetId)) {
        return Status::TargetBanned;
    }
    return std::nullopt;
}

bool isMembership(ModerationActionType action)
{
    return action == ModerationActionType::Invite || action == ModerationActionType::Kick;
}

} // namespace

ModerationOutcome ModerationService::apply(QSqlDatabase &db, const ModerationRequest &request,
                                           qint64 nowMs)
{
    ModerationOutcome outcome;
    if (!request.roomName.isEmpty()) {
        outcome.room = chat::ChatRooms::findRoom(db, request.roomName);
        if (!outcome.room) {
            // Only a global moderator learns that a room does not exist.
            outcome.status = request.actorIsGlobalModerator ? Status::NoRoom : Status::Forbidden;
            return outcome;
        }
    } else if (!request.actorIsGlobalModerator) {
        outcome.status = Status::Forbidden; // a server-wide action is for global moderators
        return outcome;
    }
    const std::optional<qint64> roomId =
        outcome.room ? std::optional(outcome.room->id) : std::nullopt;
    const bool grants = request.action == ModerationActionType::Grant ||
                        request.action == ModerationActionType::Revoke;
    const bool membership = isMembership(request.action);
    bool allowed = false;
    if (grants)
        allowed = request.actorIsAdmin || chat::ChatRooms::isOwner(db, *roomId, request.actorId);
    else if (membership)
        allowed = canModerate(db, *roomId, request.actorId, request.actorIsGlobalModerator) ||
                  chat::ChatRooms::isOwner(db, *roomId, request.actorId);
    else
        allowed =
            !roomId || canModerate(db, *roomId, request.actorId, request.actorIsGlobalModerator);
    if (!allowed) {
        outcome.status = Status::Forbidden;
        return outcome;
    }
    if (membership && outcome.room->kind != chat::RoomKind::Private) {
        outcome.status = Status::NotPrivate;
        return outcome;
    }
    if (request.action == ModerationActionType::Invite) {
        // As create_room's members: a user never seen yet finds the room at their first visit.
        outcome.targetId = chat::ChatRooms::ensureUser(db, request.targetName, QString(), nowMs);
    } else if (!request.targetName.isEmpty()) {
        const std::optional<qint64> targetId = chat::ChatRooms::findUser(db, request.targetName);
        if (!targetId) {
            outcome.status = Status::NoUser;
            return outcome;
        }
        outcome.targetId = *targetId;
    }
    storage::Transaction tx(db);
    if (membership) {
        if (const auto refusal = refusalForTarget(db, request, *roomId, outcome.targetId, nowMs)) {
            outcome.status = *refusal;
            return outcome;
        }
    }
    if (changesNothing(db, request, outcome, roomId, nowMs)) {
        outcome.unchanged = true;
        return outcome;
    }
    change(db, request, outcome, roomId, nowMs);
    tx.commit();
    if (outcome.room)
        outcome.room = chat::ChatRooms::room(db, outcome.room->id); // the state after the action
    return outcome;
}

void ModerationService::recordDelete(QSqlDatabase &db, qint64 actorId, qint64 authorId,
                                     qint64 roomId, qint64 seq, const QString &reason, qint64 nowMs)
{
    ModerationStore::recordAction(db, ModerationAction{0,
                                                       actorId,
                                                       ModerationActionType::Delete,
                                                       authorId,
                                                       roomId,
                                                       reason,
                                                       nowMs,
                                                       std::nullopt,
                                                       {{QStringLiteral("message_id"), seq}}});
}

QList<qint64> ModerationService::roomsModeratedBy(QSqlDatabase &db, qint64 userId)
{
    return ModerationStore::roomsModeratedBy(db, userId);
}

void ModerationService::recordView(QSqlDatabase &db, qint64 actorId, qint64 roomId, qint64 nowMs)
{
    ModerationStore::recordAction(db, ModerationAction{0, actorId, ModerationActionType::View,
                                                       std::nullopt, roomId, QString(), nowMs,
                                                       std::nullopt});
}

bool ModerationService::canModerate(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                    bool globalModerator)
{
    return globalModerator || ModerationStore::isRoomModerator(db, roomId, userId);
}

std::optional<ServerBans::Ban> ModerationService::serverBanOf(QSqlDatabase &db, qint64 userId,
                                                              qint64 nowMs)
{
    // Room ids start at 1: room 0 matches the server-wide sanctions only.
    const SanctionState state = ModerationStore::activeSanction(db, 0, userId, nowMs);
    if (state.kind != SanctionState::Kind::Banned)
        return std::nullopt;
    return ServerBans::Ban{state.untilMs};
}

SanctionState ModerationService::sanctionOf(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                            qint64 nowMs)
{
    return ModerationStore::activeSanction(db, roomId, userId, nowMs);
}

} // namespace veza::moderation
