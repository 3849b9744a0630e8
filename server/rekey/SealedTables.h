#pragma once

#include <QList>
#include <QString>

namespace veza::rekey {

// SealedTable: a table whose rows carry a body sealed by crypto::MessageCipher (columns key_id,
// nonce, body; associated data messageAssociatedData(room_id, seq)), with the statements
// re-encryption needs. Rows without a key_id (end-to-end ciphertext, deleted messages) hold
// nothing the server sealed and are never selected.
//
// The statements are written out per table rather than assembled from its name, so each can
// be read and searched for as it runs; every value in them is bound.
struct SealedTable
{
    QString name;
    // key_id, COUNT(*) of the sealed rows, one row per key id.
    QString countByKey;
    // id, room_id, seq, key_id, nonce, body of the sealed rows with id > ? whose key_id is not
    // ?, in id order, LIMIT ?.
    QString selectBatch;
    // body = ?, key_id = ?, nonce = ? WHERE id = ? AND key_id = ? AND nonce = ?: the row is
    // rewritten only if nobody changed it since it was read (an edit seals it afresh under
    // the current key, a delete wipes it).
    QString updateRow;
};

// Every table holding data sealed at rest, in the order rekey processes them: messages before
// reports, because a report copies its message's sealed body when it is filed.
const QList<SealedTable> &sealedTables();

} // namespace veza::rekey
