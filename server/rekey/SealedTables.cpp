#include "rekey/SealedTables.h"

namespace veza::rekey {

const QList<SealedTable> &sealedTables()
{
    static const QList<SealedTable> tables{
        {QStringLiteral("messages"),
         QStringLiteral("SELECT key_id, COUNT(*) FROM messages WHERE key_id IS NOT NULL "
                        "GROUP BY key_id"),
         QStringLiteral("SELECT id, room_id, seq, key_id, nonce, body FROM messages "
                        "WHERE id > ? AND key_id IS NOT NULL AND key_id <> ? ORDER BY id LIMIT ?"),
         QStringLiteral("UPDATE messages SET body = ?, key_id = ?, nonce = ? "
                        "WHERE id = ? AND key_id = ? AND nonce = ?")},
        {QStringLiteral("reports"),
         QStringLiteral("SELECT key_id, COUNT(*) FROM reports WHERE key_id IS NOT NULL "
                        "GROUP BY key_id"),
         QStringLiteral("SELECT id, room_id, seq, key_id, nonce, body FROM reports "
                        "WHERE id > ? AND key_id IS NOT NULL AND key_id <> ? ORDER BY id LIMIT ?"),
         QStringLiteral("UPDATE reports SET body = ?, key_id = ?, nonce = ? "
                        "WHERE id = ? AND key_id = ? AND nonce = ?")},
    };
    return tables;
}

} // namespace veza::rekey
