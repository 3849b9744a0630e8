#pragma once

#include "storage/StatementCache.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>
#include <memory>

// Small helpers that run one statement with bound values and turn failures into StorageError.
// Used inside database jobs, i.e. on a Database worker thread, with that thread's connection.
// Values are always bound ("?" placeholders), never formatted into the SQL text.
namespace veza::storage::sql {

// The result of exec(): the executed query, for reading rows. Move-only: a statement from the
// worker's StatementCache goes back to it (finished) when the handle goes, so hold it only
// while reading, and never copy the QSqlQuery out of it.
class Query
{
public:
    explicit Query(std::shared_ptr<StatementCache::Entry> cached);
    explicit Query(std::unique_ptr<QSqlQuery> owned);
    Query(Query &&other) noexcept;
    Query &operator=(Query &&other) noexcept;
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;
    ~Query();

    bool next() { return m_query->next(); }
    QVariant value(int index) const { return m_query->value(index); }
    bool isNull(int index) const { return m_query->isNull(index); }
    int numRowsAffected() const { return m_query->numRowsAffected(); }
    QVariant lastInsertId() const { return m_query->lastInsertId(); }
    // Done reading: releases the result (and SQLite's read snapshot) before the handle goes.
    void finish() { m_query->finish(); }
    const QSqlQuery &query() const { return *m_query; }

private:
    void release();

    std::shared_ptr<StatementCache::Entry> m_cached;
    std::unique_ptr<QSqlQuery> m_owned;
    QSqlQuery *m_query = nullptr;
};

// Prepares `statement` (or takes it prepared from the worker's StatementCache), binds
// `values` positionally and executes it; throws StorageError. A statement without values is
// executed directly, uncached (DDL cannot be prepared on PostgreSQL).
Query exec(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// Runs a query expected to return one row and returns its first column, or `fallback` when
// it returned no row; throws StorageError.
QVariant scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values = {},
                const QVariant &fallback = {});

// A LIKE pattern (with ESCAPE '\') matching any text that contains `text` lowercased,
// literally: its own % and _ are escaped. For `LOWER(column) LIKE ? ESCAPE '\'`.
QString containsPattern(const QString &text);

} // namespace veza::storage::sql
