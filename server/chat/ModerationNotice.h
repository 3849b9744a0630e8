#pragma once

#include "protocol/MessageType.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace veza::chat {

// What a moderation action applied on one instance does to its target's sessions, so that
// every instance of a deployment does the same to the sessions it holds (ChatRelay): a ban or
// timeout ends or mutes them, a kick takes them out of the room, an invite subscribes them, a
// grant or revoke changes what they hear. Also the moderation event moderators online hear.
struct ModerationNotice
{
    protocol::MessageType type = protocol::MessageType::Ban;
    QByteArray frame;              // the moderation_event frame, as the target receives it
    qint64 roomId = 0;             // 0: server-wide
    QString roomName;              // with roomId
    qint64 roomLastSeq = 0;        // with roomId: where an invited member starts hearing
    qint64 targetId = 0;           // 0: no target (slow mode, lock, purge)
    QString target;                // the target's `sub`
    std::optional<qint64> untilMs; // ban or timeout end; empty: permanent
};

} // namespace veza::chat
