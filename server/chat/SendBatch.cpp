#include "chat/SendBatch.h"

#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/SendAccess.h"
#include "storage/BatchTransaction.h"

namespace veza::chat {
namespace {

using Status = SendOutcome::Status;

// One send inside the batch's transaction. Refusals write nothing.
SendOutcome storeOne(QSqlDatabase &db, const crypto::MessageCipher &cipher, SendRequest &request,
                     qint64 nowMs)
{
    SendOutcome outcome;
    NewMessage &message = request.message;
    const SendAccess access = SendAccess::read(db, request.roomName, message.senderId, nowMs);
    if (!access.room) {
        outcome.status = Status::NotFound;
        return outcome;
    }
    const RoomInfo &room = *access.room;
    outcome.room = room;
    if (!access.member) {
        outcome.status = Status::NotMember;
        return outcome;
    }
    if (room.locked) {
        outcome.status = Status::Locked;
        return outcome;
    }
    if (room.e2e && request.e2eRequired && !message.content.e2e) {
        outcome.status = Status::PlaintextRefused;
        return outcome;
    }
    outcome.sanction = access.sanction;
    if (access.sanction.kind != moderation::SanctionState::Kind::None) {
        outcome.status = Status::Sanctioned;
        return outcome;
    }
    message.roomId = room.id;
    message.createdAtMs = nowMs;
    // Every post records its time, so slow mode switched on later counts from the last one;
    // the room's moderators are exempt. The turn commits with the message.
    const qint64 intervalMs = qint64(room.slowModeS) * 1000;
    const bool exempt = intervalMs <= 0 || request.globalModerator || access.roomModerator;
    outcome.retryAfterMs =
        ChatRooms::takeSlowModeTurn(db, room.id, message.senderId, nowMs, exempt ? 0 : intervalMs);
    if (outcome.retryAfterMs > 0) {
        // A retry of a message already stored is acknowledged, not refused.
        if (const auto stored = ChatMessages::storedRetry(db, message)) {
            outcome.stored = *stored;
            outcome.status = Status::Stored;
            return outcome;
        }
        outcome.status = Status::SlowMode;
        return outcome;
    }
    const std::optional<StoredMessage> stored =
        ChatMessages::appendInTransaction(db, cipher, message);
    if (!stored) {
        outcome.status = Status::NotFound; // the room went meanwhile
        return outcome;
    }
    outcome.stored = *stored;
    outcome.status = Status::Stored;
    return outcome;
}

} // namespace

SendBatch::Result SendBatch::commit(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                    QList<SendRequest> requests)
{
    const qint64 now = detail::nowMs();
    // The checks read before the first write: on SQLite the write lock is taken up front.
    return storage::commitTogether<SendOutcome>(
        db, requests, storage::Transaction::Lock::Write, "messages",
        [&db, &cipher, now](SendRequest &request) { return storeOne(db, cipher, request, now); });
}

} // namespace veza::chat
