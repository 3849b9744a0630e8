#pragma once

#include "chat/ChatTypes.h"
#include "moderation/ModerationStore.h"

#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace veza::chat {

// What a request does in a room, which decides what a sanction forbids: a ban forbids both, a
// timeout only writing.
enum class RoomUse { Read, Write };

// Whether a user may use a room: it exists, the user is a member, and no sanction of the room
// (or the whole server) forbids the use. One rule for every request (history, members, edit,
// react, send...). Runs inside a Database::run job.
struct RoomAccess
{
    enum class Status { Allowed, NoRoom, NotMember, Banned, TimedOut } status = Status::Allowed;
    std::optional<RoomInfo> room;
    moderation::SanctionState sanction;

    static RoomAccess check(QSqlDatabase &db, const QString &roomName, qint64 userId, RoomUse use,
                            qint64 nowMs);
    bool allowed() const { return status == Status::Allowed; }
    // The error message for a refusal ("you are banned from \"lobby\"").
    QString refusal(const QString &roomName) const;
};

} // namespace veza::chat
