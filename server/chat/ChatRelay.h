#pragma once

#include "chat/ModerationNotice.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>

namespace veza::chat {

// How the chat service tells the other instances of a deployment what happened in a room here,
// and which rooms it must hear about (REDIS_URL; none when the server runs alone). What it
// hears comes back through ChatService::heardFromPeer (room events),
// ChatService::applyPeerModeration (moderation outcomes) and ChatService::applyPeerMembers. Best
// effort: the database is the truth, and ChatService fills any gap in a room's message ids from it.
// Chat thread. Users who became members of a room here (a room created with them, the first direct
// message to them, a first join): their sessions on other instances hear the room from now on.
struct NewMembers
{
    qint64 roomId = 0;
    QString roomName;
    qint64 lastSeq = 0; // the room's last message id before they joined: where they start
    QList<qint64> userIds;
};

class ChatRelay
{
public:
    virtual ~ChatRelay() = default;

    // An event of the room that happened on this instance: a stored message (`seq` > 0, its
    // id in the room) or anything else room members hear (seq 0: typing, presence, edits).
    virtual void tell(qint64 roomId, qint64 seq, const QByteArray &frame) = 0;
    // Whether members of the room are online here, so its events from elsewhere are wanted.
    virtual void hear(qint64 roomId, bool heard) = 0;
    // A moderation action applied here: every other instance does the same to the target's
    // sessions it holds and tells its moderators online.
    virtual void tellModeration(const ModerationNotice &notice) = 0;
    // New members of a room: every other instance subscribes their sessions it holds.
    virtual void tellNewMembers(const NewMembers &members) = 0;
};

} // namespace veza::chat
