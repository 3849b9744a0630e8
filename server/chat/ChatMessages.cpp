#include "chat/ChatMessages.h"

#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/Transaction.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMutex>
#include <QSet>
#include <QSqlQuery>
#include <algorithm>
#include <limits>

namespace veza::chat {

using crypto::MessageCipher;
using storage::StorageError;
using storage::Transaction;
namespace sql = storage::sql;

namespace {

Q_LOGGING_CATEGORY(lcChat, "veza.chat")

constexpr int kMaxLimit = 1000;

const QString kText = QStringLiteral("text");
const QString kE2e = QStringLiteral("e2e");

// Columns read by messageFrom(), in its order.
const QString kMessageColumns =
    QStringLiteral("seq, sender_id, client_msg_id, content_kind, body, key_id, nonce, "
                   "algorithm, sender_device, created_at, edited_at, deleted_at");

// Typed NULLs: a plain QVariant() would leave the drivers guessing the parameter type.
QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

QVariant nullBytes()
{
    return QVariant(QMetaType::fromType<QByteArray>());
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? nullText() : QVariant(text);
}

// Column values of a body as stored: kind, body, key_id, nonce, algorithm, sender_device.
QVariantList sealContent(const MessageCipher &cipher, qint64 roomId, qint64 seq,
                         const Content &content)
{
    if (content.e2e) {
        // Opaque to the server: stored exactly as received, never sealed again. A null array
        // would bind as NULL, so an empty one is normalised to zero bytes.
        const QByteArray body =
            content.e2e->ciphertext.isNull() ? QByteArray("") : content.e2e->ciphertext;
        return {kE2e,
                body,
                nullText(),
                nullBytes(),
                textOrNull(content.e2e->algorithm),
                textOrNull(content.e2e->senderDevice)};
    }
    MessageCipher::Error error = MessageCipher::Error::Internal;
    const auto sealed = cipher.encrypt(content.text.toUtf8(),
                                       MessageCipher::messageAssociatedData(roomId, seq), &error);
    if (!sealed) {
        throw StorageError(QStringLiteral("message encryption failed: ") +
                           MessageCipher::errorName(error));
    }
    return {kText, sealed->ciphertext, sealed->keyId, sealed->nonce, nullText(), nullText()};
}

// The assignments that turn a row into a tombstone. substr(body, 1, 0) is an empty value of
// the column's own type on both backends (body is NOT NULL); the old ciphertext and its
// nonce go, so the message cannot be recovered even with the key.
const QString kWipe = QStringLiteral("deleted_at = ?, body = substr(body, 1, 0), key_id = NULL, "
                                     "nonce = NULL, algorithm = NULL, sender_device = NULL");

// Logs a row that does not open once per process, so a damaged row read on every history
// request does not flood the log. Never logs the body.
void logUnreadable(qint64 roomId, qint64 seq, MessageCipher::Error error)
{
    static QMutex mutex;
    static QSet<QPair<qint64, qint64>> logged;
    {
        QMutexLocker lock(&mutex);
        if (logged.size() >= 10000)
            logged.clear(); // bounded memory; at worst a row is logged again
        if (logged.contains({roomId, seq}))
            return;
        logged.insert({roomId, seq});
    }
    qCWarning(lcChat).nospace() << "message room=" << roomId << " seq=" << seq
                                << " cannot be decrypted: " << MessageCipher::errorName(error);
}

ChatMessage messageFrom(const QSqlQuery &q, const MessageCipher &cipher, qint64 roomId)
{
    ChatMessage m;
    m.roomId = roomId;
    m.seq = q.value(0).toLongLong();
    m.senderId = q.value(1).toLongLong();
    m.clientMsgId = q.value(2).toString();
    m.createdAtMs = q.value(9).toLongLong();
    if (!q.isNull(10))
        m.editedAtMs = q.value(10).toLongLong();
    if (!q.isNull(11)) {
        m.deletedAtMs = q.value(11).toLongLong();
        m.deleted = true;
        return m; // a tombstone: nothing left to read
    }
    const QByteArray body = q.value(4).toByteArray();
    if (q.value(3).toString() == kE2e) {
        m.content.e2e = E2eContent{body.isNull() ? QByteArray("") : body, q.value(7).toString(),
                                   q.value(8).toString()};
        return m;
    }
    MessageCipher::Error error = MessageCipher::Error::Internal;
    const MessageCipher::Sealed sealed{q.value(5).toString(), q.value(6).toByteArray(), body};
    const auto plain =
        cipher.decrypt(sealed, MessageCipher::messageAssociatedData(roomId, m.seq), &error);
    if (plain) {
        m.content.text = QString::fromUtf8(*plain);
    } else {
        m.error = error;
        logUnreadable(roomId, m.seq, error);
    }
    return m;
}

// Fills in the reaction summary of the live messages in `messages` with one query; `me` marks
// the emojis viewerId reacted with.
void attachReactions(QSqlDatabase &db, qint64 roomId, qint64 viewerId, QList<ChatMessage> &messages)
{
    qint64 low = -1;
    qint64 high = -1;
    for (const ChatMessage &m : messages) {
        if (m.deleted)
            continue;
        low = low < 0 ? m.seq : std::min(low, m.seq);
        high = std::max(high, m.seq);
    }
    if (low < 0)
        return;
    sql::Query q =
        sql::exec(db,
                  QStringLiteral("SELECT seq, emoji, COUNT(*), "
                                 "MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END) FROM reactions "
                                 "WHERE room_id = ? AND seq >= ? AND seq <= ? "
                                 "GROUP BY seq, emoji "
                                 "ORDER BY seq, MIN(created_at), emoji"),
                  {viewerId, roomId, low, high});
    QHash<qint64, QList<ReactionCount>> bySeq;
    while (q.next())
        bySeq[q.value(0).toLongLong()].append(
            ReactionCount{q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toInt() == 1});
    // Tombstones get none: a reaction racing a delete may outlive it in the table.
    for (ChatMessage &m : messages) {
        if (!m.deleted)
            m.reactions = bySeq.value(m.seq);
    }
}

std::optional<StoredMessage> findByClientId(QSqlDatabase &db, const NewMessage &message)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT seq, created_at FROM messages WHERE "
                                            "room_id = ? AND sender_id = ? AND client_msg_id = ?"),
                             {message.roomId, message.senderId, message.clientMsgId});
    if (!q.next())
        return std::nullopt;
    return StoredMessage{q.value(0).toLongLong(), q.value(1).toLongLong(), true};
}

