#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

// Small helpers that run one statement with bound values and turn failures into StorageError.
// Used inside database jobs, i.e. on a Database worker thread, with that thread's connection.
// Values are always bound ("?" placeholders), never formatted into the SQL text.
namespace veza::storage::sql {

// Prepares `statement`, binds `values` positionally and executes it; throws StorageError.
// A statement without values is executed directly (DDL cannot be prepared on PostgreSQL).
QSqlQuery exec(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// Runs a query expected to return one row and returns its first column, or `fallback` when
// it returned no row; throws StorageError.
QVariant scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values = {},
                const QVariant &fallback = {});

} // namespace veza::storage::sql
