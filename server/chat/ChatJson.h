#pragma once

// Helpers shared by the ChatService implementation files: clocks and the JSON shapes of
// rooms and messages on the wire (docs/protocol.md). Internal to the chat service.
#include "chat/ChatTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>

namespace veza::chat::detail {

qint64 nowMs(); // wall clock, ms since the epoch (stored times)

struct Author
{
    QString externalId;
    QString name;
};

// users.id -> (sub, display name) for the senders of `messages`; runs on a database worker.
QHash<qint64, Author> authorsOf(QSqlDatabase &db, const QList<ChatMessage> &messages);
// A message as clients see it; `reactions` ([{"emoji","count","me"}], in order of first use)
// only when it has some.
QJsonObject messageJson(const QString &room, const ChatMessage &message, const Author &author);
QJsonObject roomJson(const RoomInfo &room);

} // namespace veza::chat::detail
