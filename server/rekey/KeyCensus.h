#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace veza::crypto {
class KeyRing;
}

namespace veza::rekey {

// KeyCensus: how many sealed rows each table holds under each key id, and what each key is to
// the configured ring. It tells an operator whether a previous key still seals anything (and
// so whether it may be dropped), and rekey how much work is left. Plain value; take() runs
// inside a database job and throws storage::StorageError.
class KeyCensus
{
public:
    enum class Role {
        Current,  // ENCRYPTION_KEY
        Previous, // in ENCRYPTION_KEYS_PREVIOUS: readable, to be re-encrypted
        Unknown,  // not configured: unreadable until its key is put back
    };

    struct Count
    {
        QString table;
        QString keyId;
        qint64 rows = 0;
    };

    // One full count of every sealed table (sealedTables()), in table order, then key id order.
    static KeyCensus take(QSqlDatabase &db);

    const QList<Count> &counts() const { return m_counts; }
    // Rows of `table` (empty: of every table) whose key has `role` in `ring`.
    qint64 rows(const crypto::KeyRing &ring, Role role, const QString &table = {}) const;

    static Role roleOf(const crypto::KeyRing &ring, const QString &keyId);
    static QString roleName(Role role); // "current", "previous", "unknown"

private:
    QList<Count> m_counts;
};

} // namespace veza::rekey
