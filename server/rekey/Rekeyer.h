#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace veza::crypto {
class MessageCipher;
}
namespace veza::storage {
class Database;
}

namespace veza::rekey {

class KeyCensus;
struct SealedTable;

struct RekeyOptions
{
    int batchSize = 500; // rows per transaction
    int pauseMs = 10;    // between batches, so a live server's writers get their turn
    int attempts = 5;    // tries per batch before giving up (SQLite busy, a lost connection)
};

// How far one table is.
struct TableProgress
{
    QString table;
    qint64 total = 0; // rows not under the current key when the run began
    qint64 reencrypted = 0;
    qint64 changedMeanwhile = 0;        // rewritten by a live server first: nothing to do
    QHash<QString, qint64> unknownKeys; // rows left unreadable, by key id
    qint64 damaged = 0;                 // rows that do not authenticate, left as they are
    qint64 elapsedUs = 0;
    bool finished = false;

    qint64 done() const; // every row dealt with, one way or another
    double rowsPerSecond() const;
};

struct RekeyResult
{
    QList<TableProgress> tables;
    std::optional<QString> error; // the database failed; the run can simply be started again
};

// Rekeyer: moves every sealed row (sealedTables()) that is not under the ring's current key to
// it, table after table, in RekeyBatch batches queued one at a time on `database`, while
// servers keep using it. Resumable by running it again: finished rows are never selected.
// Blocks its caller (the `veza-server rekey` command's main thread) until done.
class Rekeyer
{
public:
    using ProgressHandler = std::function<void(const TableProgress &)>;

    Rekeyer(storage::Database &database, const crypto::MessageCipher &cipher, RekeyOptions options);

    // `before` gives each table's total; `progress` is called after every batch and once more
    // with finished = true when a table is done.
    RekeyResult run(const KeyCensus &before, const ProgressHandler &progress);

private:
    std::optional<QString> runTable(const SealedTable &sealed, TableProgress &table,
                                    const ProgressHandler &progress);

    storage::Database &m_database;
    const crypto::MessageCipher &m_cipher;
    RekeyOptions m_options;
};

} // namespace veza::rekey
