#include "chat/RoomAccess.h"

#include "chat/ChatRooms.h"
#include "moderation/ModerationService.h"

namespace veza::chat {

RoomAccess RoomAccess::check(QSqlDatabase &db, const QString &roomName, qint64 userId, RoomUse use,
                             qint64 nowMs)
{
    RoomAccess access;
    access.room = ChatRooms::findRoom(db, roomName);
    if (!access.room) {
        access.status = Status::NoRoom;
        return access;
    }
    if (!ChatRooms::isMember(db, access.room->id, userId)) {
        access.status = Status::NotMember;
        return access;
    }
    access.sanction = moderation::ModerationService::sanctionOf(db, access.room->id, userId, nowMs);
    using Kind = moderation::SanctionState::Kind;
    if (access.sanction.kind == Kind::Banned)
        access.status = Status::Banned;
    else if (access.sanction.kind == Kind::Timeout && use == RoomUse::Write)
        access.status = Status::TimedOut;
    return access;
}

qint64 takeSlowModeTurn(QSqlDatabase &db, const RoomInfo &room, qint64 userId, bool globalModerator,
                        qint64 nowMs)
{
    // Every post records its time, so slow mode switched on later counts from the last one.
    const qint64 intervalMs = qint64(room.slowModeS) * 1000;
    const bool exempt = intervalMs <= 0 || moderation::ModerationService::canModerate(
                                               db, room.id, userId, globalModerator);
    return ChatRooms::takeSlowModeTurn(db, room.id, userId, nowMs, exempt ? 0 : intervalMs);
}

QString RoomAccess::refusal(const QString &roomName) const
{
    switch (status) {
    case Status::NoRoom:
    case Status::NotMember:
        return QStringLiteral("no room \"%1\" among yours").arg(roomName);
    case Status::Banned:
        return QStringLiteral("you are banned from \"%1\"").arg(roomName);
    case Status::TimedOut:
        return QStringLiteral("you are timed out in \"%1\"").arg(roomName);
    case Status::Allowed:
        break;
    }
    return {};
}

} // namespace veza::chat