// Sender and deletion state of a message, for the permission checks of edit and delete.
struct MessageState
{
    qint64 senderId = 0;
    bool deleted = false;
};

std::optional<MessageState> messageState(QSqlDatabase &db, qint64 roomId, qint64 seq)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT sender_id, deleted_at FROM messages "
                                            "WHERE room_id = ? AND seq = ?"),
                             {roomId, seq});
    if (!q.next())
        return std::nullopt;
    return MessageState{q.value(0).toLongLong(), !q.isNull(1)};
}

int clampLimit(int limit)
{
    return std::clamp(limit, 0, kMaxLimit);
}

} // namespace

std::optional<StoredMessage> ChatMessages::appendMessage(QSqlDatabase &db,
                                                         const MessageCipher &cipher,
                                                         const NewMessage &message)
{
    Transaction tx(db);
    std::optional<StoredMessage> stored = appendInTransaction(db, cipher, message);
    if (stored)
        tx.commit();
    return stored;
}

std::optional<StoredMessage> ChatMessages::appendInTransaction(QSqlDatabase &db,
                                                               const MessageCipher &cipher,
                                                               const NewMessage &message)
{
    const bool dedupe = !message.clientMsgId.isEmpty();
    // Locks the room row until commit: concurrent appends to this room queue here, and each
    // sees the last_seq its predecessor committed.
    sql::Query bump = sql::exec(db,
                                QStringLiteral("UPDATE rooms SET last_seq = last_seq + 1 "
                                               "WHERE id = ? RETURNING last_seq"),
                                {message.roomId});
    if (!bump.next())
        return std::nullopt;
    const qint64 seq = bump.value(0).toLongLong();
    bump.finish();

    QVariantList values{message.roomId, seq, message.senderId,
                        dedupe ? QVariant(message.clientMsgId) : nullText()};
    values += sealContent(cipher, message.roomId, seq, message.content);
    // created_at is raised to the previous message's (committed before this transaction got
    // the room's lock, or earlier in it), read by the same statement.
    values << message.createdAtMs << message.createdAtMs << message.roomId << seq - 1;
    sql::Query insert = sql::exec(
        db,
        QStringLiteral("INSERT INTO messages (room_id, seq, sender_id, client_msg_id, "
                       "content_kind, body, key_id, nonce, algorithm, sender_device, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT CASE WHEN MAX(created_at) "
                       "> ? THEN MAX(created_at) ELSE ? END FROM messages WHERE room_id = ? "
                       "AND seq = ?)) ON CONFLICT (room_id, sender_id, client_msg_id) DO NOTHING "
                       "RETURNING created_at"),
        values);
    if (insert.next())
        return StoredMessage{seq, insert.value(0).toLongLong(), false};
    insert.finish();
    // A retry: the client_msg_id is stored already (committed, or earlier in this
    // transaction). The seq goes back; the room row is locked by this transaction since the
    // bump, so nobody took a later one.
    sql::exec(db, QStringLiteral("UPDATE rooms SET last_seq = last_seq - 1 WHERE id = ?"),
              {message.roomId});
    return findByClientId(db, message);
}

