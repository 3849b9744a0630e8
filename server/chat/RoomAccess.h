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

// Slow mode's turn for a post (a send or an edit) in `room`: 0 when the member may post now
// (slow mode off, a moderator of the room, or the interval since their last post is over: the
// post's time is then recorded), else the wait in ms. Inside the post's transaction, so the turn
// is given back if the post does not commit.
qint64 takeSlowModeTurn(QSqlDatabase &db, const RoomInfo &room, qint64 userId, bool globalModerator,
                        qint64 nowMs);

} // namespace veza::chat
