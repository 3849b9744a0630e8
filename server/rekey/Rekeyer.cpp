#include "rekey/Rekeyer.h"

#include "crypto/MessageCipher.h"
#include "rekey/KeyCensus.h"
#include "rekey/RekeyBatch.h"
#include "rekey/SealedTables.h"
#include "storage/Database.h"

#include <QElapsedTimer>
#include <QThread>
#include <algorithm>

namespace veza::rekey {

qint64 TableProgress::done() const
{
    qint64 unknown = 0;
    for (qint64 rows : unknownKeys)
        unknown += rows;
    return reencrypted + changedMeanwhile + unknown + damaged;
}

double TableProgress::rowsPerSecond() const
{
    return elapsedUs > 0 ? double(reencrypted) * 1e6 / double(elapsedUs) : 0.0;
}

Rekeyer::Rekeyer(storage::Database &database, const crypto::MessageCipher &cipher,
                 RekeyOptions options)
    : m_database(database)
    , m_cipher(cipher)
    , m_options(options)
{
    m_options.batchSize = std::max(1, m_options.batchSize);
    m_options.attempts = std::max(1, m_options.attempts);
}

RekeyResult Rekeyer::run(const KeyCensus &before, const ProgressHandler &progress)
{
    RekeyResult result;
    const crypto::KeyRing &ring = m_cipher.keyRing();
    for (const SealedTable &sealed : sealedTables()) {
        TableProgress table;
        table.table = sealed.name;
        table.total = before.rows(ring, KeyCensus::Role::Previous, sealed.name) +
                      before.rows(ring, KeyCensus::Role::Unknown, sealed.name);
        result.error = runTable(sealed, table, progress);
        result.tables.append(table);
        if (result.error)
            break;
    }
    return result;
}

std::optional<QString> Rekeyer::runTable(const SealedTable &sealed, TableProgress &table,
                                         const ProgressHandler &progress)
{
    QElapsedTimer clock;
    clock.start();
    qint64 afterId = 0;
    int failures = 0;
    for (;;) {
        BatchOutcome batch;
        try {
            batch =
                m_database
                    .run([this, &sealed, afterId](QSqlDatabase &db) {
                        return RekeyBatch::run(db, m_cipher, sealed, afterId, m_options.batchSize);
                    })
                    .result();
            failures = 0;
        } catch (const std::exception &e) {
            // A batch either committed whole or not at all, so trying it again is safe.
            if (++failures >= m_options.attempts)
                return QStringLiteral("%1: %2 (gave up after %3 attempts)")
                    .arg(table.table, QString::fromUtf8(e.what()))
                    .arg(m_options.attempts);
            QThread::msleep(200UL * unsigned(failures));
            continue;
        }
        table.reencrypted += batch.reencrypted;
        table.changedMeanwhile += batch.changedMeanwhile;
        table.damaged += batch.damaged;
        for (auto it = batch.unknownKeys.cbegin(); it != batch.unknownKeys.cend(); ++it)
            table.unknownKeys[it.key()] += it.value();
        table.elapsedUs = clock.nsecsElapsed() / 1000;
        afterId = batch.lastId;
        if (batch.examined == 0)
            break;
        // Rows the live server wrote under an old key meanwhile make the total grow.
        table.total = std::max(table.total, table.done());
        progress(table);
        if (m_options.pauseMs > 0)
            QThread::msleep(unsigned(m_options.pauseMs));
    }
    table.finished = true;
    // Rows counted at the start that no batch saw were resealed or wiped by a server (an edit,
    // a delete) or another rekey before this one reached them.
    table.changedMeanwhile += std::max<qint64>(0, table.total - table.done());
    table.total = table.done();
    progress(table);
    return std::nullopt;
}

} // namespace veza::rekey
