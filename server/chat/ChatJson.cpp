#include "chat/ChatJson.h"

#include "storage/Sql.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSqlQuery>

namespace veza::chat::detail {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QHash<qint64, Author> authorsOf(QSqlDatabase &db, const QList<ChatMessage> &messages)
{
    QHash<qint64, Author> authors;
    for (const ChatMessage &message : messages) {
        if (authors.contains(message.senderId))
            continue;
        storage::sql::Query query = storage::sql::exec(
            db, QStringLiteral("SELECT name, display_name FROM users WHERE id = ?"),
            {message.senderId});
        if (query.next())
            authors.insert(message.senderId,
                           {query.value(0).toString(), query.value(1).toString()});
    }
    return authors;
}

QJsonObject messageJson(const QString &room, const ChatMessage &message, const Author &author)
{
    QJsonObject object{{QStringLiteral("room"), room},
                       {QStringLiteral("message_id"), message.seq},
                       {QStringLiteral("sender"), author.externalId},
                       {QStringLiteral("created_at"), message.createdAtMs}};
    if (!author.name.isEmpty())
        object.insert(QStringLiteral("sender_name"), author.name);
    if (!message.clientMsgId.isEmpty())
        object.insert(QStringLiteral("client_msg_id"), message.clientMsgId);
    if (message.editedAtMs)
        object.insert(QStringLiteral("edited_at"), *message.editedAtMs);
    if (message.deleted) {
        object.insert(QStringLiteral("deleted"), true); // a tombstone: the body is gone
    } else if (message.content.e2e) {
        object.insert(QStringLiteral("ciphertext"),
                      QString::fromLatin1(message.content.e2e->ciphertext.toBase64()));
        object.insert(QStringLiteral("algorithm"), message.content.e2e->algorithm);
        object.insert(QStringLiteral("sender_device"), message.content.e2e->senderDevice);
    } else {
        object.insert(QStringLiteral("body"), message.content.text);
        // The body is empty because the row does not open, not because it was empty:
        // "unknown_key" when its key is not configured (a previous key dropped too early).
        if (message.error)
            object.insert(QStringLiteral("unreadable"),
                          crypto::MessageCipher::errorName(*message.error));
    }
    // Only when there are some: a new message (the live event) and a tombstone have none.
    if (!message.reactions.isEmpty()) {
        QJsonArray reactions;
        for (const ReactionCount &reaction : message.reactions)
            reactions.append(QJsonObject{{QStringLiteral("emoji"), reaction.emoji},
                                         {QStringLiteral("count"), reaction.count},
                                         {QStringLiteral("me"), reaction.me}});
        object.insert(QStringLiteral("reactions"), reactions);
    }
    return object;
}

QJsonObject roomJson(const RoomInfo &room)
{
    return {{QStringLiteral("name"), room.name},
            {QStringLiteral("kind"), roomKindName(room.kind)},
            {QStringLiteral("topic"), room.topic},
            {QStringLiteral("slow_mode_s"), room.slowModeS},
            {QStringLiteral("locked"), room.locked},
            {QStringLiteral("e2e"), room.e2e},
            {QStringLiteral("last_message_id"), room.lastSeq}};
}

} // namespace veza::chat::detail
