#pragma once

#include "JsonTableModel.h"

#include <QObject>

namespace veza::console {

class ChatChannel;

// RoomFeed: one room's messages as a moderator watches them: the latest 50 from `join`, then
// every message, edit, deletion and reaction as it happens (across reconnects: the chat
// channel resumes). A deleted message stays in view, marked, so the moderator sees what
// happened. Knows which room it shows; GUI thread.
class RoomFeed : public QObject
{
    Q_OBJECT

public:
    enum Column { Time, Author, Message, Reactions, State };

    explicit RoomFeed(ChatChannel *chat, QObject *parent = nullptr);

    JsonTableModel *messages() { return &m_messages; }
    QString room() const { return m_room; }
    // Follows `room` (empty: none). `done(problem)` once joined.
    void show(const QString &room, std::function<void(const QString &problem)> done = {});
    void onEvent(const QJsonObject &frame);

private:
    ChatChannel *m_chat;
    QString m_room;
    JsonTableModel m_messages;
};

} // namespace veza::console
