#pragma once

#include <QSqlDatabase>

namespace veza::storage {

// Transaction: RAII guard for one transaction on a connection; rolls back in its destructor
// unless commit() succeeded, so an exception thrown by a job never leaves half a change.
// Nests: inside another Transaction on the same connection it is a savepoint, so a store
// function that guards its own change can also be one step of a caller's (a moderation action
// and its audit row). Only the outermost commit makes anything durable.
// Lives inside a database job, on the worker thread that owns the connection.
class Transaction
{
public:
    // Write: a transaction that reads before it writes takes SQLite's write lock at its start
    // (BEGIN IMMEDIATE), so it waits for another writer (busy timeout) like a first write
    // would; a deferred one would fail at once (SQLITE_BUSY) when its read lock cannot be
    // upgraded. The same as Deferred on PostgreSQL and for a savepoint.
    enum class Lock { Deferred, Write };

    // Begins; throws StorageError if it cannot.
    explicit Transaction(QSqlDatabase &db, Lock lock = Lock::Deferred);
    ~Transaction();

    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit(); // throws StorageError; after a failed commit the destructor rolls back
    void rollback();
    bool isActive() const { return m_active; }

private:
    void finished();

    QSqlDatabase &m_db;
    const int m_depth; // 0: the outermost, a real transaction; else a savepoint
    bool m_active = false;
};

} // namespace veza::storage
