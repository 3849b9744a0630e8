#include "chat/JoinBatch.h"

#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "moderation/ModerationService.h"
#include "storage/BatchTransaction.h"

namespace veza::chat {
namespace {

JoinOutcome joinOne(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                    const JoinRequest &request, qint64 now)
{
    JoinOutcome outcome;
    outcome.answered = true;
    outcome.room = ChatRooms::findRoom(db, request.roomName);
    if (!outcome.room) { // a public room is created by its first join
        outcome.retryAfterMs =
            ChatRooms::creationWaitMs(db, request.userId, request.roomsPerHour, now);
        if (outcome.retryAfterMs > 0)
            return outcome;
        outcome.room = ChatRooms::createRoom(db, request.roomName, RoomKind::Public, {}, false, now,
                                             request.userId);
    }
    if (!outcome.room) // created concurrently, or a reserved name
        outcome.room = ChatRooms::findRoom(db, request.roomName);
    if (!outcome.room)
        return outcome;
    if (moderation::ModerationService::sanctionOf(db, outcome.room->id, request.userId, now).kind ==
        moderation::SanctionState::Kind::Banned) {
        outcome.forbidden = true;
        return outcome;
    }
    if (outcome.room->kind != RoomKind::Public &&
        !ChatRooms::isMember(db, outcome.room->id, request.userId)) {
        outcome.forbidden = true;
        return outcome;
    }
    outcome.joined =
        ChatRooms::join(db, outcome.room->id, request.userId, now) == ChatRooms::JoinResult::Joined;
    const QList<ChatMessage> latest = ChatMessages::history(
        db, cipher, outcome.room->id, HistoryQuery{{}, {}, request.history}, request.userId);
    const QHash<qint64, detail::Author> authors = detail::authorsOf(db, latest);
    for (const ChatMessage &message : latest)
        outcome.messages.append(
            detail::messageJson(request.roomName, message, authors.value(message.senderId)));
    return outcome;
}

} // namespace

JoinBatch::Result JoinBatch::commit(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                    QList<JoinRequest> requests)
{
    const qint64 now = detail::nowMs();
    return storage::commitTogether<JoinOutcome>(db, requests, storage::Transaction::Lock::Write,
                                                "joins",
                                                [&db, &cipher, now](const JoinRequest &request) {
                                                    return joinOne(db, cipher, request, now);
                                                });
}

} // namespace veza::chat
