#include "chat/UserDirectory.h"

#include "storage/Sql.h"

#include <QSqlQuery>
#include <algorithm>

namespace veza::chat {

namespace sql = storage::sql;

namespace {

const QString kColumns =
    QStringLiteral("u.id, u.name, u.display_name, u.roles, u.created_at, u.last_seen_at, "
                   "(SELECT COUNT(*) FROM messages m WHERE m.sender_id = u.id) FROM users u");

UserDirectoryEntry entryFrom(const QSqlQuery &q)
{
    UserDirectoryEntry entry;
    entry.id = q.value(0).toLongLong();
    entry.name = q.value(1).toString();
    entry.displayName = q.value(2).toString();
    entry.roles = q.value(3).toString().split(u',', Qt::SkipEmptyParts);
    entry.firstSeenMs = q.value(4).toLongLong();
    if (!q.isNull(5))
        entry.lastSeenMs = q.value(5).toLongLong();
    entry.messages = q.value(6).toLongLong();
    return entry;
}

} // namespace

QList<UserDirectoryEntry> UserDirectory::list(QSqlDatabase &db, const UserDirectoryQuery &query)
{
    const QString pattern = sql::containsPattern(query.search);
    sql::Query rows = sql::exec(
        db,
        QStringLiteral("SELECT ") + kColumns +
            QStringLiteral(" WHERE u.name > ? AND (LOWER(u.name) LIKE ? ESCAPE '\\' OR "
                           "LOWER(u.display_name) LIKE ? ESCAPE '\\') ORDER BY u.name LIMIT ?"),
        {query.afterName.isNull() ? QStringLiteral("") : query.afterName, pattern, pattern,
         std::clamp(query.limit, 1, 201)});
    QList<UserDirectoryEntry> entries;
    while (rows.next())
        entries.append(entryFrom(rows.query()));
    return entries;
}

std::optional<UserDirectoryEntry> UserDirectory::find(QSqlDatabase &db, const QString &name)
{
    sql::Query row = sql::exec(
        db, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" WHERE u.name = ?"), {name});
    if (!row.next())
        return std::nullopt;
    return entryFrom(row.query());
}

void UserDirectory::recordSeen(QSqlDatabase &db, qint64 userId, const QStringList &roles,
                               qint64 nowMs)
{
    // Reconnects within the minute with the same roles write nothing.
    const QString joined = roles.isEmpty() ? QStringLiteral("") : roles.join(u','); // not NULL
    sql::exec(db,
              QStringLiteral("UPDATE users SET roles = ?, last_seen_at = ? WHERE id = ? AND "
                             "(last_seen_at IS NULL OR last_seen_at < ? OR roles <> ?)"),
              {joined, nowMs, userId, nowMs - 60000, joined});
}

} // namespace veza::chat