QVariantList ChatMessages::storedContent(const MessageCipher &cipher, qint64 roomId, qint64 seq,
                                         const Content &content)
{
    return sealContent(cipher, roomId, seq, content);
}

std::optional<std::pair<qint64, QString>> ChatMessages::senderOf(QSqlDatabase &db, qint64 roomId,
                                                                 qint64 seq)
{
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT u.id, u.name FROM messages m JOIN users u ON "
                                            "u.id = m.sender_id WHERE m.room_id = ? AND m.seq = ?"),
                             {roomId, seq});
    if (!q.next())
        return std::nullopt;
    return std::pair{q.value(0).toLongLong(), q.value(1).toString()};
}

std::optional<StoredMessage> ChatMessages::storedRetry(QSqlDatabase &db, const NewMessage &message)
{
    if (message.clientMsgId.isEmpty())
        return std::nullopt;
    return findByClientId(db, message);
}

ChangeResult ChatMessages::editMessage(QSqlDatabase &db, const MessageCipher &cipher, qint64 roomId,
                                       qint64 seq, qint64 editorId, const Content &content,
                                       qint64 editedAtMs)
{
    const auto state = messageState(db, roomId, seq);
    if (!state)
        return ChangeResult::NotFound;
    if (state->senderId != editorId)
        return ChangeResult::Forbidden;
    if (state->deleted)
        return ChangeResult::Deleted;
    QVariantList values = sealContent(cipher, roomId, seq, content);
    values << editedAtMs << roomId << seq;
    // deleted_at IS NULL: a delete that won a race must not be undone by the edit.
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE messages SET content_kind = ?, body = ?, "
                                            "key_id = ?, nonce = ?, algorithm = ?, "
                                            "sender_device = ?, edited_at = ? WHERE room_id = ? "
                                            "AND seq = ? AND deleted_at IS NULL"),
                             values);
    return q.numRowsAffected() > 0 ? ChangeResult::Ok : ChangeResult::Deleted;
}

