#pragma once

#include "chat/ChatTypes.h"
#include "storage/GroupCommitQueue.h"

#include <QJsonArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace veza::crypto {
class MessageCipher;
}

namespace veza::chat {

// One `join` as the batch runs it.
struct JoinRequest
{
    QString roomName;
    qint64 userId = 0;
    int roomsPerHour = 0; // ROOMS_PER_USER_PER_HOUR for this user (0: no limit)
    int history = 0;      // messages sent back with the answer
};

// What became of one join. `answered` false: the database did not take it.
struct JoinOutcome
{
    bool answered = false;
    std::optional<RoomInfo> room; // empty: no such room (and not created)
    bool forbidden = false;
    bool joined = false;     // a member from now on, not before
    qint64 retryAfterMs = 0; // > 0: the room did not exist and over ROOMS_PER_USER_PER_HOUR
    QJsonArray messages;     // the room's latest, for the answer
};

// JoinBatch: a group commit of joins (GroupCommitQueue), one transaction for all of them, on a
// Database worker. Each join finds the room (a public room is created by its first join),
// checks the user may enter, makes the user a member and reads the room's latest messages.
// Joins come in bursts with session opens (SessionOpenBatch); one commit each was what a burst
// waited for on PostgreSQL.
class JoinBatch
{
public:
    using Result = storage::GroupCommitResult<JoinOutcome>;

    static Result commit(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                         QList<JoinRequest> requests);
};

} // namespace veza::chat
