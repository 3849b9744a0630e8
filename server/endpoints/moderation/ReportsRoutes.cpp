#include "endpoints/moderation/ReportsRoutes.h"

#include "chat/ChatRooms.h"
#include "chat/ChatService.h"
#include "crypto/MessageCipher.h"
#include "endpoints/moderation/ChatApiCall.h"
#include "endpoints/moderation/ModeratorRead.h"
#include "endpoints/moderation/Paging.h"
#include "moderation/ReportStore.h"
#include "net/http/HttpRouter.h"

#include <QJsonArray>
#include <QJsonDocument>

Q_LOGGING_CATEGORY(lcReportsApi, "veza.net.http.reports")

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;

constexpr QByteArrayView kItemPrefix = "/api/reports/";
constexpr QByteArrayView kResolveSuffix = "/resolve";

HttpResponse badRequest(const QString &reason)
{
    return HttpResponse::json(400, {{QStringLiteral("error"), QStringLiteral("bad_request")},
                                    {QStringLiteral("reason"), reason}});
}

std::optional<QJsonObject> bodyObject(const HttpRequest &request)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject reportFields(const moderation::Report &report)
{
    return {{QStringLiteral("id"), report.id},
            {QStringLiteral("source"), report.source},
            {QStringLiteral("status"),
             report.open ? QStringLiteral("open") : QStringLiteral("resolved")},
            {QStringLiteral("room"), report.room},
            {QStringLiteral("message_id"), report.messageId},
            {QStringLiteral("author"), nullable(report.author)},
            {QStringLiteral("reporter"), nullable(report.reporter)},
            {QStringLiteral("reason"), report.reason},
            {QStringLiteral("details"), report.details},
            {QStringLiteral("body"),
             report.body ? QJsonValue(*report.body) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("created_at"), report.createdAtMs},
            {QStringLiteral("outcome"), nullable(report.outcome)},
            {QStringLiteral("note"), report.note},
            {QStringLiteral("resolved_by"), nullable(report.resolvedBy)},
            {QStringLiteral("resolved_at"), report.resolvedAtMs ? QJsonValue(*report.resolvedAtMs)
                                                                : QJsonValue(QJsonValue::Null)}};
}

QJsonObject reportJson(const moderation::Report &report)
{
    QJsonObject json = reportFields(report);
    // A null body that is not end-to-end ciphertext: its key is gone, or the row was altered.
    if (!report.bodyError.isEmpty())
        json.insert(QStringLiteral("unreadable"), report.bodyError);
    return json;
}

// GET /api/reports?status=open|resolved&room=&limit=&before=
struct Filter
{
    QString room;
    moderation::ReportQuery query;
};

QString readFilter(const HttpRequest &request, Filter &filter)
{
    const QByteArray status = request.queryItem("status");
    if (status == "open" || status == "resolved")
        filter.query.open = status == "open";
    else if (!status.isNull())
        return QStringLiteral("status must be open or resolved");
    filter.room = QString::fromUtf8(request.queryItem("room"));
    PageParams page;
    const QString problem = readPage(request, page);
    filter.query.limit = page.limit;
    filter.query.beforeId = page.before;
    return problem;
}

// A room moderator reads its rooms' reports only: a room it does not moderate is as empty
// as one that does not exist.
ModeratorReadAnswer readQueue(QSqlDatabase &db, const crypto::MessageCipher &cipher, Filter filter,
                              const ModeratorScope &scope)
{
    const ModeratorReadAnswer empty{200, pageBody(QStringLiteral("reports"))};
    if (!scope.global)
        filter.query.rooms = scope.rooms;
    if (!filter.room.isEmpty()) {
        const std::optional<chat::RoomInfo> room = chat::ChatRooms::findRoom(db, filter.room);
        if (!room || (!scope.global && !scope.rooms.contains(room->id)))
            return empty;
        filter.query.roomId = room->id;
    }
    const int pageSize = filter.query.limit;
    filter.query.limit = pageSize + 1; // the row after the page tells whether one follows
    QList<moderation::Report> reports = moderation::ReportStore::list(db, cipher, filter.query);
    const bool more = trimToPage(reports, pageSize);
    QJsonArray list;
    for (const moderation::Report &report : reports)
        list.append(reportJson(report));
    return {200, pageBody(QStringLiteral("reports"), list,
                          more ? std::optional(reports.last().id) : std::nullopt)};
}

} // namespace

void installReportsRoutes(net::http::HttpRouter &router, chat::ChatService *service,
                          storage::Database *database,
                          std::shared_ptr<const crypto::MessageCipher> cipher, TokenCheck tokens,
                          QObject *threadContext)
{
    router.add(
        "POST", "/api/reports",
        [service, tokens, threadContext](const HttpRequest &request, HttpResponder responder) {
            const std::optional<auth::Claims> claims =
                authenticateRequest(request, tokens, responder);
            if (!claims)
                return;
            const std::optional<QJsonObject> body = bodyObject(request);
            QString problem = QStringLiteral("body must be a JSON object");
            const std::optional<protocol::ClientRequest> report =
                body ? chatRequestOf(*body, protocol::MessageType::Report, &problem) : std::nullopt;
            if (!report)
                return responder.send(badRequest(problem));
            const chat::Principal caller{claims->subject, claims->name, claims->roles};
            callChat(
                service, threadContext, std::move(responder),
                [caller, request = *report](chat::ChatService &chat, const chat::AnswerTo &answer) {
                    chat.handleApi(caller, request, answer);
                },
                201);
        });

    router.add("GET", "/api/reports",
               [database, cipher, tokens, threadContext](const HttpRequest &request,
                                                         HttpResponder responder) {
                   Filter filter;
                   if (const QString problem = readFilter(request, filter); !problem.isEmpty())
                       return responder.send(badRequest(problem));
                   answerScopedModeratorRead(
                       request, std::move(responder), tokens, database, threadContext,
                       lcReportsApi(), QStringLiteral("report queue"),
                       [cipher, filter](QSqlDatabase &db, const ModeratorScope &scope) {
                           return readQueue(db, *cipher, filter, scope);
                       });
               });

    router.addPrefix(
        "POST", kItemPrefix.toByteArray(),
        [service, tokens, threadContext](const HttpRequest &request, HttpResponder responder) {
            QByteArrayView rest = QByteArrayView(request.path()).sliced(kItemPrefix.size());
            bool numeric = rest.endsWith(kResolveSuffix);
            const qint64 id =
                numeric ? rest.chopped(kResolveSuffix.size()).toLongLong(&numeric) : 0;
            if (!numeric || id <= 0)
                return responder.send(HttpResponse::error(404, "not_found"));
            const std::optional<auth::Claims> claims =
                authenticateRequest(request, tokens, responder);
            if (!claims)
                return;
            const std::optional<QJsonObject> resolution = bodyObject(request);
            if (!resolution)
                return responder.send(badRequest(QStringLiteral("body must be a JSON object")));
            const chat::Principal caller{claims->subject, claims->name, claims->roles};
            callChat(service, threadContext, std::move(responder),
                     [caller, id, resolution = *resolution](chat::ChatService &chat,
                                                            const chat::AnswerTo &answer) {
                         chat.resolveReport(caller, id, resolution, answer);
                     });
        },
        QStringLiteral("/api/reports/{id}/resolve"));
}

} // namespace veza::endpoints