ChangeResult ChatMessages::deleteMessage(QSqlDatabase &db, qint64 roomId, qint64 seq,
                                         qint64 actorId, bool actorIsModerator, qint64 deletedAtMs)
{
    Transaction tx(db);
    const auto state = messageState(db, roomId, seq);
    if (!state)
        return ChangeResult::NotFound;
    if (state->senderId != actorId && !actorIsModerator)
        return ChangeResult::Forbidden;
    if (state->deleted)
        return ChangeResult::Deleted;
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE messages SET ") + kWipe +
                                 QStringLiteral(" WHERE room_id = ? AND seq = ? "
                                                "AND deleted_at IS NULL"),
                             {deletedAtMs, roomId, seq});
    if (q.numRowsAffected() == 0)
        return ChangeResult::Deleted;
    sql::exec(db, QStringLiteral("DELETE FROM reactions WHERE room_id = ? AND seq = ?"),
              {roomId, seq});
    tx.commit();
    return ChangeResult::Ok;
}

QList<qint64> ChatMessages::purgeBySender(QSqlDatabase &db, qint64 roomId, qint64 senderId,
                                          qint64 sinceMs, qint64 nowMs)
{
    Transaction tx(db);
    sql::Query q = sql::exec(db,
                             QStringLiteral("UPDATE messages SET ") + kWipe +
                                 QStringLiteral(" WHERE room_id = ? AND sender_id = ? "
                                                "AND created_at >= ? AND deleted_at IS NULL "
                                                "RETURNING seq"),
                             {nowMs, roomId, senderId, sinceMs});
    QList<qint64> seqs;
    while (q.next())
        seqs.append(q.value(0).toLongLong());
    q.finish();
    std::sort(seqs.begin(), seqs.end()); // RETURNING has no defined order
    for (qint64 seq : seqs) {
        sql::exec(db, QStringLiteral("DELETE FROM reactions WHERE room_id = ? AND seq = ?"),
                  {roomId, seq});
    }
    tx.commit();
    return seqs;
}

