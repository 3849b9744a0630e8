#include "RoomFeed.h"

#include "ChatChannel.h"

#include <QJsonArray>

namespace veza::console {
namespace {

QList<JsonTableModel::Column> messageColumns()
{
    return {JsonTableModel::time([] { return RoomFeed::tr("Time"); }, QStringLiteral("created_at")),
            {[] { return RoomFeed::tr("Author"); },
             [](const QJsonObject &m) {
                 const QString name = m.value(u"sender_name").toString();
                 const QString id = m.value(u"sender").toString();
                 return name.isEmpty() || name == id ? id : RoomFeed::tr("%1 (%2)").arg(name, id);
             }},
            {[] { return RoomFeed::tr("Message"); },
             [](const QJsonObject &m) {
                 return m.value(u"deleted").toBool() ? RoomFeed::tr("(deleted)")
                                                     : m.value(u"body").toString();
             }},
            {[] { return RoomFeed::tr("Reactions"); },
             [](const QJsonObject &m) {
                 QStringList parts;
                 for (const QJsonValue &r : m.value(u"reactions").toArray())
                     parts << QStringLiteral("%1 %2")
                                  .arg(r[u"emoji"].toString())
                                  .arg(r[u"count"].toInteger());
                 return parts.join(QLatin1Char(' '));
             }},
            {[] { return RoomFeed::tr("State"); },
             [](const QJsonObject &m) {
                 if (m.value(u"deleted").toBool())
                     return RoomFeed::tr("deleted");
                 return m.contains(u"edited_at") && !m.value(u"edited_at").isNull()
                            ? RoomFeed::tr("edited")
                            : QString();
             }}};
}

} // namespace

RoomFeed::RoomFeed(ChatChannel *chat, QObject *parent)
    : QObject(parent)
    , m_chat(chat)
    , m_messages(QStringLiteral("message_id"), messageColumns())
{
}

void RoomFeed::show(const QString &room, std::function<void(const QString &)> done)
{
    if (!m_room.isEmpty() && m_room != room)
        m_chat->unfollow(m_room);
    m_room = room;
    m_messages.clear();
    if (room.isEmpty())
        return;
    m_chat->follow(room, this, [this, room, done](const QJsonObject &answer) {
        if (room != m_room)
            return;
        if (answer.value(u"type").toString() != u"ack") {
            if (done)
                done(answer.value(u"message").toString());
            return;
        }
        const QJsonArray latest = answer.value(u"messages").toArray(); // newest first
        for (qsizetype i = latest.size() - 1; i >= 0; --i)
            m_messages.upsert(latest.at(i).toObject());
        if (done)
            done({});
    });
}

void RoomFeed::onEvent(const QJsonObject &frame)
{
    if (m_room.isEmpty() || frame.value(u"room").toString() != m_room)
        return;
    const QString type = frame.value(u"type").toString();
    const QString key = QString::number(frame.value(u"message_id").toInteger());
    const int row = m_messages.rowOfKey(key);
    if (type == u"message") {
        m_messages.upsert(frame);
        return;
    }
    if (row < 0)
        return;
    QJsonObject message = m_messages.object(row);
    if (type == u"edited") {
        message.insert(QStringLiteral("body"), frame.value(u"body"));
        message.insert(QStringLiteral("edited_at"), frame.value(u"edited_at"));
    } else if (type == u"deleted") {
        message.insert(QStringLiteral("deleted"), true);
    } else if (type == u"reaction") {
        QJsonArray reactions = message.value(u"reactions").toArray();
        const QString emoji = frame.value(u"emoji").toString();
        const int delta = frame.value(u"removed").toBool() ? -1 : 1;
        bool found = false;
        for (int i = 0; i < reactions.size(); ++i) {
            QJsonObject reaction = reactions.at(i).toObject();
            if (reaction.value(u"emoji").toString() != emoji)
                continue;
            found = true;
            const qint64 count = reaction.value(u"count").toInteger() + delta;
            if (count <= 0) {
                reactions.removeAt(i);
            } else {
                reaction.insert(QStringLiteral("count"), count);
                reactions[i] = reaction;
            }
            break;
        }
        if (!found && delta > 0)
            reactions.append(
                QJsonObject{{QStringLiteral("emoji"), emoji}, {QStringLiteral("count"), 1}});
        message.insert(QStringLiteral("reactions"), reactions);
    } else {
        return;
    }
    m_messages.upsert(message);
}

} // namespace veza::console
