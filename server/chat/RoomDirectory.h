#pragma once

#include "chat/ChatTypes.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace veza::chat {

// One room as the moderators' directory shows it.
struct RoomDirectoryEntry
{
    RoomInfo room;
    QString owner; // the creator's name (token `sub`); empty for rooms created by a join
    int members = 0;
    int messagesLastHour = 0;
    qint64 lastActivityMs = 0; // the newest message's time; 0 without messages
};

struct RoomDirectoryQuery
{
    QString search;    // a part of the name or topic, any case; empty: every room
    QString afterName; // paging: rooms whose name sorts after this one
    int limit = 50;    // clamped to [1, 201]
};

// The rooms directory for moderators: public and private rooms (direct rooms are private
// conversations and are not listed), by name. Runs inside a Database::run job.
class RoomDirectory
{
public:
    RoomDirectory() = delete;
    static QList<RoomDirectoryEntry> list(QSqlDatabase &db, const RoomDirectoryQuery &query,
                                          qint64 nowMs);
};

} // namespace veza::chat
