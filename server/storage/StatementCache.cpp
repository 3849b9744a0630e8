#include "storage/StatementCache.h"

#include "storage/StorageError.h"

#include <QSqlError>

namespace veza::storage {
namespace {

thread_local StatementCache *t_current = nullptr;

} // namespace

StatementCache::StatementCache(const QString &connectionName)
    : m_connectionName(connectionName)
    , m_previous(t_current)
{
    t_current = this;
}

StatementCache::~StatementCache()
{
    clear();
    t_current = m_previous;
}

StatementCache *StatementCache::current(const QSqlDatabase &db)
{
    StatementCache *cache = t_current;
    return cache && cache->m_connectionName == db.connectionName() ? cache : nullptr;
}

std::shared_ptr<StatementCache::Entry> StatementCache::checkOut(QSqlDatabase &db,
                                                                const QString &statement)
{
    auto found = m_entries.find(statement);
    if (found != m_entries.end()) {
        std::shared_ptr<Entry> entry = *found;
        if (entry->inUse)
            return nullptr;
        entry->inUse = true;
        return entry;
    }
    if (m_entries.size() >= maxStatements)
        return nullptr; // not expected: every statement is a literal
    auto query = std::make_unique<QSqlQuery>(db);
    query->setForwardOnly(true);
    if (!query->prepare(statement))
        throw StorageError(QStringLiteral("prepare failed"), query->lastError());
    auto entry = std::make_shared<Entry>();
    entry->query = std::move(query);
    entry->inUse = true;
    m_entries.insert(statement, entry);
    return entry;
}

void StatementCache::clear()
{
    // Handed-out entries stay valid (shared) until their handles go; they are just no longer
    // found.
    m_entries.clear();
}

} // namespace veza::storage
