#pragma once

#include "moderation/ServerBans.h"
#include "storage/GroupCommitQueue.h"

#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace veza::chat {

// Who opens a chat session, as the token says.
struct SessionOpenRequest
{
    QString externalId;
    QString name;
    QStringList roles;
};

// A room the user is a member of, heard from `lastSeq` on.
struct OpenedRoom
{
    qint64 roomId = 0;
    QString name;
    qint64 lastSeq = 0;
};

// What opening a session found: the user, its rooms, or a server-wide ban. userId 0 and no
// ban: the database did not answer.
struct SessionOpening
{
    qint64 userId = 0;
    QList<OpenedRoom> rooms;
    std::optional<moderation::ServerBans::Ban> serverBan;
    QHash<qint64, qint64> mutedUntil; // room -> the end of the user's timeout there
    QList<qint64> moderatedRooms;     // by grant
};

// SessionOpenBatch: a group commit of session opens (GroupCommitQueue), one transaction for all
// of them, on a Database worker. Each open makes sure of the user's row, records when it was
// seen, and reads its server ban, the rooms it moderates and the rooms it hears with its
// sanctions there. Opens come in bursts (a deploy, a load balancer moving thousands of
// clients at once); one commit each was what a burst waited for on PostgreSQL.
class SessionOpenBatch
{
public:
    using Result = storage::GroupCommitResult<SessionOpening>;

    static Result commit(QSqlDatabase &db, QList<SessionOpenRequest> requests);
};

} // namespace veza::chat
