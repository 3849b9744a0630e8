#include "chat/ChatRooms.h"

#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/Transaction.h"

#include <QSqlQuery>
#include <algorithm>

namespace veza::chat {

using storage::Transaction;
namespace sql = storage::sql;

// createRoom() refuses names with this prefix, so no one can take a direct room's name first.
const QString ChatRooms::DirectPrefix = QStringLiteral("@direct:");

const QString ChatRooms::RoomColumns =
    QStringLiteral("r.id, r.name, r.kind, r.topic, r.slow_mode_s, r.locked, r.e2e, r.last_seq");

RoomInfo ChatRooms::roomFromRow(const QSqlQuery &q)
{
    RoomInfo room;
    room.id = q.value(0).toLongLong();
    room.name = q.value(1).toString();
    // The CHECK constraint admits only the three names.
    room.kind = roomKindFromName(q.value(2).toString()).value_or(RoomKind::Public);
    room.topic = q.value(3).toString();
    room.slowModeS = q.value(4).toInt();
    room.locked = q.value(5).toBool();
    room.e2e = q.value(6).toBool();
    room.lastSeq = q.value(7).toLongLong();
    return room;
}

QString roomKindName(RoomKind kind)
{
    switch (kind) {
    case RoomKind::Public:
        return QStringLiteral("public");
    case RoomKind::Private:
        return QStringLiteral("private");
    case RoomKind::Direct:
        return QStringLiteral("direct");
    }
    return QStringLiteral("public");
}

std::optional<RoomKind> roomKindFromName(const QString &name)
{
    for (RoomKind kind : {RoomKind::Public, RoomKind::Private, RoomKind::Direct}) {
        if (roomKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

namespace {

// A null QString binds as SQL NULL, which the NOT NULL text columns reject; "" is meant.
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

// Columns in ChatRooms::RoomColumns.
constexpr int kRoomColumnCount = 8;

std::optional<RoomInfo> roomWhere(QSqlDatabase &db, const QString &condition, const QVariant &key)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT ") + ChatRooms::RoomColumns +
                                 QStringLiteral(" FROM rooms r WHERE ") + condition,
                             {key});
    if (!q.next())
        return std::nullopt;
    return ChatRooms::roomFromRow(q.query());
}

bool updateRoom(QSqlDatabase &db, const QString &assignment, const QVariant &value, qint64 roomId)
{
    sql::Query q = sql::exec(
        db, QStringLiteral("UPDATE rooms SET ") + assignment + QStringLiteral(" WHERE id = ?"),
        {value, roomId});
    return q.numRowsAffected() > 0;
}

} // namespace

qint64 ChatRooms::ensureUser(QSqlDatabase &db, const QString &externalId,
                             const QString &displayName, qint64 nowMs)
{
    // The WHERE skips the write (and the row version on PostgreSQL) on every ordinary login;
    // no row comes back then, hence the SELECT.
    sql::Query q = sql::exec(
        db,
        QStringLiteral("INSERT INTO users (name, display_name, created_at) VALUES (?, ?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name "
                       "WHERE excluded.display_name <> '' "
                       "AND users.display_name <> excluded.display_name RETURNING id"),
        {notNull(externalId), notNull(displayName), nowMs});
    if (q.next())
        return q.value(0).toLongLong();
    return sql::scalar(db, QStringLiteral("SELECT id FROM users WHERE name = ?"), {externalId})
        .toLongLong();
}

qint64 ChatRooms::creationWaitMs(QSqlDatabase &db, qint64 userId, int perHour, qint64 nowMs)
{
    constexpr qint64 kHourMs = 3600 * 1000;
    if (perHour <= 0)
        return 0;
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT count(*), min(created_at) FROM rooms "
                                            "WHERE created_by = ? AND created_at > ?"),
                             {userId, nowMs - kHourMs});
    if (!q.next() || q.value(0).toInt() < perHour)
        return 0;
    return std::max<qint64>(1, q.value(1).toLongLong() + kHourMs - nowMs);
}

std::optional<RoomInfo> ChatRooms::createRoom(QSqlDatabase &db, const QString &name, RoomKind kind,
                                              const QString &topic, bool e2e, qint64 nowMs,
                                              qint64 createdBy)
{
    if (name.startsWith(DirectPrefix) || name.size() > MaxNameLength)
        return std::nullopt;
    sql::Query q = sql::exec(
        db,
        QStringLiteral("INSERT INTO rooms (name, kind, topic, e2e, created_at, created_by) "
                       "VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (name) DO NOTHING RETURNING id"),
        {notNull(name), roomKindName(kind), notNull(topic), e2e, nowMs,
         createdBy > 0 ? QVariant(createdBy) : QVariant(QMetaType::fromType<qint64>())});
    if (!q.next())
        return std::nullopt;
    RoomInfo room;
    room.id = q.value(0).toLongLong();
    room.name = name;
    room.kind = kind;
    room.topic = topic;
    room.e2e = e2e;
    return room;
}

