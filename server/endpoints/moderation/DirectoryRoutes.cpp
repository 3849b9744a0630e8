#include "endpoints/moderation/DirectoryRoutes.h"

#include "chat/ChatService.h"
#include "endpoints/moderation/ChatApiCall.h"
#include "endpoints/moderation/ModeratorRead.h"
#include "net/http/HttpRouter.h"

Q_LOGGING_CATEGORY(lcDirectoryApi, "veza.net.http.directory")

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;

constexpr QByteArrayView kRoomPrefix = "/api/rooms/";
constexpr QByteArrayView kMessagesSuffix = "/messages";
constexpr QByteArrayView kUserPrefix = "/api/users/";

HttpResponse badRequest(const QString &reason)
{
    return HttpResponse::json(400, {{QStringLiteral("error"), QStringLiteral("bad_request")},
                                    {QStringLiteral("reason"), reason}});
}

// An optional integer parameter in [minimum, maximum]; false when malformed.
bool readInteger(const HttpRequest &request, QByteArrayView name, qint64 minimum, qint64 maximum,
                 std::optional<qint64> &out)
{
    const QByteArray text = request.queryItem(name);
    if (text.isNull())
        return true;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        return false;
    out = value;
    return true;
}

// `query`, `after` and `limit` of a directory page; the reason they are refused, or empty.
template <typename Query> QString readListQuery(const HttpRequest &request, Query &query)
{
    query.search = QString::fromUtf8(request.queryItem("query")).left(100);
    query.afterName = QString::fromUtf8(request.queryItem("after"));
    std::optional<qint64> limit;
    if (!readInteger(request, "limit", 1, 200, limit))
        return QStringLiteral("limit must be an integer from 1 to 200");
    query.limit = int(limit.value_or(50));
    return {};
}

} // namespace

void installDirectoryRoutes(net::http::HttpRouter &router, chat::ChatService *service,
                            TokenCheck tokens, QObject *threadContext)
{
    router.add(
        "GET", "/api/rooms",
        [service, tokens, threadContext](const HttpRequest &request, HttpResponder responder) {
            if (!authenticateModerator(request, responder, tokens, lcDirectoryApi(),
                                       QStringLiteral("rooms directory")))
                return;
            chat::RoomDirectoryQuery query;
            if (const QString problem = readListQuery(request, query); !problem.isEmpty())
                return responder.send(badRequest(problem));
            callChat(service, threadContext, std::move(responder),
                     [query](chat::ChatService &chat, const chat::AnswerTo &answer) {
                         chat.roomsDirectory(query, answer);
                     });
        });

    router.addPrefix(
        "GET", kRoomPrefix.toByteArray(),
        [service, tokens, threadContext](const HttpRequest &request, HttpResponder responder) {
            QByteArrayView rest = QByteArrayView(request.path()).sliced(kRoomPrefix.size());
            if (!rest.endsWith(kMessagesSuffix) || rest.size() == kMessagesSuffix.size())
                return responder.send(HttpResponse::error(404, "not_found"));
            const QString room = QString::fromUtf8(rest.chopped(kMessagesSuffix.size()));
            const std::optional<auth::Claims> claims =
                authenticateRequest(request, tokens, responder);
            if (!claims)
                return;
            chat::HistoryQuery query;
            std::optional<qint64> limit;
            if (!readInteger(request, "before", 1, std::numeric_limits<qint64>::max(),
                             query.beforeSeq) ||
                !readInteger(request, "after", 0, std::numeric_limits<qint64>::max(),
                             query.afterSeq) ||
                !readInteger(request, "limit", 1, 200, limit))
                return responder.send(
                    badRequest(QStringLiteral("before and after are message ids, limit 1 to 200")));
            query.limit = int(limit.value_or(50));
            const chat::Principal caller{claims->subject, claims->name, claims->roles};
            callChat(service, threadContext, std::move(responder),
                     [caller, room, query](chat::ChatService &chat, const chat::AnswerTo &answer) {
                         chat.roomMessages(caller, room, query, answer);
                     });
        },
        QStringLiteral("/api/rooms/{room}/messages"));

    router.add(
        "GET", "/api/users",
        [service, tokens, threadContext](const HttpRequest &request, HttpResponder responder) {
            if (!authenticateModerator(request, responder, tokens, lcDirectoryApi(),
                                       QStringLiteral("users directory")))
                return;
            chat::UserDirectoryQuery query;
            if (const QString problem = readListQuery(request, query); !problem.isEmpty())
                return responder.send(badRequest(problem));
            callChat(service, threadContext, std::move(responder),
                     [query](chat::ChatService &chat, const chat::AnswerTo &answer) {
                         chat.usersDirectory(query, answer);
                     });
        });

    router.addPrefix(
        "GET", kUserPrefix.toByteArray(),
        [service, tokens, threadContext](const HttpRequest &request, HttpResponder responder) {
            const QString name =
                QString::fromUtf8(QByteArrayView(request.path()).sliced(kUserPrefix.size()));
            if (name.isEmpty() || name.contains(u'/'))
                return responder.send(HttpResponse::error(404, "not_found"));
            if (!authenticateModerator(request, responder, tokens, lcDirectoryApi(),
                                       QStringLiteral("user page")))
                return;
            callChat(service, threadContext, std::move(responder),
                     [name](chat::ChatService &chat, const chat::AnswerTo &answer) {
                         chat.userPage(name, answer);
                     });
        },
        QStringLiteral("/api/users/{id}"));
}

} // namespace veza::endpoints