ChangeResult ChatMessages::react(QSqlDatabase &db, qint64 roomId, qint64 seq, qint64 userId,
                                 const QString &emoji, bool add, qint64 nowMs)
{
    const auto state = messageState(db, roomId, seq);
    if (!state)
        return ChangeResult::NotFound;
    if (state->deleted)
        return ChangeResult::Deleted;
    if (add) {
        sql::exec(db,
                  QStringLiteral("INSERT INTO reactions (room_id, seq, user_id, emoji, "
                                 "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                                 "(room_id, seq, user_id, emoji) DO NOTHING"),
                  {roomId, seq, userId, textOrNull(emoji), nowMs});
    } else {
        sql::exec(db,
                  QStringLiteral("DELETE FROM reactions WHERE room_id = ? AND seq = ? "
                                 "AND user_id = ? AND emoji = ?"),
                  {roomId, seq, userId, emoji});
    }
    return ChangeResult::Ok;
}

QString ChatMessages::historySql(const HistoryQuery &query)
{
    // The WHERE repeats the partial index's predicate so the planner may use it. The seq
    // cursors come with a created_at bound (valid because created_at never decreases with
    // seq, see appendMessage) so the index is entered at the cursor instead of walked from
    // the room's newest or oldest row. The unary plus keeps seq from being an index key:
    // otherwise SQLite prefers UNIQUE (room_id, seq) and then sorts every older message.
    QString statement = QStringLiteral("SELECT ") + kMessageColumns +
                        QStringLiteral(" FROM messages WHERE room_id = ? "
                                       "AND deleted_at IS NULL");
    if (query.afterSeq)
        statement += QStringLiteral(" AND created_at >= ? AND +seq > ?");
    if (query.beforeSeq)
        statement += QStringLiteral(" AND created_at <= ? AND +seq < ?");
    // After a seq, the page nearest to it is the oldest end: walk the index upwards.
    statement += query.afterSeq ? QStringLiteral(" ORDER BY created_at ASC, seq ASC LIMIT ?")
                                : QStringLiteral(" ORDER BY created_at DESC, seq DESC LIMIT ?");
    return statement;
}

QVariantList ChatMessages::historyValues(QSqlDatabase &db, qint64 roomId, const HistoryQuery &query)
{
    // created_at of a cursor's row; a missing row (a cursor past the end, or below 1)
    // bounds nothing, hence the extremes.
    const auto createdAt = [&](qint64 seq, qint64 fallback) {
        return sql::scalar(db,
                           QStringLiteral("SELECT created_at FROM messages WHERE room_id = ? "
                                          "AND seq = ?"),
                           {roomId, seq}, fallback)
            .toLongLong();
    };
    QVariantList values{roomId};
    if (query.afterSeq)
        values << createdAt(*query.afterSeq, std::numeric_limits<qint64>::min()) << *query.afterSeq;
    if (query.beforeSeq)
        values << createdAt(*query.beforeSeq, std::numeric_limits<qint64>::max())
               << *query.beforeSeq;
    values << clampLimit(query.limit);
    return values;
}

QList<ChatMessage> ChatMessages::history(QSqlDatabase &db, const MessageCipher &cipher,
                                         qint64 roomId, const HistoryQuery &query, qint64 viewerId)
{
    if (clampLimit(query.limit) == 0)
        return {};
    sql::Query q = sql::exec(db, historySql(query), historyValues(db, roomId, query));
    QList<ChatMessage> result;
    while (q.next())
        result.append(messageFrom(q.query(), cipher, roomId));
    q.finish();
    if (query.afterSeq)
        std::reverse(result.begin(), result.end());
    attachReactions(db, roomId, viewerId, result);
    return result;
}

QList<std::pair<QString, ChatMessage>>
ChatMessages::recentPublicBySender(QSqlDatabase &db, const MessageCipher &cipher, qint64 senderId,
                                   int limit)
{
    struct Found
    {
        qint64 roomId;
        QString room;
        qint64 seq;
    };
    QList<Found> found;
    {
        // Walks idx_messages_sender (sender_id, created_at) from the newest end.
        sql::Query q = sql::exec(
            db,
            QStringLiteral("SELECT m.room_id, r.name, m.seq FROM messages m JOIN rooms r ON "
                           "r.id = m.room_id WHERE m.sender_id = ? AND r.kind = 'public' "
                           "AND m.deleted_at IS NULL ORDER BY m.created_at DESC LIMIT ?"),
            {senderId, std::clamp(limit, 1, kMaxLimit)});
        while (q.next())
            found.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong()});
    }
    QList<std::pair<QString, ChatMessage>> result;
    for (const Found &message : std::as_const(found)) {
        sql::Query row =
            sql::exec(db,
                      QStringLiteral("SELECT ") + kMessageColumns +
                          QStringLiteral(" FROM messages WHERE room_id = ? AND seq = ?"),
                      {message.roomId, message.seq});
        if (row.next())
            result.append({message.room, messageFrom(row.query(), cipher, message.roomId)});
    }
    return result;
}

QList<ChatMessage> ChatMessages::messagesAfter(QSqlDatabase &db, const MessageCipher &cipher,
                                               qint64 roomId, qint64 afterSeq, int limit,
                                               qint64 viewerId)
{
    limit = clampLimit(limit);
    if (limit == 0)
        return {};
    // Walks UNIQUE (room_id, seq): every seq, tombstones included.
    sql::Query q = sql::exec(db,
                             QStringLiteral("SELECT ") + kMessageColumns +
                                 QStringLiteral(" FROM messages WHERE room_id = ? AND seq > ? "
                                                "ORDER BY seq LIMIT ?"),
                             {roomId, afterSeq, limit});
    QList<ChatMessage> result;
    while (q.next())
        result.append(messageFrom(q.query(), cipher, roomId));
    q.finish();
    attachReactions(db, roomId, viewerId, result);
    return result;
}

} // namespace veza::chat
