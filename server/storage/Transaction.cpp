#include "storage/Transaction.h"

#include "storage/StorageError.h"
#include "storage/StorageLog.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

namespace veza::storage {
namespace {

// Open transactions per connection. A connection belongs to one worker thread, so the count
// does too.
thread_local QHash<QString, int> t_depth;

QString savepointName(int depth)
{
    return QStringLiteral("veza_nested_%1").arg(depth);
}

bool execute(QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    return query.exec(statement);
}

} // namespace

Transaction::Transaction(QSqlDatabase &db, Lock lock)
    : m_db(db)
    , m_depth(t_depth.value(db.connectionName()))
{
    const bool immediate = lock == Lock::Write && db.driverName() == QLatin1String("QSQLITE");
    // QtSql keeps no transaction state of its own: commit() and rollback() end this one too.
    const bool begun = m_depth > 0
                           ? execute(m_db, QStringLiteral("SAVEPOINT ") + savepointName(m_depth))
                       : immediate ? execute(m_db, QStringLiteral("BEGIN IMMEDIATE"))
                                   : m_db.transaction();
    if (!begun)
        throw StorageError(QStringLiteral("cannot begin transaction"), m_db.lastError());
    t_depth[db.connectionName()] = m_depth + 1;
    m_active = true;
}

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

void Transaction::finished()
{
    m_active = false;
    if (m_depth == 0)
        t_depth.remove(m_db.connectionName());
    else
        t_depth[m_db.connectionName()] = m_depth;
}

void Transaction::commit()
{
    if (!m_active)
        throw StorageError(QStringLiteral("commit without an active transaction"));
    const bool committed =
        m_depth == 0 ? m_db.commit()
                     : execute(m_db, QStringLiteral("RELEASE SAVEPOINT ") + savepointName(m_depth));
    if (!committed)
        throw StorageError(QStringLiteral("commit failed"), m_db.lastError());
    finished();
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    finished();
    // A rollback failing (e.g. the connection died) must not throw from a destructor; the
    // server discards the transaction anyway when the connection goes away.
    const QString savepoint = savepointName(m_depth);
    const bool rolledBack =
        m_depth == 0 ? m_db.rollback()
                     : execute(m_db, QStringLiteral("ROLLBACK TO SAVEPOINT ") + savepoint) &&
                           execute(m_db, QStringLiteral("RELEASE SAVEPOINT ") + savepoint);
    if (!rolledBack)
        qCWarning(lcStorage) << "rollback failed:" << m_db.lastError().text();
}

} // namespace veza::storage
