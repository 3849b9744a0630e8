#pragma once

#include <QString>

namespace veza::testing {

// Holds the write lock of a running server's SQLite database from outside it (BEGIN
// IMMEDIATE on a connection of the test's own), so the server's next write waits for it as
// long as its busy timeout (DATABASE_TIMEOUT_MS) allows: a database that stalls, for real.
// Reads go on (WAL). Test main thread.
class SqliteWriteLock
{
public:
    explicit SqliteWriteLock(const QString &databaseFile);
    ~SqliteWriteLock();
    SqliteWriteLock(const SqliteWriteLock &) = delete;
    SqliteWriteLock &operator=(const SqliteWriteLock &) = delete;

    bool isHeld() const { return m_held; }
    QString error() const { return m_error; }
    void release();

private:
    const QString m_connection;
    bool m_held = false;
    QString m_error;
};

} // namespace veza::testing
