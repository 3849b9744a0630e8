#include "chat/RoomDirectory.h"

#include "storage/Sql.h"

#include <QSqlQuery>
#include <algorithm>

namespace veza::chat {

namespace sql = storage::sql;

QList<RoomDirectoryEntry> RoomDirectory::list(QSqlDatabase &db, const RoomDirectoryQuery &query,
                                              qint64 nowMs)
{
    const QString pattern = sql::containsPattern(query.search);
    sql::Query rows = sql::exec(
        db,
        QStringLiteral(
            "SELECT r.id, r.name, r.kind, r.topic, r.slow_mode_s, r.locked, r.e2e, r.last_seq, "
            "(SELECT u.name FROM room_members m JOIN users u ON u.id = m.user_id "
            " WHERE m.room_id = r.id AND m.role = 'owner' LIMIT 1), "
            "(SELECT COUNT(*) FROM room_members m WHERE m.room_id = r.id), "
            "(SELECT COUNT(*) FROM messages g WHERE g.room_id = r.id AND g.created_at >= ?), "
            "(SELECT MAX(g.created_at) FROM messages g WHERE g.room_id = r.id) "
            "FROM rooms r WHERE r.kind <> 'direct' AND r.name > ? "
            "AND (LOWER(r.name) LIKE ? ESCAPE '\\' OR LOWER(r.topic) LIKE ? ESCAPE '\\') "
            "ORDER BY r.name LIMIT ?"),
        {nowMs - 3600 * 1000, query.afterName.isNull() ? QStringLiteral("") : query.afterName,
         pattern, pattern, std::clamp(query.limit, 1, 201)});
    QList<RoomDirectoryEntry> entries;
    while (rows.next()) {
        RoomDirectoryEntry entry;
        entry.room.id = rows.value(0).toLongLong();
        entry.room.name = rows.value(1).toString();
        entry.room.kind = roomKindFromName(rows.value(2).toString()).value_or(RoomKind::Public);
        entry.room.topic = rows.value(3).toString();
        entry.room.slowModeS = rows.value(4).toInt();
        entry.room.locked = rows.value(5).toBool();
        entry.room.e2e = rows.value(6).toBool();
        entry.room.lastSeq = rows.value(7).toLongLong();
        entry.owner = rows.value(8).toString();
        entry.members = rows.value(9).toInt();
        entry.messagesLastHour = rows.value(10).toInt();
        entry.lastActivityMs = rows.value(11).toLongLong();
        entries.append(entry);
    }
    return entries;
}

} // namespace veza::chat
