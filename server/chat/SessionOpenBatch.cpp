#include "chat/SessionOpenBatch.h"

#include "chat/ChatJson.h"
#include "chat/ChatRooms.h"
#include "chat/UserDirectory.h"
#include "moderation/ModerationService.h"
#include "storage/BatchTransaction.h"

namespace veza::chat {
namespace {

using moderation::ModerationService;
using moderation::SanctionState;

SessionOpening openOne(QSqlDatabase &db, const SessionOpenRequest &request, qint64 now)
{
    SessionOpening opening;
    opening.userId = ChatRooms::ensureUser(db, request.externalId, request.name, now);
    // The database is the truth: the endpoints' ban list may not know a ban yet.
    opening.serverBan = ModerationService::serverBanOf(db, opening.userId, now);
    if (opening.serverBan)
        return opening;
    opening.moderatedRooms = ModerationService::roomsModeratedBy(db, opening.userId);
    UserDirectory::recordSeen(db, opening.userId, request.roles, now);
    for (const MemberRoom &membership : ChatRooms::roomsOf(db, opening.userId)) {
        const SanctionState sanction =
            ModerationService::sanctionOf(db, membership.room.id, opening.userId, now);
        // A room the user is banned from is not heard again on reconnect.
        if (sanction.kind == SanctionState::Kind::Banned)
            continue;
        if (sanction.kind == SanctionState::Kind::Timeout)
            opening.mutedUntil.insert(membership.room.id, sanction.untilMs.value_or(0));
        opening.rooms.append({membership.room.id, membership.room.name, membership.room.lastSeq});
    }
    return opening;
}

} // namespace

SessionOpenBatch::Result SessionOpenBatch::commit(QSqlDatabase &db,
                                                  QList<SessionOpenRequest> requests)
{
    const qint64 now = detail::nowMs();
    return storage::commitTogether<SessionOpening>(
        db, requests, storage::Transaction::Lock::Write, "session opens",
        [&db, now](const SessionOpenRequest &request) { return openOne(db, request, now); });
}

} // namespace veza::chat
