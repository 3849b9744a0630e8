#include "endpoints/moderation/SanctionsRoute.h"

#include "chat/ChatRooms.h"
#include "endpoints/moderation/ModeratorRead.h"
#include "endpoints/moderation/Paging.h"
#include "moderation/ModerationStore.h"
#include "net/http/HttpRouter.h"

#include <QDateTime>
#include <QJsonArray>

Q_LOGGING_CATEGORY(lcSanctionsApi, "veza.net.http.sanctions")

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;

struct Filter
{
    QString room; // empty: every scope
    QString user;
    moderation::SanctionQuery query;
};

// The parameters, or the reason they are refused.
QString readFilter(const HttpRequest &request, Filter &filter)
{
    filter.room = QString::fromUtf8(request.queryItem("room"));
    filter.user = QString::fromUtf8(request.queryItem("user"));
    PageParams page;
    const QString problem = readPage(request, page);
    filter.query.limit = page.limit;
    filter.query.beforeId = page.before;
    return problem;
}

QJsonValue optional(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// A room moderator reads one of its rooms' sanctions (`room` required): server-wide bans and
// other rooms are for global moderators.
ModeratorReadAnswer readSanctions(QSqlDatabase &db, Filter filter, const ModeratorScope &scope)
{
    const QJsonObject empty = pageBody(QStringLiteral("sanctions"));
    std::optional<chat::RoomInfo> room;
    if (!filter.room.isEmpty())
        room = chat::ChatRooms::findRoom(db, filter.room);
    if (!scope.global && (!room || !scope.rooms.contains(room->id)))
        return {403,
                {{QStringLiteral("error"), QStringLiteral("forbidden")},
                 {QStringLiteral("reason"),
                  QStringLiteral("a room moderator reads the sanctions of one of its rooms: "
                                 "give ?room=")}}};
    if (!filter.room.isEmpty()) {
        if (!room)
            return {200, empty};
        filter.query.roomId = room->id;
    }
    if (!filter.user.isEmpty()) {
        filter.query.userId = chat::ChatRooms::findUser(db, filter.user);
        if (!filter.query.userId)
            return {200, empty};
    }
    const int pageSize = filter.query.limit;
    filter.query.limit = pageSize + 1; // the row after the page tells whether one follows
    QList<moderation::SanctionEntry> entries = moderation::ModerationStore::listSanctions(
        db, filter.query, QDateTime::currentMSecsSinceEpoch());
    const bool more = trimToPage(entries, pageSize);
    QJsonArray list;
    for (const moderation::SanctionEntry &entry : entries) {
        list.append(QJsonObject{
            {QStringLiteral("id"), entry.id},
            {QStringLiteral("kind"), entry.ban ? QStringLiteral("ban") : QStringLiteral("timeout")},
            {QStringLiteral("scope"),
             entry.room.isEmpty() ? QStringLiteral("server") : QStringLiteral("room")},
            {QStringLiteral("room"), optional(entry.room)},
            {QStringLiteral("user"), entry.user},
            {QStringLiteral("by"), optional(entry.actor)},
            {QStringLiteral("reason"), entry.reason},
            {QStringLiteral("since"), entry.createdAtMs},
            {QStringLiteral("until"),
             entry.untilMs ? QJsonValue(*entry.untilMs) : QJsonValue(QJsonValue::Null)}});
    }
    return {200, pageBody(QStringLiteral("sanctions"), list,
                          more ? std::optional(entries.last().id) : std::nullopt)};
}

} // namespace

void installSanctionsRoute(net::http::HttpRouter &router, storage::Database *database,
                           TokenCheck tokens, QObject *threadContext)
{
    router.add("GET", "/api/sanctions",
               [database, tokens = std::move(tokens), threadContext](const HttpRequest &request,
                                                                     HttpResponder responder) {
                   Filter filter;
                   if (const QString problem = readFilter(request, filter); !problem.isEmpty())
                       return responder.send(HttpResponse::json(
                           400, {{QStringLiteral("error"), QStringLiteral("bad_request")},
                                 {QStringLiteral("reason"), problem}}));
                   answerScopedModeratorRead(
                       request, std::move(responder), tokens, database, threadContext,
                       lcSanctionsApi(), QStringLiteral("sanctions list"),
                       [filter](QSqlDatabase &db, const ModeratorScope &scope) {
                           return readSanctions(db, filter, scope);
                       });
               });
}

} // namespace veza::endpoints
