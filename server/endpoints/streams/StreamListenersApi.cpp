#include "endpoints/streams/StreamListenersApi.h"

#include "logging/JsonLog.h"
#include "moderation/ModerationStore.h"
#include "storage/Transaction.h"
#include "streaming/StreamStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace veza::endpoints::streams {
namespace {

using streaming::StreamInfo;
using streaming::StreamStore;

constexpr QByteArrayView kListenersSuffix = "/listeners";
constexpr QByteArrayView kListenerInfix = "/listeners/";
constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 500;

// One page of a stream's listener history, newest first.
struct ListenersPage
{
    QList<streaming::ListenerVisit> visits;
    std::optional<qint64> nextBefore; // the `before` of the next page, when there is one
};

QJsonObject visitJson(const streaming::ListenerVisit &visit)
{
    const qint64 durationMs = std::max<qint64>(0, visit.endedAtMs - visit.connectedAtMs);
    return {{QStringLiteral("id"), visit.id},
            {QStringLiteral("kind"), visit.kind},
            {QStringLiteral("rendition"), visit.rendition},
            {QStringLiteral("connected_at"), visit.connectedAtMs},
            {QStringLiteral("ended_at"), visit.endedAtMs},
            {QStringLiteral("duration_ms"), durationMs},
            {QStringLiteral("bytes"), visit.bytes},
            {QStringLiteral("user_agent"), visit.userAgent},
            {QStringLiteral("address"), visit.address},
            {QStringLiteral("end_reason"), visit.endReason}};
}

// The {id} of /api/streams/{name}/listeners/{id}; 0 when it is not a positive number.
qint64 listenerIdOf(const QByteArray &path)
{
    const qsizetype at = path.lastIndexOf(kListenerInfix);
    bool ok = false;
    const qint64 id = path.mid(at + kListenerInfix.size()).toLongLong(&ok);
    return ok && id > 0 ? id : 0;
}

} // namespace

bool StreamListenersApi::isListenersPath(const QByteArray &path)
{
    // "listeners" alone is a stream's name.
    return path.endsWith(kListenersSuffix) &&
           path.size() > kItemPrefix.size() + kListenersSuffix.size();
}

bool StreamListenersApi::isListenerPath(const QByteArray &path)
{
    const qsizetype at = path.lastIndexOf(kListenerInfix);
    return at > kItemPrefix.size() && at + kListenerInfix.size() < path.size();
}

void StreamListenersApi::list(const HttpRequest &request, HttpResponder responder) const
{
    const QByteArray live = request.queryItem("live");
    if (live == "1" || live == "true")
        return connected(request, std::move(responder));
    history(request, std::move(responder));
}

// ?limit=N&before=<id>: who listened, the latest to connect first.
void StreamListenersApi::history(const HttpRequest &request, HttpResponder responder) const
{
    Caller caller;
    const QString name = streamOfRequest(request, responder, kListenersSuffix, &caller);
    if (name.isEmpty())
        return;
    const std::optional<qint64> limit = positiveQueryItem(request, "limit", kDefaultPage);
    if (!limit || *limit > kMaxPage) {
        const QByteArray reason =
            "limit must be a number from 1 to " + QByteArray::number(kMaxPage);
        return responder.send(HttpResponse::error(400, reason));
    }
    const std::optional<qint64> before = positiveQueryItem(request, "before", 0);
    if (!before)
        return responder.send(HttpResponse::error(400, "before must be a listener id"));
    // Filled by the job on the storage pool, read by the render once the job is over.
    auto page = std::make_shared<ListenersPage>();
    answerLater(
        std::move(responder),
        [caller, name, limit = int(*limit), before = *before, page](QSqlDatabase &db) {
            const std::optional<StreamInfo> stream = StreamStore::find(db, name);
            if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                return *refusal;
            // One more than asked: whether a next page exists.
            page->visits = StreamStore::listenerVisits(db, stream->id, limit + 1,
                                                       before > 0 ? std::optional<qint64>(before)
                                                                  : std::nullopt);
            if (page->visits.size() > limit) {
                page->visits.resize(limit);
                page->nextBefore = page->visits.last().id;
            }
            return Outcome{};
        },
        [page](const Outcome &) {
            QJsonArray visits;
            for (const streaming::ListenerVisit &visit : std::as_const(page->visits))
                visits.append(visitJson(visit));
            return HttpResponse::json(
                200, {{QStringLiteral("listeners"), visits},
                      {QStringLiteral("next_before"), optionalValue(page->nextBefore)}});
        });
}

