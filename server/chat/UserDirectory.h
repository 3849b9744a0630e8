#pragma once

#include "chat/ChatTypes.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace veza::chat {

// One user as the moderators' directory shows it.
struct UserDirectoryEntry
{
    qint64 id = 0;
    QString name; // the token `sub`
    QString displayName;
    QStringList roles; // as the token carried them when the user was last seen
    qint64 firstSeenMs = 0;
    std::optional<qint64> lastSeenMs;
    qint64 messages = 0;
};

struct UserDirectoryQuery
{
    QString search;    // a part of the name or display name, any case; empty: everyone
    QString afterName; // paging by name
    int limit = 50;    // clamped to [1, 201]
};

// The users the server has seen, for moderators. Runs inside a Database::run job.
class UserDirectory
{
public:
    UserDirectory() = delete;
    static QList<UserDirectoryEntry> list(QSqlDatabase &db, const UserDirectoryQuery &query);
    static std::optional<UserDirectoryEntry> find(QSqlDatabase &db, const QString &name);
    // A session opened: the roles it carried and when (written at most once a minute).
    static void recordSeen(QSqlDatabase &db, qint64 userId, const QStringList &roles, qint64 nowMs);
};

} // namespace veza::chat
