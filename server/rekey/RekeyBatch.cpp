#include "rekey/RekeyBatch.h"

#include "crypto/MessageCipher.h"
#include "rekey/SealedTables.h"
#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/Transaction.h"

#include <QList>
#include <openssl/crypto.h>

namespace veza::rekey {

namespace sql = storage::sql;
using crypto::MessageCipher;

namespace {

struct SealedRow
{
    qint64 id = 0;
    qint64 roomId = 0;
    qint64 seq = 0;
    MessageCipher::Sealed sealed;
};

struct Resealed
{
    qint64 id = 0;
    MessageCipher::Sealed before;
    MessageCipher::Sealed after;
};

QList<SealedRow> readBatch(QSqlDatabase &db, const SealedTable &table, const QString &currentKey,
                           qint64 afterId, int limit)
{
    QList<SealedRow> rows;
    sql::Query query = sql::exec(db, table.selectBatch, {afterId, currentKey, limit});
    while (query.next()) {
        rows.append({query.value(0).toLongLong(),
                     query.value(1).toLongLong(),
                     query.value(2).toLongLong(),
                     {query.value(3).toString(), query.value(4).toByteArray(),
                      query.value(5).toByteArray()}});
    }
    query.finish(); // no read snapshot held into the write transaction
    return rows;
}

} // namespace

BatchOutcome RekeyBatch::run(QSqlDatabase &db, const MessageCipher &cipher,
                             const SealedTable &table, qint64 afterId, int limit)
{
    BatchOutcome outcome;
    outcome.lastId = afterId;
    const QList<SealedRow> rows =
        readBatch(db, table, cipher.keyRing().currentKeyId(), afterId, limit);
    outcome.examined = int(rows.size());
    if (rows.isEmpty())
        return outcome;
    outcome.lastId = rows.last().id;

    QList<Resealed> resealed;
    resealed.reserve(rows.size());
    for (const SealedRow &row : rows) {
        const QByteArray associated = MessageCipher::messageAssociatedData(row.roomId, row.seq);
        MessageCipher::Error error = MessageCipher::Error::Internal;
        std::optional<QByteArray> plain = cipher.decrypt(row.sealed, associated, &error);
        if (!plain) {
            if (error == MessageCipher::Error::UnknownKey)
                ++outcome.unknownKeys[row.sealed.keyId];
            else if (error == MessageCipher::Error::Tampered)
                ++outcome.damaged;
            else
                throw storage::StorageError(QStringLiteral("decryption failed: ") +
                                            MessageCipher::errorName(error));
            continue;
        }
        std::optional<MessageCipher::Sealed> sealed = cipher.encrypt(*plain, associated, &error);
        // The plaintext lived only for this row; do not leave it in freed memory.
        OPENSSL_cleanse(plain->data(), size_t(plain->size()));
        if (!sealed)
            throw storage::StorageError(QStringLiteral("encryption failed: ") +
                                        MessageCipher::errorName(error));
        resealed.append({row.id, row.sealed, *sealed});
    }
    if (resealed.isEmpty())
        return outcome;

    storage::Transaction tx(db);
    for (const Resealed &row : resealed) {
        const sql::Query update = sql::exec(db, table.updateRow,
                                            {row.after.ciphertext, row.after.keyId, row.after.nonce,
                                             row.id, row.before.keyId, row.before.nonce});
        if (update.numRowsAffected() > 0)
            ++outcome.reencrypted;
        else
            ++outcome.changedMeanwhile;
    }
    tx.commit();
    return outcome;
}

} // namespace veza::rekey
