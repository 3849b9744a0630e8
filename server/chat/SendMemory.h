#pragma once

#include "chat/SendAccess.h"

#include <QHash>
#include <QMutex>
#include <QPair>
#include <QString>
#include <optional>

namespace veza::chat {

// SendMemory: what earlier batches of sends on PostgreSQL learnt about rooms and senders, so
// that a batch whose rooms and senders are all known is written in one statement, without
// reading first (SendBatchPostgres): each room's columns and the created_at of its last message
// (the next seq, which a body's seal needs, follows from last_seq), and each sender's access to
// a room. A guess, never trusted: the write checks every rule again and writes a room only if
// its last_seq is still the one remembered, so a stale entry costs a round trip, never a wrong
// write. Shared by the batches of one ChatService, on whichever worker thread runs them.
class SendMemory
{
public:
    // Bounds: past them everything is forgotten at once (the next batches read again). A room
    // costs ~200 bytes, a sender ~50.
    static constexpr qsizetype kMaxRooms = 50'000;
    static constexpr qsizetype kMaxSenders = 500'000;

    struct Recalled
    {
        SendAccess access; // room and sender as last read or written
        qint64 lastCreatedAtMs = 0;
    };

    // Nothing when the room or the sender's access to it is not known.
    std::optional<Recalled> recall(const QString &roomName, qint64 userId) const;

    // After a read: the room (when there is one) and the sender's access to it.
    void remember(const SendAccess &access, qint64 userId, qint64 lastCreatedAtMs);
    // After a write: the room as written (its new last_seq) and its last message's created_at.
    void written(const RoomInfo &room, qint64 lastCreatedAtMs);
    // A room the memory may be wrong about (a write left it, or it went the careful way).
    void forget(const QString &roomName);
    // A sender whose access to the room the memory may be wrong about.
    void forgetSender(qint64 roomId, qint64 userId);

    qsizetype roomCount() const;

private:
    struct Room
    {
        RoomInfo info;
        qint64 lastCreatedAtMs = 0;
    };
    struct Sender
    {
        bool member = false;
        bool roomModerator = false;
        moderation::SanctionState sanction;
    };

    mutable QMutex m_mutex; // batches of several lanes could share it
    QHash<QString, Room> m_rooms;
    QHash<QPair<qint64, qint64>, Sender> m_senders; // by room id, user id
};

} // namespace veza::chat
