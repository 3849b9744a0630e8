#include "chat/SendAccess.h"

#include "chat/ChatRooms.h"
#include "storage/Sql.h"

namespace veza::chat {

namespace sql = storage::sql;

SendAccess SendAccess::read(QSqlDatabase &db, const QString &roomName, qint64 userId, qint64 nowMs)
{
    // One row per sanction in force (or one row without): the room's columns repeat. The
    // sanctions join is written against idx_sanctions_active as activeSanction()'s query is.
    static const QString statement =
        QStringLiteral("SELECT ") + ChatRooms::RoomColumns +
        QStringLiteral(
            ", m.user_id IS NOT NULL, "
            "EXISTS (SELECT 1 FROM room_moderators g WHERE g.room_id = r.id AND g.user_id = ?), "
            "s.kind, s.until_ms, s.room_id "
            "FROM rooms r "
            "LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ? "
            "LEFT JOIN sanctions s ON s.user_id = ? AND COALESCE(s.room_id, 0) IN (r.id, 0) "
            "AND (s.until_ms IS NULL OR s.until_ms > ?) "
            "WHERE r.name = ?");
    sql::Query q = sql::exec(db, statement, {userId, userId, userId, nowMs, roomName});
    SendAccess access;
    while (q.next())
        access.addRow(q.query());
    return access;
}

void SendAccess::addRow(const QSqlQuery &q)
{
    if (q.isNull(0))
        return; // no such room
    if (!room) {
        room = ChatRooms::roomFromRow(q);
        member = q.value(8).toBool();
        roomModerator = q.value(9).toBool();
    }
    if (!q.isNull(10))
        moderation::ModerationStore::keepStrongest(sanction, q.value(10), q.value(11), q.value(12));
}

} // namespace veza::chat
