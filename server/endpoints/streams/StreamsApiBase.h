#pragma once

#include "endpoints/TokenCheck.h"
#include "net/http/HttpRequest.h"
#include "net/http/HttpResponder.h"
#include "net/http/HttpResponse.h"
#include "storage/Database.h"
#include "streaming/StreamDirectory.h"
#include "streaming/StreamTypes.h"

#include <QFuture>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <functional>
#include <memory>
#include <optional>

class QSqlDatabase;

Q_DECLARE_LOGGING_CATEGORY(lcStreamsApi)

namespace veza::moderation {
enum class ModerationActionType;
}

namespace veza::endpoints::streams {

// What the /api/streams routes share: who the caller is, who may see, change or control a
// stream, and how a database job's answer reaches the network thread.

constexpr QByteArrayView kItemPrefix = "/api/streams/";

// What a database job found: an error (status >= 400), or the streams (and a new key) that the
// route renders on the network thread, where the live status is read.
struct Outcome
{
    int status = 200;
    QByteArray reason; // for status >= 400
    QList<streaming::StreamInfo> streams;
    QByteArray key;      // a new stream key (create, rotate)
    QJsonObject effects; // a stream's effects settings, as stored
};

Outcome refused(int status, QByteArray reason);

// The caller as the token says.
struct Caller
{
    QString subject;
    bool admin = false;
    bool moderator = false; // may cut the source of, or end, any stream (audited)
};

QJsonValue optionalValue(const std::optional<qint64> &value);
qint64 now(); // ms since the epoch

// The name in /api/streams/<name>[suffix], or an empty string when the path has another shape.
QString nameFromPath(const QByteArray &path, QByteArrayView suffix = {});

// A positive integer query parameter: `fallback` when absent, nullopt when malformed.
std::optional<qint64> positiveQueryItem(const net::http::HttpRequest &request, QByteArrayView name,
                                        qint64 fallback);

bool canSee(const streaming::StreamInfo &stream, const Caller &caller);
// The stream the caller may change: 404 when it cannot even see it, 403 when it sees it but
// neither owns it nor is an admin.
std::optional<Outcome> refuseChange(const std::optional<streaming::StreamInfo> &stream,
                                    const Caller &caller);
// The stream the caller may control (cut its source, end it, see and disconnect its
// listeners): as refuseChange(), moderators included.
std::optional<Outcome> refuseControl(const std::optional<streaming::StreamInfo> &stream,
                                     const Caller &caller);
// A moderator's hand on someone else's stream (not the owner, not an admin): a policy action,
// audited in the moderation log with the stream's owner as its target. Inside the job's
// transaction. Returns the `moderation` event to announce once it is committed (nothing for
// an owner or an admin).
std::optional<QJsonObject> auditPolicyAction(QSqlDatabase &db, const streaming::StreamInfo &stream,
                                             const Caller &caller,
                                             moderation::ModerationActionType action,
                                             QJsonObject params, const QString &reason);

// Makes a committed policy action visible: counted in moderation_actions_total{action} and
// pushed to operators (/monitor). Any thread.
using AnnouncePolicyAction = std::function<void(const QJsonObject &event)>;

// The state and plumbing of a family of /api/streams routes: one per router (network thread).
class StreamsApiBase
{
public:
    using HttpRequest = net::http::HttpRequest;
    using HttpResponder = net::http::HttpResponder;
    using HttpResponse = net::http::HttpResponse;
    using Render = std::function<HttpResponse(const Outcome &)>;

    // `directory` null: every stream offline.
    StreamsApiBase(storage::Database *database, TokenCheck tokens,
                   streaming::StreamDirectory *directory, QObject *threadContext,
                   AnnouncePolicyAction announce);

protected:
    static Caller callerOf(const auth::Claims &claims);

    // The stream a /api/streams/{name}[suffix] request names and who asks; empty (with the
    // 401 or 404 already sent) when there is nothing to do.
    QString streamOfRequest(const HttpRequest &request, HttpResponder &responder,
                            QByteArrayView suffix, Caller *caller) const;

    // Runs `job` on the storage pool and answers on this network thread: the job's refusal
    // as {"error","reason"}, or `render` of what it found.
    template <typename Job> void answerLater(HttpResponder responder, Job job, Render render) const
    {
        if (!m_database)
            return responder.send(HttpResponse::error(503, "no_database"));
        QFuture<Outcome> future = m_database->run([job = std::move(job)](QSqlDatabase &db) mutable {
            try {
                return job(db);
            } catch (const std::exception &error) {
                qCWarning(lcStreamsApi) << "stream request failed:" << error.what();
                return refused(500, "database_error");
            }
        });
        deliver(std::move(future), std::move(responder), std::move(render));
    }

    storage::Database *m_database;
    TokenCheck m_tokens;
    streaming::StreamDirectory *m_directory;
    QObject *m_threadContext;
    AnnouncePolicyAction m_announce; // never empty

private:
    void deliver(QFuture<Outcome> future, HttpResponder responder, Render render) const;
};

} // namespace veza::endpoints::streams
