#pragma once

#include "chat/ChatTypes.h"
#include "moderation/ModerationStore.h"
#include "moderation/ServerBans.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>

namespace veza::moderation {

// A moderation action as a moderator asks for it, whatever carried the request (a chat frame,
// an HTTP call).
struct ModerationRequest
{
    // Timeout, Ban, Unban, SlowMode, Lock, Unlock, Purge, Grant, Revoke, Invite, Kick
    ModerationActionType action = ModerationActionType::Timeout;
    qint64 actorId = 0;                  // users.id of the moderator (or the room's owner)
    bool actorIsGlobalModerator = false; // token role moderator or admin
    bool actorIsAdmin = false;           // token role admin: grants and revokes anywhere
    QString roomName;                    // empty: the whole server (Ban and Unban only)
    QString targetName;                  // the user acted on (token `sub`), for those that have one
    QString reason;
    qint64 seconds = 0; // Timeout and Ban (0: permanent ban), SlowMode (0: off)
    qint64 minutes = 0; // Purge: the target's messages of the last `minutes`
};

// What an action did, for the caller to make it visible (events, ended subscriptions).
struct ModerationOutcome
{
    enum class Status {
        Done,
        NoRoom,
        NoUser,
        Forbidden,
        NothingToUndo,     // unban, revoke, kick: no such sanction, grant or membership
        NotPrivate,        // invite, kick: the room is public or direct
        TargetIsOwner,     // kick: a room's owner stays in it
        TargetIsModerator, // kick: a moderator of the room is revoked first
        TargetBanned,      // invite: the user is banned from the room (or the server)
    } status = Status::Done;
    std::optional<chat::RoomInfo> room; // the room as it is after the action
    qint64 targetId = 0;
    std::optional<qint64> untilMs; // when a ban or timeout ends (empty: permanent, or none)
    // The action would change nothing (the same ban or timeout with the same end, to the
    // second; the lock or slow mode the room already has): nothing written, nothing to announce.
    bool unchanged = false;
    QList<qint64> purged; // seqs of the messages a purge deleted
};

// The rules of moderation by people, for every way a moderator reaches them: who may act where
// (a global moderator anywhere, a room moderator in their rooms; server-wide actions are for
// global moderators; a room's moderators are granted and revoked by an admin or the room's
// owner; a private room's members are invited and kicked by its owner and its moderators,
// global ones included), and each action applied with its audit row in one transaction. Knows
// nothing of sessions or sockets: the caller pushes the outcome to the people concerned.
// Stateless; runs inside a Database::run job, on a database worker thread.
class ModerationService
{
public:
    ModerationService() = delete;

    static ModerationOutcome apply(QSqlDatabase &db, const ModerationRequest &request,
                                   qint64 nowMs);
    // A moderator deleted someone else's message: its audit row (target the author, params
    // {"message_id":seq}), inside the delete's transaction.
    static void recordDelete(QSqlDatabase &db, qint64 actorId, qint64 authorId, qint64 roomId,
                             qint64 seq, const QString &reason, qint64 nowMs);
    // The rooms the user moderates by grant.
    static QList<qint64> roomsModeratedBy(QSqlDatabase &db, qint64 userId);
    // A moderator read a private room's messages: its audit row.
    static void recordView(QSqlDatabase &db, qint64 actorId, qint64 roomId, qint64 nowMs);
    // Whether the user may moderate the room: a global moderator, or one of its moderators.
    static bool canModerate(QSqlDatabase &db, qint64 roomId, qint64 userId, bool globalModerator);
    // The user's server-wide ban in force now, if any.
    static std::optional<ServerBans::Ban> serverBanOf(QSqlDatabase &db, qint64 userId,
                                                      qint64 nowMs);
    // The sanction that applies to the user in the room now (a ban anywhere above a timeout).
    static SanctionState sanctionOf(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 nowMs);
};

} // namespace veza::moderation
