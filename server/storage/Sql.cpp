#include "storage/Sql.h"

#include "storage/StorageError.h"

#include <QSqlError>
#include <utility>

namespace veza::storage::sql {

Query::Query(std::shared_ptr<StatementCache::Entry> cached)
    : m_cached(std::move(cached))
    , m_query(m_cached->query.get())
{
}

Query::Query(std::unique_ptr<QSqlQuery> owned)
    : m_owned(std::move(owned))
    , m_query(m_owned.get())
{
}

Query::Query(Query &&other) noexcept
    : m_cached(std::move(other.m_cached))
    , m_owned(std::move(other.m_owned))
    , m_query(std::exchange(other.m_query, nullptr))
{
}

Query &Query::operator=(Query &&other) noexcept
{
    if (this != &other) {
        release();
        m_cached = std::move(other.m_cached);
        m_owned = std::move(other.m_owned);
        m_query = std::exchange(other.m_query, nullptr);
    }
    return *this;
}

Query::~Query()
{
    release();
}

void Query::release()
{
    if (m_cached) {
        m_cached->query->finish(); // resets the statement: no result, no read lock kept
        m_cached->inUse = false;
        m_cached.reset();
    }
    m_owned.reset();
    m_query = nullptr;
}

namespace {

void bindAndRun(QSqlQuery &query, const QVariantList &values)
{
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec())
        throw StorageError(QStringLiteral("query failed"), query.lastError());
}

} // namespace

Query exec(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    // Without values, execute directly: QPSQL prepares server-side (PREPARE ... AS), which
    // PostgreSQL rejects for DDL, SHOW and LOCK.
    if (values.isEmpty()) {
        auto query = std::make_unique<QSqlQuery>(db);
        query->setForwardOnly(true);
        if (!query->exec(statement))
            throw StorageError(QStringLiteral("query failed"), query->lastError());
        return Query(std::move(query));
    }
    if (StatementCache *cache = StatementCache::current(db)) {
        if (std::shared_ptr<StatementCache::Entry> entry = cache->checkOut(db, statement)) {
            QSqlQuery &prepared = *entry->query;
            Query query(std::move(entry)); // checked back in if the run throws
            bindAndRun(prepared, values);
            return query;
        }
    }
    // Forward-only: results are read once; it also saves the drivers from caching rows.
    auto query = std::make_unique<QSqlQuery>(db);
    query->setForwardOnly(true);
    if (!query->prepare(statement))
        throw StorageError(QStringLiteral("prepare failed"), query->lastError());
    bindAndRun(*query, values);
    return Query(std::move(query));
}

QVariant scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values,
                const QVariant &fallback)
{
    Query query = exec(db, statement, values);
    if (!query.next())
        return fallback;
    return query.value(0);
}

QString containsPattern(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(u'\\', QStringLiteral("\\\\"));
    escaped.replace(u'%', QStringLiteral("\\%"));
    escaped.replace(u'_', QStringLiteral("\\_"));
    return u'%' + escaped + u'%';
}

} // namespace veza::storage::sql
