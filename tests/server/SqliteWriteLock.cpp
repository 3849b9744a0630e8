#include "SqliteWriteLock.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace veza::testing {

SqliteWriteLock::SqliteWriteLock(const QString &databaseFile)
    : m_connection(QStringLiteral("write-lock-") + QUuid::createUuid().toString(QUuid::Id128))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(databaseFile);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        m_error = db.lastError().text();
        return;
    }
    QSqlQuery begin(db);
    m_held = begin.exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!m_held)
        m_error = begin.lastError().text();
}

SqliteWriteLock::~SqliteWriteLock()
{
    release();
    QSqlDatabase::removeDatabase(m_connection);
}

void SqliteWriteLock::release()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (m_held)
            QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        m_held = false;
        db.close();
    }
}

} // namespace veza::testing