// ?live=1: who is connected now, the earliest first (every rendition, HTTP and WebSocket).
void StreamListenersApi::connected(const HttpRequest &request, HttpResponder responder) const
{
    Caller caller;
    const QString name = streamOfRequest(request, responder, kListenersSuffix, &caller);
    if (name.isEmpty())
        return;
    answerLater(
        std::move(responder),
        [caller, name](QSqlDatabase &db) {
            const std::optional<StreamInfo> stream = StreamStore::find(db, name);
            if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                return *refusal;
            return Outcome{200, {}, {*stream}, {}, {}};
        },
        [directory = m_directory](const Outcome &outcome) {
            // Read here, after the job: the list is as current as the answer.
            QJsonArray listeners;
            for (const auto &listener : directory->connectedListeners(outcome.streams.front().id))
                listeners.append(streaming::connectedListenerJson(listener));
            return HttpResponse::json(200, {{QStringLiteral("listeners"), listeners},
                                            {QStringLiteral("count"), listeners.size()}});
        });
}

// DELETE /api/streams/{name}/listeners/{id}: disconnects one listener connected now. The
// owner, an admin or a moderator; a moderator's kick on someone else's stream is audited.
void StreamListenersApi::disconnect(const HttpRequest &request, HttpResponder responder) const
{
    Caller caller;
    const QByteArray path = request.path();
    const qint64 listenerId = listenerIdOf(path);
    const QString name =
        streamOfRequest(request, responder, path.sliced(path.lastIndexOf(kListenerInfix)), &caller);
    if (name.isEmpty())
        return;
    if (listenerId == 0)
        return responder.send(HttpResponse::error(404, "no such listener"));
    // A reason for the audit log: ?reason= or {"reason":...} (DELETE bodies are rare).
    QString reason = QString::fromUtf8(request.queryItem("reason"));
    if (reason.isEmpty())
        reason = QJsonDocument::fromJson(request.body).object().value(u"reason").toString();
    reason.truncate(512);
    answerLater(
        std::move(responder),
        [caller, name, listenerId, reason, directory = m_directory,
         announce = m_announce](QSqlDatabase &db) {
            const std::optional<StreamInfo> stream = StreamStore::find(db, name);
            if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                return *refusal;
            const QList<streaming::ListenerRoster::Listener> listeners =
                directory->connectedListeners(stream->id);
            const auto found = std::find_if(listeners.cbegin(), listeners.cend(),
                                            [&](const auto &l) { return l.id == listenerId; });
            if (found == listeners.cend())
                return refused(404, "no such listener connected");
            storage::Transaction tx(db);
            const std::optional<QJsonObject> event = auditPolicyAction(
                db, *stream, caller, moderation::ModerationActionType::KickListener,
                {{QStringLiteral("listener"), listenerId},
                 {QStringLiteral("address"), found->address}},
                reason);
            tx.commit();
            // After the audit row: a kick the log does not show never happens.
            if (!directory->disconnectListener(stream->id, listenerId))
                return refused(404, "no such listener connected"); // left meanwhile
            if (event)
                announce(*event);
            logging::log(lcStreamsApi(), QtInfoMsg, QStringLiteral("stream listener disconnected"),
                         {{QStringLiteral("stream"), name},
                          {QStringLiteral("listener"), listenerId},
                          {QStringLiteral("by"), caller.subject}});
            return Outcome{204, {}, {}, {}, {}};
        },
        [](const Outcome &) {
            HttpResponse response;
            response.status = 204;
            return response;
        });
}

} // namespace veza::endpoints::streams
