// ChatService: the directories moderators browse (rooms, a room's messages), with what only
// this thread knows: who is online. Same thread and rules as ChatService.cpp.
#include "chat/ChatJson.h"
#include "chat/ChatMessages.h"
#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "chat/RoomDirectory.h"
#include "chat/UserDirectory.h"
#include "moderation/ModerationService.h"
#include "moderation/ModerationStore.h"
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

QJsonValue nullableMs(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(*ms) : QJsonValue(QJsonValue::Null);
}

QJsonArray sanctionsJson(const QList<moderation::SanctionEntry> &sanctions)
{
    QJsonArray list;
    for (const moderation::SanctionEntry &entry : sanctions)
        list.append(QJsonObject{
            {QStringLiteral("kind"), entry.ban ? QStringLiteral("ban") : QStringLiteral("timeout")},
            {QStringLiteral("room"),
             entry.room.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(entry.room)},
            {QStringLiteral("until"), nullableMs(entry.untilMs)},
            {QStringLiteral("reason"), entry.reason}});
    return list;
}

// A user as the directory shows it; `online` is filled on the chat thread.
struct UserRow
{
    UserDirectoryEntry user;
    QList<moderation::SanctionEntry> sanctions;
};

struct UsersPage
{
    QList<UserRow> users;
    QJsonArray recentMessages; // a single user's page
    QJsonArray history;        // its moderation history
    bool found = true;
};

QList<moderation::SanctionEntry> sanctionsOf(QSqlDatabase &db, qint64 userId, qint64 now)
{
    moderation::SanctionQuery query;
    query.userId = userId;
    query.limit = 20;
    return moderation::ModerationStore::listSanctions(db, query, now);
}

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
                  QJsonArray list;
                  for (const RoomDirectoryEntry &entry : std::as_const(found.rooms)) {
                      QJsonObject room = roomJson(entry.room);
                      room.insert(QStringLiteral("owner"), entry.owner.isEmpty()
                                                               ? QJsonValue(QJsonValue::Null)
                                                               : QJsonValue(entry.owner));
                      room.insert(QStringLiteral("members"), entry.members);
                      room.insert(QStringLiteral("members_online"),
                                  m_memberships.onlineIn(entry.room.id));
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

QJsonObject ChatService::userJson(const UserDirectoryEntry &user,
                                  const QList<moderation::SanctionEntry> &sanctions) const
{
    return {{QStringLiteral("user"), user.name},
            {QStringLiteral("name"), user.displayName},
            {QStringLiteral("roles"), QJsonArray::fromStringList(user.roles)},
            {QStringLiteral("first_seen"), user.firstSeenMs},
            {QStringLiteral("last_seen"), nullableMs(user.lastSeenMs)},
            {QStringLiteral("online"), qint64(m_userConnections.value(user.id).size())},
            {QStringLiteral("messages"), user.messages},
            {QStringLiteral("sanctions"), sanctionsJson(sanctions)}};
}

void ChatService::usersDirectory(const UserDirectoryQuery &query, const AnswerTo &answer)
{
    UserDirectoryQuery page = query;
    page.limit = query.limit + 1; // the row after the page tells whether one follows
    m_database
        .run([page](QSqlDatabase &db) {
            UsersPage found;
            const qint64 now = nowMs();
            for (const UserDirectoryEntry &user : UserDirectory::list(db, page))
                found.users.append({user, sanctionsOf(db, user.id, now)});
            return found;
        })
        .then(this,
              [this, answer, limit = query.limit](UsersPage found) {
                  const bool more = found.users.size() > limit;
                  if (more)
                      found.users.resize(limit);
                  QJsonArray users;
                  for (const UserRow &row : std::as_const(found.users))
                      users.append(userJson(row.user, row.sanctions));
                  answer(ChatAnswer::ok({{QStringLiteral("users"), users},
                                         {QStringLiteral("next_after"),
                                          more ? QJsonValue(found.users.last().user.name)
                                               : QJsonValue(QJsonValue::Null)}}));
              })
        .onFailed(this, [answer] {
            answer(ChatAnswer::failed(ErrorCode::Internal, QStringLiteral("retry")));
        });
}

void ChatService::userPage(const QString &name, const AnswerTo &answer)
{
    auto cipher = m_cipher;
    m_database
        .run([name, cipher](QSqlDatabase &db) {
            UsersPage found;
            const std::optional<UserDirectoryEntry> user = UserDirectory::find(db, name);
            found.found = user.has_value();
            if (!user)
                return found;
            const qint64 now = nowMs();
            found.users.append({*user, sanctionsOf(db, user->id, now)});
            for (const auto &[room, message] :
                 ChatMessages::recentPublicBySender(db, *cipher, user->id, 20))
                found.recentMessages.append(
                    messageJson(room, message, {user->name, user->displayName}));
            moderation::ActionQuery actions;
            actions.targetUserId = user->id;
            actions.limit = 50;
            for (const moderation::ModerationAction &action :
                 moderation::ModerationStore::listActions(db, actions)) {
                const std::optional<RoomInfo> room =
                    action.roomId ? ChatRooms::room(db, *action.roomId) : std::nullopt;
                found.history.append(
                    QJsonObject{{QStringLiteral("id"), action.id},
                                {QStringLiteral("action"), moderation::actionName(action.action)},
                                {QStringLiteral("room"),
                                 room ? QJsonValue(room->name) : QJsonValue(QJsonValue::Null)},
                                {QStringLiteral("reason"), action.reason},
                                {QStringLiteral("created_at"), action.createdAtMs},
                                {QStringLiteral("expires_at"), nullableMs(action.expiresAtMs)},
                                {QStringLiteral("params"), action.params}});
            }
            return found;
        })
        .then(this,
              [this, answer, name](const UsersPage &found) {
                  if (!found.found)
                      return answer(ChatAnswer::failed(ErrorCode::NotFound,
                                                       QStringLiteral("no user \"%1\"").arg(name)));
                  QJsonObject page =
                      userJson(found.users.front().user, found.users.front().sanctions);
                  page.insert(QStringLiteral("recent_messages"), found.recentMessages);
                  page.insert(QStringLiteral("moderation_history"), found.history);
                  answer(ChatAnswer::ok(page));
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
            const QList<ChatMessage> messages =
                ChatMessages::history(db, *cipher, room->id, query, callerId);
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