std::optional<RoomInfo> ChatRooms::findRoom(QSqlDatabase &db, const QString &name)
{
    return roomWhere(db, QStringLiteral("r.name = ?"), name);
}

std::optional<RoomInfo> ChatRooms::room(QSqlDatabase &db, qint64 roomId)
{
    return roomWhere(db, QStringLiteral("r.id = ?"), roomId);
}

bool ChatRooms::setTopic(QSqlDatabase &db, qint64 roomId, const QString &topic)
{
    return updateRoom(db, QStringLiteral("topic = ?"), notNull(topic), roomId);
}

bool ChatRooms::setSlowMode(QSqlDatabase &db, qint64 roomId, int seconds)
{
    return updateRoom(db, QStringLiteral("slow_mode_s = ?"), std::max(0, seconds), roomId);
}

qint64 ChatRooms::takeSlowModeTurn(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 nowMs,
                                   qint64 intervalMs)
{
    if (intervalMs <= 0) {
        // No turn to wait for: only the time is kept, never moved back (parallel posts read
        // the clock before they queue for the row).
        sql::exec(db,
                  QStringLiteral("UPDATE room_members SET last_sent_at = CASE WHEN last_sent_at "
                                 "IS NULL OR last_sent_at < ? THEN ? ELSE last_sent_at END "
                                 "WHERE room_id = ? AND user_id = ?"),
                  {nowMs, nowMs, roomId, userId});
        return 0;
    }
    const sql::Query taken =
        sql::exec(db,
                  QStringLiteral("UPDATE room_members SET last_sent_at = ? WHERE room_id = ? "
                                 "AND user_id = ? AND (last_sent_at IS NULL OR last_sent_at <= ?)"),
                  {nowMs, roomId, userId, nowMs - intervalMs});
    if (taken.numRowsAffected() > 0)
        return 0;
    const qint64 lastSentAt =
        sql::scalar(db,
                    QStringLiteral("SELECT last_sent_at FROM room_members WHERE room_id = ? "
                                   "AND user_id = ?"),
                    {roomId, userId}, nowMs)
            .toLongLong();
    return std::max<qint64>(1, intervalMs - (nowMs - lastSentAt));
}

bool ChatRooms::setLocked(QSqlDatabase &db, qint64 roomId, bool locked)
{
    return updateRoom(db, QStringLiteral("locked = ?"), locked, roomId);
}

QString ChatRooms::directRoomName(const QString &userA, const QString &userB)
{
    const auto escaped = [](QString id) {
        return id.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char(':'), QStringLiteral("\\:"));
    };
    // UTF-8 byte order, as SQLite's BINARY and PostgreSQL's "C" collations compare (schema 11
    // sorts the pairs of the rooms it renames in SQL); QString's UTF-16 order differs from it
    // above U+FFFF.
    const bool inOrder = userA.toUtf8() < userB.toUtf8();
    return DirectPrefix + escaped(inOrder ? userA : userB) + QLatin1Char(':') +
           escaped(inOrder ? userB : userA);
}

RoomInfo ChatRooms::directRoom(QSqlDatabase &db, qint64 userA, qint64 userB, qint64 nowMs,
                               bool *joined)
{
    const auto publicId = [&db](qint64 userId) {
        const QVariant name =
            sql::scalar(db, QStringLiteral("SELECT name FROM users WHERE id = ?"), {userId});
        if (!name.isValid())
            throw storage::StorageError(QStringLiteral("no user %1 for a direct room").arg(userId));
        return name.toString();
    };
    const QString name = directRoomName(publicId(userA), publicId(userB));
    Transaction tx(db);
    // A concurrent creator makes this insert wait for its commit (PostgreSQL) and then do
    // nothing, so the SELECT below, which takes a fresh snapshot, sees the winner's room.
    sql::exec(db,
              QStringLiteral("INSERT INTO rooms (name, kind, created_at) VALUES (?, 'direct', ?) "
                             "ON CONFLICT (name) DO NOTHING"),
              {name, nowMs});
    std::optional<RoomInfo> room = findRoom(db, name);
    if (!room)
        throw storage::StorageError(QStringLiteral("direct room vanished while created"));
    // Also brings back a partner who left the conversation.
    bool anyJoined = false;
    for (qint64 user : {userA, userB})
        anyJoined = join(db, room->id, user, nowMs) == JoinResult::Joined || anyJoined;
    tx.commit();
    if (joined)
        *joined = anyJoined;
    return *room;
}

