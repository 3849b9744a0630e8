#include "endpoints/moderation/ModerationActionsRoute.h"

#include "chat/ChatRooms.h"
#include "endpoints/moderation/ModeratorRead.h"
#include "endpoints/moderation/Paging.h"
#include "logging/JsonLog.h"
#include "moderation/ModerationStore.h"
#include "net/http/BearerAuth.h"
#include "net/http/HttpRouter.h"
#include "storage/Database.h"
#include "storage/Sql.h"

#include <QFuture>
#include <QHash>
#include <QJsonArray>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcModerationApi, "veza.net.http.moderation")

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;

struct Filter
{
    QString room;  // empty: every room
    QString user;  // target's external id; empty: everyone
    QString actor; // the moderator's external id; empty: everyone
    moderation::ActionQuery query;
};

HttpResponse problem(int status, const QString &error, const QString &reason)
{
    return HttpResponse::json(
        status, {{QStringLiteral("error"), error}, {QStringLiteral("reason"), reason}});
}

// An optional integer parameter: absent is fine, anything but digits is not.
bool readInteger(const HttpRequest &request, QByteArrayView name, std::optional<qint64> &out)
{
    const QByteArray text = request.queryItem(name);
    if (text.isNull())
        return true;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < 0)
        return false;
    out = value;
    return true;
}

// The parameters, or the 400 that refuses them.
std::optional<HttpResponse> readFilter(const HttpRequest &request, Filter &filter)
{
    filter.room = QString::fromUtf8(request.queryItem("room"));
    filter.user = QString::fromUtf8(request.queryItem("user"));
    filter.actor = QString::fromUtf8(request.queryItem("actor"));
    if (const QByteArray action = request.queryItem("action"); !action.isNull()) {
        filter.query.action = moderation::actionFromName(QString::fromUtf8(action));
        if (!filter.query.action)
            return problem(400, QStringLiteral("bad_request"),
                           QStringLiteral("action must be one of delete, timeout, ban, unban, "
                                          "slow_mode, lock, unlock, purge, grant, revoke, view"));
    }
    if (!readInteger(request, "until", filter.query.untilMs))
        return problem(400, QStringLiteral("bad_request"),
                       QStringLiteral("until must be milliseconds since the epoch"));
    PageParams page;
    if (const QString refused = readPage(request, page); !refused.isEmpty())
        return problem(400, QStringLiteral("bad_request"), refused);
    filter.query.limit = page.limit;
    filter.query.beforeId = page.before;
    if (!readInteger(request, "since", filter.query.sinceMs))
        return problem(400, QStringLiteral("bad_request"),
                       QStringLiteral("since must be milliseconds since the epoch"));
    return std::nullopt;
}

QJsonValue optionalValue(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

// Runs on a database worker: resolves the names, reads one page, names the ids it holds.
ModeratorReadAnswer readActions(QSqlDatabase &db, Filter filter)
{
    const QJsonObject empty = pageBody(QStringLiteral("actions"));
    if (!filter.room.isEmpty()) {
        const std::optional<chat::RoomInfo> room = chat::ChatRooms::findRoom(db, filter.room);
        if (!room)
            return {200, empty};
        filter.query.roomId = room->id;
    }
    if (!filter.user.isEmpty()) {
        const std::optional<qint64> user = chat::ChatRooms::findUser(db, filter.user);
        if (!user)
            return {200, empty};
        filter.query.targetUserId = *user;
    }
    if (!filter.actor.isEmpty()) {
        const std::optional<qint64> actor = chat::ChatRooms::findUser(db, filter.actor);
        if (!actor)
            return {200, empty};
        filter.query.actorId = *actor;
    }
    // One row more than the page tells whether another page follows.
    const int pageSize = filter.query.limit;
    filter.query.limit = pageSize + 1;
    QList<moderation::ModerationAction> actions =
        moderation::ModerationStore::listActions(db, filter.query);
    const bool more = trimToPage(actions, pageSize);

    QHash<qint64, QJsonValue> users;
    QHash<qint64, QJsonValue> rooms;
    auto userName = [&](const std::optional<qint64> &id) -> QJsonValue {
        if (!id)
            return QJsonValue::Null;
        if (!users.contains(*id)) {
            const QVariant name = storage::sql::scalar(
                db, QStringLiteral("SELECT name FROM users WHERE id = ?"), {*id});
            users.insert(*id, name.isValid() ? QJsonValue(name.toString()) : QJsonValue());
        }
        return users.value(*id);
    };
    auto roomName = [&](const std::optional<qint64> &id) -> QJsonValue {
        if (!id)
            return QJsonValue::Null;
        if (!rooms.contains(*id)) {
            const std::optional<chat::RoomInfo> room = chat::ChatRooms::room(db, *id);
            rooms.insert(*id, room ? QJsonValue(room->name) : QJsonValue());
        }
        return rooms.value(*id);
    };

    QJsonArray list;
    for (const moderation::ModerationAction &action : actions) {
        list.append(QJsonObject{{QStringLiteral("id"), action.id},
                                {QStringLiteral("action"), moderation::actionName(action.action)},
                                {QStringLiteral("actor"), userName(action.actorId)},
                                {QStringLiteral("target"), userName(action.targetUserId)},
                                {QStringLiteral("room"), roomName(action.roomId)},
                                {QStringLiteral("reason"), action.reason},
                                {QStringLiteral("created_at"), action.createdAtMs},
                                {QStringLiteral("expires_at"), optionalValue(action.expiresAtMs)},
                                {QStringLiteral("params"), action.params}});
    }
    return {200, pageBody(QStringLiteral("actions"), list,
                          more ? std::optional(actions.last().id) : std::nullopt)};
}

} // namespace

void installModerationActionsRoute(net::http::HttpRouter &router, storage::Database *database,
                                   TokenCheck tokens, QObject *threadContext)
{
    router.add("GET", "/api/moderation/actions",
               [database, tokens = std::move(tokens), threadContext](const HttpRequest &request,
                                                                     HttpResponder responder) {
                   Filter filter;
                   if (std::optional<HttpResponse> refused = readFilter(request, filter))
                       return responder.send(std::move(*refused));
                   answerModeratorRead(
                       request, std::move(responder), tokens, database, threadContext,
                       lcModerationApi(), QStringLiteral("moderation log"),
                       [filter](QSqlDatabase &db) { return readActions(db, filter); });
               });
}

} // namespace veza::endpoints
