#include "rekey/KeyCensus.h"

#include "crypto/KeyRing.h"
#include "rekey/SealedTables.h"
#include "storage/Sql.h"

#include <algorithm>

namespace veza::rekey {

KeyCensus KeyCensus::take(QSqlDatabase &db)
{
    KeyCensus census;
    for (const SealedTable &table : sealedTables()) {
        QList<Count> counts;
        storage::sql::Query rows = storage::sql::exec(db, table.countByKey);
        while (rows.next())
            counts.append({table.name, rows.value(0).toString(), rows.value(1).toLongLong()});
        std::sort(counts.begin(), counts.end(),
                  [](const Count &a, const Count &b) { return a.keyId < b.keyId; });
        census.m_counts += counts;
    }
    return census;
}

qint64 KeyCensus::rows(const crypto::KeyRing &ring, Role role, const QString &table) const
{
    qint64 total = 0;
    for (const Count &count : m_counts) {
        if ((table.isEmpty() || count.table == table) && roleOf(ring, count.keyId) == role)
            total += count.rows;
    }
    return total;
}

KeyCensus::Role KeyCensus::roleOf(const crypto::KeyRing &ring, const QString &keyId)
{
    if (ring.isCurrent(keyId))
        return Role::Current;
    return ring.contains(keyId) ? Role::Previous : Role::Unknown;
}

QString KeyCensus::roleName(Role role)
{
    switch (role) {
    case Role::Current:
        return QStringLiteral("current");
    case Role::Previous:
        return QStringLiteral("previous");
    case Role::Unknown:
        return QStringLiteral("unknown");
    }
    return {};
}

} // namespace veza::rekey
