#include "storage/Sql.h"

#include "storage/StorageError.h"

#include <QSqlError>

namespace veza::storage::sql {

QSqlQuery exec(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    // Forward-only: results are read once; it also saves the drivers from caching rows.
    query.setForwardOnly(true);
    // Without values, execute directly: QPSQL prepares server-side (PREPARE ... AS), which
    // PostgreSQL rejects for DDL, SHOW and LOCK.
    if (values.isEmpty()) {
        if (!query.exec(statement))
            throw StorageError(QStringLiteral("query failed"), query.lastError());
        return query;
    }
    if (!query.prepare(statement))
        throw StorageError(QStringLiteral("prepare failed"), query.lastError());
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        throw StorageError(QStringLiteral("query failed"), query.lastError());
    return query;
}

QVariant scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values,
                const QVariant &fallback)
{
    QSqlQuery query = exec(db, statement, values);
    if (!query.next())
        return fallback;
    return query.value(0);
}

} // namespace veza::storage::sql
