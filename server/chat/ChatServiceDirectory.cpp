// ChatService: the directories moderators browse (rooms, a room's messages), with what only
// this thread knows: who is online. Same thread and rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "chat/RoomDirectory.h"
#include "moderation/ModerationService.h"
#include "moderation/ReportStore.h"
#include "storage/Database.h"

#include <QFuture>
#include <QJsonArray>

namespace veza::chat {
namespace {

using protocol::ErrorCode;
using namespace detail;

// A moderator's read of a room's messages: refused (code and message), or the messages.
struct RoomRead
{
    std::optional<ErrorCode> error;
    QString message;
    QJsonArray messages;
};

struct DirectoryPage
{
    QList<RoomDirectoryEntry> rooms;
    QHash<qint64, int> openReports;
};

} // namespace

void ChatService::roomsDirectory(const RoomDirectoryQuery &query, const AnswerTo &answer)
{
    RoomDirectoryQuery page = query;
    page.limit = query.limit + 1; // the row after the page tells whether one follows
    m_database
        .run([page](QSqlDatabase &db) {
            DirectoryPage found{RoomDirectory::list(db, page, nowMs()), {}};
            QList<qint64> ids;
            for (const RoomDirectoryEntry &entry : found.rooms)
                ids.append(entry.room.id);
            found.openReports = moderation::ReportStore::openCounts(db, ids);
            return found;
        })
        .then(this,
              [this, answer, limit = query.limit](DirectoryPage found) {
                  const bool more = found.rooms.size() > limit;
                  if (more)
                      found.rooms.resize(limit);
                  QHash<qint64, int> online; // room -> members online now
                  for (const QSet<qint64> &rooms : std::as_const(m_userRooms)) {
                      for (qint64 room : rooms)
                          ++online[room];
                  }
                  QJsonArray list;
                  for (const RoomDirectoryEntry &entry : std::as_const(found.rooms)) {
                      QJsonObject room = roomJson(entry.room);
                      room.insert(QStringLiteral("owner"), entry.owner.isEmpty()
                                                               ? QJsonValue(QJsonValue::Null)
                                                               : QJsonValue(entry.owner));
                      room.insert(QStringLiteral("members"), entry.members);
                      room.insert(QStringLiteral("members_online"), online.value(entry.room.id));
                      room.insert(QStringLiteral("messages_last_hour"), entry.messagesLastHour);
                      room.insert(QStringLiteral("last_activity"),
                                  entry.lastActivityMs > 0 ? QJsonValue(entry.lastActivityMs)
                                                           : QJsonValue(QJsonValue::Null));
                      room.insert(QStringLiteral("open_reports"),
                                  found.openReports.value(entry.room.id));
                      list.append(room);
                  }
                  answer(ChatAnswer::ok({{QStringLiteral("rooms"), list},
                                         {QStringLiteral("next_after"),
                                          more ? QJsonValue(found.rooms.last().room.name)
                                               : QJsonValue(QJsonValue::Null)}}));
              })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

void ChatService::roomMessages(const Principal &caller, const QString &roomName,
                               const HistoryQuery &query, const AnswerTo &answer)
{
    const bool globalModerator = isGlobalModerator(caller);
    auto cipher = m_cipher;
    m_database
        .run([=, externalId = caller.externalId, name = caller.name](QSqlDatabase &db) {
            RoomRead read;
            const qint64 now = nowMs();
            const qint64 callerId = ChatRooms::ensureUser(db, externalId, name, now);
            const std::optional<RoomInfo> room = ChatRooms::findRoom(db, roomName);
            // Rooms one does not moderate do not exist for one, as in the report queue.
            if (!room || !moderation::ModerationService::canModerate(db, room->id, callerId,
                                                                     globalModerator)) {
                read.error = ErrorCode::NotFound;
                read.message = QStringLiteral("no room \"%1\"").arg(roomName);
                return read;
            }
            if (room->kind == RoomKind::Direct) {
                read.error = ErrorCode::Forbidden;
                read.message = QStringLiteral(
                    "direct messages are private: moderators see the reported ones in the queue");
                return read;
            }
            const QList<ChatMessage> messages = ChatMessages::history(db, *cipher, room->id, query);
            const QHash<qint64, Author> authors = authorsOf(db, messages);
            for (const ChatMessage &message : messages)
                read.messages.append(
                    messageJson(roomName, message, authors.value(message.senderId)));
            if (room->kind == RoomKind::Private) // a private room's read is audited
                moderation::ModerationService::recordView(db, callerId, room->id, now);
            return read;
        })
        .then(this,
              [answer, roomName](const RoomRead &read) {
                  if (read.error)
                      return answer(ChatAnswer::failed(*read.error, read.message));
                  answer(ChatAnswer::ok({{QStringLiteral("room"), roomName},
                                         {QStringLiteral("messages"), read.messages}}));
              })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

} // namespace veza::chat
