#include "storage/Transaction.h"

#include "storage/StorageError.h"
#include "storage/StorageLog.h"

#include <QSqlError>

namespace veza::storage {

Transaction::Transaction(QSqlDatabase &db)
    : m_db(db)
{
    if (!m_db.transaction())
        throw StorageError(QStringLiteral("cannot begin transaction"), m_db.lastError());
    m_active = true;
}

Transaction::~Transaction()
{
    if (m_active)
        rollback();
}

void Transaction::commit()
{
    if (!m_active)
        throw StorageError(QStringLiteral("commit without an active transaction"));
    if (!m_db.commit())
        throw StorageError(QStringLiteral("commit failed"), m_db.lastError());
    m_active = false;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    // A rollback failing (e.g. the connection died) must not throw from a destructor; the
    // server discards the transaction anyway when the connection goes away.
    if (!m_db.rollback())
        qCWarning(lcStorage) << "rollback failed:" << m_db.lastError().text();
}

} // namespace veza::storage
