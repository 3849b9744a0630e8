#pragma once

#include "chat/ChatTypes.h"
#include "moderation/ModerationStore.h"
#include "storage/GroupCommitQueue.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace veza::crypto {
class MessageCipher;
}

namespace veza::chat {

class SendMemory;

// One `send` as the batch stores it: the room by name and the message, with what the sender's
// token says about them.
struct SendRequest
{
    QString roomName;
    NewMessage message; // roomId and createdAtMs are filled in by the batch
    bool globalModerator = false;
    bool e2eRequired = false; // E2E_ENCRYPTION=required: no plaintext in e2e rooms
};

// What became of one send: stored (or a duplicate, see StoredMessage), refused by a rule, or
// failed (the database did not take it; nothing of it was written).
struct SendOutcome
{
    enum class Status {
        Stored,
        NotFound,
        NotMember,
        Locked,
        PlaintextRefused,
        Sanctioned,
        SlowMode,
        Failed
    } status = Status::Failed;
    RoomInfo room;
    StoredMessage stored;
    moderation::SanctionState sanction;
    qint64 retryAfterMs = 0; // SlowMode: the wait until the sender's next turn
};

// SendBatch: a group commit of sends, on a Database worker (inside Database::run); the
// outcomes are returned in the order of the requests and are true once the function returns:
// everything stored is committed.
//
// On PostgreSQL the plain sends go first in one or two statements for the whole batch
// (SendBatchPostgres); what that leaves, and every send on SQLite (in-process: statements cost
// no round trip), goes the careful way: one transaction in which each send runs its checks in
// one statement (SendAccess), takes its slow-mode turn and appends its message. A send that
// fails there (a constraint, encryption) does not take the others down
// (storage::commitTogether): it alone is rolled back (its seq given back: seqs stay gap-free)
// and answered Failed, and the others commit together.
class SendBatch
{
public:
    using Result = storage::GroupCommitResult<SendOutcome>;

    // `memory` serves PostgreSQL's batches (SendBatchPostgres); one per stream of batches.
    static Result commit(QSqlDatabase &db, const crypto::MessageCipher &cipher, SendMemory &memory,
                         QList<SendRequest> requests);

private:
    static Result commitCarefully(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                  QList<SendRequest> requests, qint64 nowMs);
};

} // namespace veza::chat