ChatRooms::JoinResult ChatRooms::join(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 nowMs,
                                      const QString &role)
{
    // Starting at last_seq: joining a busy room does not bring its whole past as unread.
    sql::Query q =
        sql::exec(db,
                  QStringLiteral("INSERT INTO room_members (room_id, user_id, role, joined_at, "
                                 "last_read_message_id) SELECT id, ?, ?, ?, last_seq FROM rooms "
                                 "WHERE id = ? ON CONFLICT (room_id, user_id) DO NOTHING"),
                  {userId, notNull(role), nowMs, roomId});
    if (q.numRowsAffected() > 0)
        return JoinResult::Joined;
    return isMember(db, roomId, userId) ? JoinResult::AlreadyMember : JoinResult::NoSuchRoom;
}

bool ChatRooms::leave(QSqlDatabase &db, qint64 roomId, qint64 userId)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("DELETE FROM room_members WHERE room_id = ? "
                                            "AND user_id = ?"),
                             {roomId, userId});
    return q.numRowsAffected() > 0;
}

std::optional<qint64> ChatRooms::findUser(QSqlDatabase &db, const QString &externalId)
{
    const QVariant id =
        sql::scalar(db, QStringLiteral("SELECT id FROM users WHERE name = ?"), {externalId});
    return id.isValid() ? std::optional(id.toLongLong()) : std::nullopt;
}

bool ChatRooms::isOwner(QSqlDatabase &db, qint64 roomId, qint64 userId)
{
    return sql::scalar(db,
                       QStringLiteral("SELECT 1 FROM room_members WHERE room_id = ? "
                                      "AND user_id = ? AND role = 'owner'"),
                       {roomId, userId})
        .isValid();
}

bool ChatRooms::isMember(QSqlDatabase &db, qint64 roomId, qint64 userId)
{
    return sql::scalar(db,
                       QStringLiteral("SELECT 1 FROM room_members WHERE room_id = ? "
                                      "AND user_id = ?"),
                       {roomId, userId})
        .isValid();
}

QList<Member> ChatRooms::members(QSqlDatabase &db, qint64 roomId)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT u.id, u.name, u.display_name, m.role, "
                                            "m.joined_at FROM room_members m JOIN users u "
                                            "ON u.id = m.user_id WHERE m.room_id = ? "
                                            "ORDER BY u.name"),
                             {roomId});
    QList<Member> result;
    while (q.next()) {
        result.append(Member{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                             q.value(3).toString(), q.value(4).toLongLong()});
    }
    return result;
}

QList<MemberRoom> ChatRooms::roomsOf(QSqlDatabase &db, qint64 userId)
{
    // The count walks UNIQUE (room_id, seq) from the read marker on, so its cost is the
    // number of unread messages, not the room's size.
    sql::Query q =
        sql::exec(db,
                  QStringLiteral("SELECT ") + ChatRooms::RoomColumns +
                      QStringLiteral(", m.role, COALESCE(m.last_read_message_id, 0), "
                                     "(SELECT COUNT(*) FROM messages g WHERE g.room_id = r.id "
                                     "AND g.seq > COALESCE(m.last_read_message_id, 0) "
                                     "AND g.deleted_at IS NULL) "
                                     "FROM room_members m JOIN rooms r ON r.id = m.room_id "
                                     "WHERE m.user_id = ? ORDER BY r.name"),
                  {userId});
    QList<MemberRoom> result;
    while (q.next()) {
        MemberRoom entry;
        entry.room = ChatRooms::roomFromRow(q.query());
        entry.role = q.value(kRoomColumnCount).toString();
        entry.lastReadSeq = q.value(kRoomColumnCount + 1).toLongLong();
        entry.unread = q.value(kRoomColumnCount + 2).toLongLong();
        result.append(entry);
    }
    return result;
}

bool ChatRooms::markRead(QSqlDatabase &db, qint64 roomId, qint64 userId, qint64 seq)
{
    const qint64 lastSeq =
        sql::scalar(db, QStringLiteral("SELECT last_seq FROM rooms WHERE id = ?"), {roomId}, 0)
            .toLongLong();
    const qint64 target = std::clamp(seq, qint64(0), lastSeq);
    // Forward only: a stale client reporting an old position must not resurrect unread.
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE room_members SET last_read_message_id = ? "
                                            "WHERE room_id = ? AND user_id = ? AND "
                                            "(last_read_message_id IS NULL "
                                            "OR last_read_message_id < ?)"),
                             {target, roomId, userId, target});
    return q.numRowsAffected() > 0 || isMember(db, roomId, userId);
}

} // namespace veza::chat
