#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <memory>

namespace veza::storage {

// The prepared statements of one database worker's connection, kept across jobs. QPSQL turns
// every prepare() into a server-side PREPARE and every destroyed query into a DEALLOCATE, so
// preparing per call costs three round trips per statement instead of one; SQLite re-parses
// the SQL each time. sql::exec() takes a statement from the cache of the thread's connection
// (StatementCache::current) and hands it back when its sql::Query handle goes away; a
// statement already handed out (the same SQL run inside a loop over its own results) is
// prepared afresh for that use, uncached.
//
// Lifetime: created by the worker beside its connection, cleared whenever the connection
// closes (prepared statements die with the server session), destroyed before the connection
// is removed. One thread only.
class StatementCache
{
public:
    struct Entry
    {
        std::unique_ptr<QSqlQuery> query;
        bool inUse = false;
    };

    explicit StatementCache(const QString &connectionName);
    ~StatementCache();
    StatementCache(const StatementCache &) = delete;
    StatementCache &operator=(const StatementCache &) = delete;

    // The cache of `db` on this thread, or null (a connection no worker owns, e.g. a test's).
    static StatementCache *current(const QSqlDatabase &db);

    // The entry for `statement`, prepared on `db` and marked in use; null when it is in use
    // already. Throws StorageError when it does not prepare (nothing is cached then).
    std::shared_ptr<Entry> checkOut(QSqlDatabase &db, const QString &statement);
    void clear();
    qsizetype size() const { return m_entries.size(); }

    static constexpr qsizetype maxStatements = 512; // the SQL is all literals; a bound anyway

private:
    const QString m_connectionName;
    QHash<QString, std::shared_ptr<Entry>> m_entries;
    StatementCache *m_previous; // the thread's binding before this one
};

} // namespace veza::storage
