#pragma once

#include "chat/ChatTypes.h"

#include <QSqlDatabase>

namespace veza::chat {

// ChatMessages: messages and reactions in the database, encrypted at rest.
//
// Stateless: every function is synchronous, takes the connection of the calling database job
// and runs on a Database worker thread (inside Database::run). The cipher is shared by all
// workers (MessageCipher is thread-safe). Failures of the database throw
// storage::StorageError; expected outcomes are return values. Functions that write use their
// own transaction: do not call them inside a transaction opened on the same connection.
//
// Plaintext bodies are sealed with AES-256-GCM bound to (room, seq), so a body moved to
// another row does not open. E2e bodies are stored as given and never touched. A row that
// does not open is returned with ChatMessage::error set, and logged (room and seq only).
class ChatMessages
{
public:
    // Stores a message under the next seq of its room, in one transaction. Sending the same
    // (room, sender, clientMsgId) again stores nothing and returns the original seq and
    // created_at with duplicate = true. Seqs stay gap-free and unique with any number of
    // concurrent writers (PostgreSQL: the room row is locked by UPDATE ... RETURNING;
    // SQLite: one writer). created_at is raised to the previous message's if it would be
    // older, so created_at order equals seq order (history pages by seq, sorts by time).
    // nullopt: the room does not exist. Throws StorageError if encryption fails.
    static std::optional<StoredMessage>
    appendMessage(QSqlDatabase &db, const crypto::MessageCipher &cipher, const NewMessage &message);
    // appendMessage() as one step of the caller's open transaction (a group commit: several
    // messages, one commit): no transaction or savepoint of its own, two statements when the
    // message is new. Its seq and row become durable with the caller's commit; a rollback
    // gives the seq back. A duplicate within the same transaction is found as one committed.
    static std::optional<StoredMessage> appendInTransaction(QSqlDatabase &db,
                                                            const crypto::MessageCipher &cipher,
                                                            const NewMessage &message);
    // A message's content as stored at (room, seq): the values of content_kind, body, key_id,
    // nonce, algorithm and sender_device, in that order (text sealed with the at-rest key, e2e
    // ciphertext as received). Throws StorageError if encryption fails.
    static QVariantList storedContent(const crypto::MessageCipher &cipher, qint64 roomId,
                                      qint64 seq, const Content &content);
    // The sender's latest messages in public rooms (room name and message), newest first, for
    // the moderators' user page.
    static QList<std::pair<QString, ChatMessage>>
    recentPublicBySender(QSqlDatabase &db, const crypto::MessageCipher &cipher, qint64 senderId,
                         int limit);
    // The users.id and users.name of a message's sender; nullopt when there is no such message.
    static std::optional<std::pair<qint64, QString>> senderOf(QSqlDatabase &db, qint64 roomId,
                                                              qint64 seq);
    // The message a retry (same room, sender and client_msg_id) already stored, if any.
    static std::optional<StoredMessage> storedRetry(QSqlDatabase &db, const NewMessage &message);

    // Replaces the content of the editor's own message; plaintext is sealed again with the
    // same (room, seq) binding.
    static ChangeResult editMessage(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                    qint64 roomId, qint64 seq, qint64 editorId,
                                    const Content &content, qint64 editedAtMs);

    // Soft delete by the sender or a moderator: keeps the row (its seq stays a tombstone)
    // but wipes body, nonce and key id and drops its reactions, so the text is gone.
    static ChangeResult deleteMessage(QSqlDatabase &db, qint64 roomId, qint64 seq, qint64 actorId,
                                      bool actorIsModerator, qint64 deletedAtMs);

    // Deletes (as deleteMessage) every live message of `senderId` in the room created at or
    // after sinceMs; returns their seqs in ascending order.
    static QList<qint64> purgeBySender(QSqlDatabase &db, qint64 roomId, qint64 senderId,
                                       qint64 sinceMs, qint64 nowMs);

    // Adds or removes one user's emoji on a message; both are idempotent. The session layer
    // validates the emoji: an empty one is refused by the database (StorageError).
    static ChangeResult react(QSqlDatabase &db, qint64 roomId, qint64 seq, qint64 userId,
                              const QString &emoji, bool add, qint64 nowMs);

    // Live messages (deleted ones omitted), newest first, decrypted, with reactions (`me` set
    // on the emojis viewerId used; 0: nobody's). With beforeSeq: the `limit` newest older than
    // it; with afterSeq: the `limit` oldest newer than it (still returned newest first).
    // Served by the partial index idx_messages_room_created; the reactions of the whole page
    // come from one more query.
    static QList<ChatMessage> history(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                      qint64 roomId, const HistoryQuery &query, qint64 viewerId);

    // Every seq after afterSeq, oldest first, up to limit: deleted messages come as
    // tombstones, so a resuming client sees each seq exactly once, without gaps. Reactions as
    // for history().
    static QList<ChatMessage> messagesAfter(QSqlDatabase &db, const crypto::MessageCipher &cipher,
                                            qint64 roomId, qint64 afterSeq, int limit,
                                            qint64 viewerId);

    // The SQL of history() and the values it binds, for tests and EXPLAIN.
    static QString historySql(const HistoryQuery &query);
    static QVariantList historyValues(QSqlDatabase &db, qint64 roomId, const HistoryQuery &query);
};

} // namespace veza::chat
