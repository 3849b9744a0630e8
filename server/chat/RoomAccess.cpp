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
