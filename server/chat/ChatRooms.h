#pragma once

#include "chat/ChatTypes.h"

#include <QSqlDatabase>
#include <QSqlQuery>

namespace veza::chat {

// ChatRooms: users, rooms and room membership in the database (schema 1 + 2).
//
// Stateless: every function is synchronous, takes the connection of the calling database job
// and runs on a Database worker thread (inside Database::run), so callers batch several calls
// in one job and schedule it. Values are always bound. Failures of the database itself throw
// storage::StorageError; expected outcomes (no such room, name taken) are return values.
// Functions that write several rows use one transaction; they must not be called inside a
// transaction the caller already opened on the same connection.
class ChatRooms
{
public:
    // Prefix of the names directRoom() gives; createRoom() refuses names starting with it,
    // so nobody can squat on a direct room's name.
    static const QString DirectPrefix;
    // The longest name createRoom() gives a room (a direct room's name may be longer).
    static constexpr int MaxNameLength = 64;

    // The id of the user whose users.name is `externalId` (the token's `sub`), creating the
    // user on first sight. A non-empty displayName replaces the stored one.
    static qint64 ensureUser(QSqlDatabase &db, const QString &externalId,
                             const QString &displayName, qint64 nowMs);

    // The id of the user whose users.name is `externalId`, without creating one.
    static std::optional<qint64> findUser(QSqlDatabase &db, const QString &externalId);

    // nullopt when the name is taken, reserved (DirectPrefix) or over MaxNameLength.
    // `createdBy`: the creating user's id (0: nobody's, as a direct room).
    static std::optional<RoomInfo> createRoom(QSqlDatabase &db, const QString &name, RoomKind kind,
                                              const QString &topic, bool e2e, qint64 nowMs,
                                              qint64 createdBy = 0);
    // How long `userId` must wait before creating another room when at most `perHour` may be
    // created in any hour (ROOMS_PER_USER_PER_HOUR): 0 when one may be created now (also when
    // `perHour` is 0, no cap), else until the oldest of the last hour's creations is an hour old.
    static qint64 creationWaitMs(QSqlDatabase &db, qint64 userId, int perHour, qint64 nowMs);
    static std::optional<RoomInfo> findRoom(QSqlDatabase &db, const QString &name);
    // The columns of a room as roomFromRow() reads them, first in a SELECT from `rooms r`, for
    // statements that read a room with other things.
    static const QString RoomColumns;
    static RoomInfo roomFromRow(const QSqlQuery &q);
    static std::optional<RoomInfo> room(QSqlDatabase &db, qint64 roomId);
    // Each returns false when the room does not exist.
    static bool setTopic(QSqlDatabase &db, qint64 roomId, const QString &topic);
    static bool setSlowMode(QSqlDatabase &db, qint64 roomId, int seconds);
    // Slow mode: takes the member's turn to post in the room if their last post (its stored
    // time) is at least intervalMs old, recording nowMs. Atomic (one conditional UPDATE, which
    // holds the member's row until the caller's transaction ends): of parallel posts exactly
    // one gets the turn. Returns 0 when taken, else the wait until the next turn.
    static qint64 takeSlowModeTurn(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 nowMs,
                                   qint64 intervalMs);
    static bool setLocked(QSqlDatabase &db, qint64 roomId, bool locked);

    // The name of the direct room of two users, from their public ids (users.name, the
    // token's `sub`): "@direct:" and both ids in the order of their UTF-8 bytes, each with `\`
    // and `:` escaped by a `\`, joined by a `:` ("@direct:alice:bob"). Both orders of the pair
    // give the same name and no two pairs share one. Schema 11 renamed the direct rooms named
    // by users.id before (resources/sql/*/011_direct_room_names.sql) the same way.
    static QString directRoomName(const QString &userA, const QString &userB);
    // The direct room of two users, created with both as members on first use. Its name
    // (directRoomName of their public ids) depends only on the pair, so (a, b) and (b, a) give
    // the same room, and two workers racing to create it end up with one room (UNIQUE name,
    // insert-or-ignore, then read). `joined`, when given, tells whether either user became a
    // member now. Throws StorageError when a user does not exist.
    static RoomInfo directRoom(QSqlDatabase &db, qint64 userA, qint64 userB, qint64 nowMs,
                               bool *joined = nullptr);

    enum class JoinResult { Joined, AlreadyMember, NoSuchRoom };
    // Idempotent. A new member starts with everything so far marked read.
    static JoinResult join(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 nowMs,
                           const QString &role = QStringLiteral("member"));
    static bool leave(QSqlDatabase &db, qint64 roomId, qint64 userId); // false: not a member
    static bool isMember(QSqlDatabase &db, qint64 roomId, qint64 userId);
    // Whether the user created the room (its member with role `owner`).
    static bool isOwner(QSqlDatabase &db, qint64 roomId, qint64 userId);
    static QList<Member> members(QSqlDatabase &db, qint64 roomId); // by user name
    // The user's rooms by name, with unread counts (seq > last read, not deleted; the
    // user's own messages count too unless markRead() was called after sending).
    static QList<MemberRoom> roomsOf(QSqlDatabase &db, qint64 userId);
    // Moves the read marker (room_members.last_read_message_id holds a seq) forward to
    // `seq`, capped at the room's last seq; never backwards. False: not a member.
    static bool markRead(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 seq);
};

} // namespace veza::chat
