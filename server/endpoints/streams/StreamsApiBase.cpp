#include "endpoints/streams/StreamsApiBase.h"

#include "chat/ChatRooms.h"
#include "endpoints/DatabaseUnavailable.h"
#include "moderation/ModerationStore.h"
#include "net/http/BearerAuth.h"

#include <QDateTime>

Q_LOGGING_CATEGORY(lcStreamsApi, "veza.net.http.streams")

namespace veza::endpoints::streams {
namespace {

streaming::OfflineStreamDirectory kOffline; // stateless: shared by every thread

} // namespace

Outcome refused(int status, QByteArray reason)
{
    return Outcome{status, std::move(reason), {}, {}, {}};
}

QJsonValue optionalValue(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString nameFromPath(const QByteArray &path, QByteArrayView suffix)
{
    QByteArrayView rest = QByteArrayView(path).sliced(kItemPrefix.size());
    if (!suffix.isEmpty()) {
        if (!rest.endsWith(suffix))
            return {};
        rest.chop(suffix.size());
    }
    const QString name = QString::fromUtf8(rest);
    return streaming::isValidStreamName(name) ? name : QString();
}

std::optional<qint64> positiveQueryItem(const net::http::HttpRequest &request, QByteArrayView name,
                                        qint64 fallback)
{
    const QByteArray text = request.queryItem(name);
    if (text.isNull())
        return fallback;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value <= 0)
        return std::nullopt;
    return value;
}

bool canSee(const streaming::StreamInfo &stream, const Caller &caller)
{
    return stream.isPublic || caller.admin || caller.moderator ||
           stream.ownerName == caller.subject;
}

std::optional<Outcome> refuseChange(const std::optional<streaming::StreamInfo> &stream,
                                    const Caller &caller)
{
    if (!stream || !canSee(*stream, caller))
        return refused(404, "no such stream");
    if (!caller.admin && stream->ownerName != caller.subject)
        return refused(403, "only the stream's owner or an admin may change it");
    return std::nullopt;
}

std::optional<Outcome> refuseControl(const std::optional<streaming::StreamInfo> &stream,
                                     const Caller &caller)
{
    if (stream && caller.moderator)
        return std::nullopt;
    return refuseChange(stream, caller);
}

std::optional<QJsonObject> auditPolicyAction(QSqlDatabase &db, const streaming::StreamInfo &stream,
                                             const Caller &caller,
                                             moderation::ModerationActionType action,
                                             QJsonObject params, const QString &reason)
{
    if (caller.admin || stream.ownerName == caller.subject)
        return std::nullopt;
    params.insert(QStringLiteral("stream"), stream.name);
    moderation::ModerationStore::recordAction(
        db, moderation::ModerationAction{
                0, chat::ChatRooms::ensureUser(db, caller.subject, {}, now()), action,
                stream.ownerId, std::nullopt, reason, now(), std::nullopt, params});
    // As the chat's moderation events: action, by, user (the target), reason, parameters.
    QJsonObject event = params;
    event.insert(QStringLiteral("type"), QStringLiteral("moderation"));
    event.insert(QStringLiteral("action"), moderation::actionName(action));
    event.insert(QStringLiteral("by"), caller.subject);
    event.insert(QStringLiteral("user"), stream.ownerName);
    if (!reason.isEmpty())
        event.insert(QStringLiteral("reason"), reason);
    return event;
}

StreamsApiBase::StreamsApiBase(storage::Database *database, TokenCheck tokens,
                               streaming::StreamDirectory *directory, QObject *threadContext,
                               AnnouncePolicyAction announce)
    : m_database(database)
    , m_tokens(std::move(tokens))
    , m_directory(directory ? directory : &kOffline)
    , m_threadContext(threadContext)
    , m_announce(announce ? std::move(announce) : [](const QJsonObject &) {})
{
}

Caller StreamsApiBase::callerOf(const auth::Claims &claims)
{
    return {claims.subject, claims.roles.contains(QStringLiteral("admin")),
            net::http::hasAnyRole(claims.roles, {u"moderator", u"admin"})};
}

QString StreamsApiBase::streamOfRequest(const HttpRequest &request, HttpResponder &responder,
                                        QByteArrayView suffix, Caller *caller) const
{
    const auto claims = authenticateRequest(request, m_tokens, responder);
    if (!claims)
        return {};
    const QString name = nameFromPath(request.path(), suffix);
    if (name.isEmpty()) {
        responder.send(HttpResponse::error(404, "no such stream"));
        return {};
    }
    *caller = callerOf(*claims);
    return name;
}

void StreamsApiBase::deliver(QFuture<Outcome> future, HttpResponder responder, Render render) const
{
    // Shared by the two continuations; answered (and released) on this thread.
    auto shared = std::make_shared<HttpResponder>(std::move(responder));
    future
        .then(m_threadContext,
              [shared, render = std::move(render)](const Outcome &outcome) {
                  shared->send(outcome.status >= 400
                                   ? HttpResponse::error(outcome.status, outcome.reason)
                                   : render(outcome));
              })
        .onFailed(m_threadContext, [shared] { shared->send(databaseUnavailable()); });
}

} // namespace veza::endpoints::streams
