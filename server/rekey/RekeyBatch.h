#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QString>

namespace veza::crypto {
class MessageCipher;
}

namespace veza::rekey {

struct SealedTable;

// What one batch did. The batch is done with the table when `examined` is 0.
struct BatchOutcome
{
    qint64 lastId = 0;               // where the next batch starts (rows with a greater id)
    int examined = 0;                // rows not under the current key that the batch looked at
    int reencrypted = 0;             // now sealed with the current key
    int changedMeanwhile = 0;        // edited or deleted by a live server between read and write
    QHash<QString, int> unknownKeys; // rows left as they are, by key id not in the ring
    int damaged = 0;                 // rows that did not authenticate (tampered): left as they are
};

// RekeyBatch: re-encrypts, under the ring's current key, the next `limit` sealed rows of one
// table that are not under it yet, starting after row `afterId`.
//
// Built to run beside a live server: the rows are read and resealed outside any transaction
// (on SQLite a read snapshot upgraded to a writer cannot wait for the lock), then written in
// one short transaction that begins with its first UPDATE, so SQLite's busy timeout applies
// and the server's writers wait at most for one batch. Each UPDATE matches the key id and
// nonce it read, so a row the server edited or deleted meanwhile is left to the server.
// Idempotent: rows under the current key are never selected.
//
// Runs inside a database job on the worker that owns `db`; throws storage::StorageError.
class RekeyBatch
{
public:
    RekeyBatch() = delete;

    static BatchOutcome run(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                            const SealedTable &table, qint64 afterId, int limit);
};

} // namespace veza::rekey
