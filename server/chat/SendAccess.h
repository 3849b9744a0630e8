#pragma once

#include "chat/ChatTypes.h"
#include "moderation/ModerationStore.h"

#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace veza::chat {

// What a sender may do in a room, read in one statement: the room, the sender's membership,
// moderation grant of the room and the strongest sanction in force (room or server-wide). A
// `send` used to ask each in a statement of its own; in a group commit every statement a
// message costs is paid on the one connection all the batch's messages share.
// Runs inside a Database::run job, on the worker's connection.
struct SendAccess
{
    std::optional<RoomInfo> room; // empty: no room of that name
    bool member = false;
    bool roomModerator = false; // granted moderation of this room
    moderation::SanctionState sanction;

    static SendAccess read(QSqlDatabase &db, const QString &roomName, qint64 userId, qint64 nowMs);
};

} // namespace veza::chat
