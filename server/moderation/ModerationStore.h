#pragma once

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringView>
#include <optional>
#include <utility>

namespace veza::moderation {

// What a moderator did; stored by name in moderation_actions.action.
enum class ModerationActionType {
    Delete,
    Timeout,
    Ban,
    Unban,
    SlowMode,
    Lock,
    Unlock,
    Purge,
    Grant,
    Revoke,
    View,         // a moderator read a private room's messages
    CutSource,    // a live stream's source was cut off (params: stream, block_seconds)
    EndStream,    // a stream was ended by a moderator (params: stream)
    Invite,       // a user was made a member of a private room
    Kick,         // a user's membership of a private room was ended
    KickListener, // a listener was disconnected (params: stream, listener, address)
};

QString actionName(ModerationActionType type); // "delete", "slow_mode", ...
std::optional<ModerationActionType> actionFromName(QStringView name);

// One row of the audit log. actorId is empty for automatic actions, or once the actor's
// account was deleted.
struct ModerationAction
{
    qint64 id = 0; // assigned by recordAction(); ignored when recording
    std::optional<qint64> actorId;
    ModerationActionType action = ModerationActionType::Delete;
    std::optional<qint64> targetUserId;
    std::optional<qint64> roomId;
    QString reason;
    qint64 createdAtMs = 0;
    std::optional<qint64> expiresAtMs;
    // Every parameter of the action: {"seconds":30} for slow mode, a timeout or a timed ban,
    // {"locked":false}, {"minutes":10,"deleted":4} for a purge, {"message_id":12} for a delete.
    QJsonObject params;
};

// Filter and page for listActions(); empty fields do not filter.
struct ActionQuery
{
    std::optional<qint64> roomId;
    std::optional<qint64> targetUserId;
    std::optional<qint64> actorId;
    std::optional<ModerationActionType> action;
    std::optional<qint64> sinceMs;  // created_at >= sinceMs
    std::optional<qint64> untilMs;  // created_at < untilMs
    int limit = 50;                 // clamped to [1, maxActionPage + 1]
    std::optional<qint64> beforeId; // next page: the last id of the previous page
};

// One sanction in force, with names resolved, as the sanctions list shows it.
struct SanctionEntry
{
    qint64 id = 0;
    bool ban = false; // else a timeout
    QString room;     // empty: the whole server
    QString user;     // the sanctioned user's name (token `sub`)
    QString actor;    // who gave it; empty for automatic ones or a deleted account
    QString reason;
    qint64 createdAtMs = 0;
    std::optional<qint64> untilMs; // empty: permanent
};

// Filter and page for listSanctions(); empty fields do not filter.
struct SanctionQuery
{
    std::optional<qint64> roomId;
    std::optional<qint64> userId;
    int limit = 50;                 // clamped to [1, maxActionPage + 1]
    std::optional<qint64> beforeId; // next page: the last id of the previous page
};

// The sanction that applies to a user in a room at a given time.
struct SanctionState
{
    enum class Kind { None, Timeout, Banned };
    Kind kind = Kind::None;
    std::optional<qint64> untilMs; // empty: permanent (or None)
    bool global = false;           // the sanction comes from a global ban
};

// ModerationStore: moderator grants, sanctions (bans, timeouts) and the moderation audit log.
// Stateless: every function runs inside a Database::run job, on a database worker thread,
// with that thread's connection, and throws storage::StorageError on database failure.
// Each change to grants or sanctions writes its audit row in the same transaction, so the
// log never misses a change and never records one that did not happen.
class ModerationStore
{
public:
    static constexpr int maxActionPage = 200;

    ModerationStore() = delete;

    // The functions that change state open their own transaction, so they must not be called
    // inside another one (SQLite has no nested BEGIN); recordAction() is the exception.

    // Grants/revokes room moderation; false (and no audit row) when nothing changed.
    static bool grantModerator(QSqlDatabase &db, qint64 roomId, qint64 userId,
                               std::optional<qint64> grantedBy, qint64 nowMs,
                               const QString &reason = {});
    static bool revokeModerator(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                std::optional<qint64> actorId, qint64 nowMs,
                                const QString &reason = {});
    static bool isRoomModerator(QSqlDatabase &db, qint64 roomId, qint64 userId);
    // The rooms the user was granted moderation of.
    static QList<qint64> roomsModeratedBy(QSqlDatabase &db, qint64 userId);

    // Appends to the audit log; returns the new id. Joins the caller's transaction if any.
    static qint64 recordAction(QSqlDatabase &db, const ModerationAction &action);
    // Newest first (by id, i.e. in the order they were recorded).
    static QList<ModerationAction> listActions(QSqlDatabase &db, const ActionQuery &query);

    // Bans in a room, or everywhere when roomId is empty; untilMs empty: permanent. Replaces
    // an earlier ban in the same scope. Returns the audit row's id.
    static qint64 ban(QSqlDatabase &db, std::optional<qint64> roomId, qint64 userId,
                      std::optional<qint64> untilMs, std::optional<qint64> actorId,
                      const QString &reason, qint64 nowMs);
    // Lifts every sanction (ban and timeout) of the user in exactly that scope: a room unban
    // leaves a global ban in force. Returns the audit row's id, or nothing (and no audit row)
    // when no sanction was in force there.
    static std::optional<qint64> unban(QSqlDatabase &db, std::optional<qint64> roomId,
                                       qint64 userId, std::optional<qint64> actorId,
                                       const QString &reason, qint64 nowMs);
    // Mutes a user in a room until untilMs; replaces an earlier timeout there.
    static qint64 timeout(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 untilMs,
                          std::optional<qint64> actorId, const QString &reason, qint64 nowMs);

    // The user's sanction of `kind` (ban or timeout) in exactly that scope (a room, or the whole
    // server), in force at nowMs; nullopt when there is none. Its untilMs: empty, permanent.
    static std::optional<SanctionState> sanctionInScope(QSqlDatabase &db,
                                                        std::optional<qint64> roomId, qint64 userId,
                                                        SanctionState::Kind kind, qint64 nowMs);
    // A ban (room or global) wins over a timeout; among several, the longest lasting one.
    static SanctionState activeSanction(QSqlDatabase &db, qint64 roomId, qint64 userId,
                                        qint64 nowMs);
    // Folds one sanction row in force (kind 'ban' or 'timeout', until_ms, room_id) into `best`
    // by activeSanction()'s order, for queries that read the rows with other things.
    static void keepStrongest(SanctionState &best, const QVariant &kind, const QVariant &untilMs,
                              const QVariant &roomId);
    // The server-wide bans in force at nowMs, by user name (the token `sub`); untilMs empty:
    // permanent.
    static QList<std::pair<QString, std::optional<qint64>>> activeServerBans(QSqlDatabase &db,
                                                                             qint64 nowMs);
    // The sanctions in force at nowMs, newest first (by id).
    static QList<SanctionEntry> listSanctions(QSqlDatabase &db, const SanctionQuery &query,
                                              qint64 nowMs);
    // Deletes sanctions that ended before nowMs; returns how many.
    static int pruneExpiredSanctions(QSqlDatabase &db, qint64 nowMs);
};

} // namespace veza::moderation
