#include "chat/SendBatch.h"

#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/SendAccess.h"
#include "chat/SendBatchPostgres.h"
#include "chat/SendRules.h"
#include "storage/BatchTransaction.h"

namespace veza::chat {
namespace {

using Status = SendOutcome::Status;

// One send inside the batch's transaction. Refusals write nothing.
SendOutcome storeOne(QSqlDatabase &db, const crypto::MessageCipher &cipher, SendRequest &request,
                     qint64 nowMs)
{
    NewMessage &message = request.message;
    const SendAccess access = SendAccess::read(db, request.roomName, message.senderId, nowMs);
    if (std::optional<SendOutcome> refused = refusalOf(access, request))
        return *refused;
    SendOutcome outcome;
    const RoomInfo &room = *access.room;
    outcome.room = room;
    message.roomId = room.id;
    message.createdAtMs = nowMs;
    // The turn commits with the message.
    outcome.retryAfterMs = ChatRooms::takeSlowModeTurn(db, room.id, message.senderId, nowMs,
                                                       slowModeIntervalMs(access, request));
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

SendBatch::Result SendBatch::commitCarefully(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                             QList<SendRequest> requests, qint64 nowMs)
{
    // The checks read before the first write: on SQLite the write lock is taken up front.
    return storage::commitTogether<SendOutcome>(db, requests, storage::Transaction::Lock::Write,
                                                "messages",
                                                [&db, &cipher, nowMs](SendRequest &request) {
                                                    return storeOne(db, cipher, request, nowMs);
                                                });
}

SendBatch::Result SendBatch::commit(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                    SendMemory &memory, QList<SendRequest> requests)
{
    const qint64 now = detail::nowMs();
    if (!SendBatchPostgres::appliesTo(db))
        return commitCarefully(db, cipher, std::move(requests), now);

    const QList<std::optional<SendOutcome>> settled =
        SendBatchPostgres::store(db, cipher, memory, requests, now);
    Result result;
    QList<SendRequest> left;
    QList<qsizetype> leftAt;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        result.outcomes.append(settled[i].value_or(SendOutcome{}));
        if (!settled[i]) {
            left.append(std::move(requests[i]));
            leftAt.append(i);
        }
    }
    result.committed = int(requests.size() - left.size());
    if (left.isEmpty())
        return result;
    const Result careful = commitCarefully(db, cipher, std::move(left), now);
    for (qsizetype j = 0; j < leftAt.size() && j < careful.outcomes.size(); ++j)
        result.outcomes[leftAt[j]] = careful.outcomes[j];
    result.committed += careful.committed;
    return result;
}

} // namespace veza::chat
