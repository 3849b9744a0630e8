#pragma once

#include "chat/ChatTypes.h"
#include "moderation/ModerationStore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
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

    // Takes one row of read()'s columns (0-7 the room as ChatRooms::RoomColumns, NULL when
    // there is no such room; 8 member; 9 room moderator; 10-12 a sanction's kind, until_ms and
    // room_id, NULL without): every row repeats the room, one row per sanction in force.
    void addRow(const QSqlQuery &q);
};

} // namespace veza::chat
