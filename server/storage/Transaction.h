#pragma once

#include <QSqlDatabase>

namespace veza::storage {

// Transaction: RAII guard for one transaction on a connection; rolls back in its destructor
// unless commit() succeeded, so an exception thrown by a job never leaves half a change.
// Lives inside a database job, on the worker thread that owns the connection.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase &db); // begins; throws StorageError if it cannot
    ~Transaction();

    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    void commit(); // throws StorageError; after a failed commit the destructor rolls back
    void rollback();
    bool isActive() const { return m_active; }

private:
    QSqlDatabase &m_db;
    bool m_active = false;
};

} // namespace veza::storage
