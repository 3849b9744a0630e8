#pragma once

// Value types exchanged with the chat persistence layer (ChatRooms, ChatMessages). Plain data,
// copied freely between the database worker threads and the session layer.

#include "crypto/MessageCipher.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>
#include <optional>

namespace veza::chat {

enum class RoomKind { Public, Private, Direct };

QString roomKindName(RoomKind kind); // "public", "private", "direct"
std::optional<RoomKind> roomKindFromName(const QString &name);

struct RoomInfo
{
    qint64 id = 0;
    QString name;
    RoomKind kind = RoomKind::Public;
    QString topic;
    int slowModeS = 0;
    bool locked = false;
    bool e2e = false;
    qint64 lastSeq = 0; // seq of the newest message (deleted or not); 0 when empty
};

// One entry of ChatRooms::roomsOf: a room the user belongs to.
struct MemberRoom
{
    RoomInfo room;
    QString role;
    qint64 lastReadSeq = 0;
    qint64 unread = 0; // messages with seq > lastReadSeq that are not deleted
};

struct Member
{
    qint64 userId = 0;
    QString name; // users.name: the token's `sub`
    QString displayName;
    QString role;
    qint64 joinedAtMs = 0;
};

// End-to-end encrypted content: opaque to the server, stored and returned byte for byte.
struct E2eContent
{
    QByteArray ciphertext;
    QString algorithm;
    QString senderDevice;
};

// A message body as sent: plaintext (encrypted at rest by the server) or e2e ciphertext.
struct Content
{
    QString text;                  // used when e2e is empty
    std::optional<E2eContent> e2e; // set: the message is end-to-end encrypted
};

struct NewMessage
{
    qint64 roomId = 0;
    qint64 senderId = 0;
    QString clientMsgId; // the client's id for retries; empty: no deduplication
    Content content;
    qint64 createdAtMs = 0;
};

struct StoredMessage
{
    qint64 seq = 0;
    qint64 createdAtMs = 0; // as stored: may be later than requested (see appendMessage)
    bool duplicate = false; // the client_msg_id was already stored; nothing new was written
};

// Outcome of a change to an existing message.
enum class ChangeResult {
    Ok,
    NotFound,  // no such (room, seq)
    Forbidden, // not the actor's message (and the actor is no moderator, where that counts)
    Deleted,   // the message is already deleted
};

struct ReactionCount
{
    QString emoji;
    qint64 count = 0;
    bool me = false; // the reader (ChatMessages' viewerId) is among those who reacted
};

// A message as read back. A deleted message is a tombstone: deleted = true, no content.
struct ChatMessage
{
    qint64 roomId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    QString clientMsgId;
    Content content;
    qint64 createdAtMs = 0;
    std::optional<qint64> editedAtMs;
    std::optional<qint64> deletedAtMs;
    bool deleted = false;
    // Set when the stored ciphertext could not be opened (content is then empty).
    std::optional<crypto::MessageCipher::Error> error;
    QList<ReactionCount> reactions; // in order of each emoji's first use
};

struct HistoryQuery
{
    std::optional<qint64> beforeSeq; // only messages with seq < beforeSeq
    std::optional<qint64> afterSeq;  // only messages with seq > afterSeq
    int limit = 50;
};

} // namespace veza::chat
