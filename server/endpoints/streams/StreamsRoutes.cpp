#include "endpoints/streams/StreamsRoutes.h"

#include "audio/effects/EffectSettings.h"
#include "chat/ChatRooms.h"
#include "logging/JsonLog.h"
#include "moderation/ModerationStore.h"
#include "net/http/BearerAuth.h"
#include "net/http/HttpRouter.h"
#include "storage/Database.h"
#include "storage/Transaction.h"
#include "streaming/StreamDirectory.h"
#include "streaming/StreamKey.h"
#include "streaming/StreamStore.h"

#include <QDateTime>
#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcStreamsApi, "veza.net.http.streams")

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;
using streaming::StreamInfo;
using streaming::StreamStore;

constexpr QByteArrayView kCollection = "/api/streams";
constexpr QByteArrayView kItemPrefix = "/api/streams/";
constexpr QByteArrayView kKeySuffix = "/key";
constexpr QByteArrayView kDisconnectSuffix = "/source/disconnect";
constexpr QByteArrayView kEffectsSuffix = "/effects";
constexpr QByteArrayView kListenersSuffix = "/listeners";
constexpr int kDefaultListenersPage = 100;
constexpr int kMaxListenersPage = 500;

// What a database job found: an error (status >= 400), or the streams (and a new key) that the
// route renders on the network thread, where the live status is read.
struct Outcome
{
    int status = 200;
    QByteArray reason; // for status >= 400
    QList<StreamInfo> streams;
    QByteArray key;      // a new stream key (create, rotate)
    QJsonObject effects; // a stream's effects settings, as stored
};

Outcome refused(int status, QByteArray reason)
{
    return Outcome{status, std::move(reason), {}, {}};
}

// The caller as the database knows it.
struct Caller
{
    QString subject;
    bool admin = false;
    bool moderator = false; // may cut the source of, or end, any stream (audited)
};

QJsonValue optionalValue(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject streamJson(const StreamInfo &stream, const streaming::StreamDirectory &directory)
{
    const streaming::LiveStatus live = directory.status(stream.name);
    return {
        {QStringLiteral("name"), stream.name},
        {QStringLiteral("mount"), streaming::mountPath(stream.name)},
        {QStringLiteral("title"), stream.title},
        {QStringLiteral("description"), stream.description},
        {QStringLiteral("genre"), stream.genre},
        {QStringLiteral("public"), stream.isPublic},
        {QStringLiteral("owner"), stream.ownerName},
        {QStringLiteral("created_at"), stream.createdAtMs},
        {QStringLiteral("updated_at"), stream.updatedAtMs},
        {QStringLiteral("state"), live.live ? QStringLiteral("live") : QStringLiteral("offline")},
        {QStringLiteral("listeners"), live.listeners},
        {QStringLiteral("ingest_bitrate_bps"), optionalValue(live.ingestBitrateBps)},
        {QStringLiteral("started_at"), optionalValue(live.startedAtMs)},
        {QStringLiteral("audio"),
         live.audio.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(live.audio)},
        {QStringLiteral("now_playing"),
         live.nowPlayingAtMs > 0
             ? QJsonValue(QJsonObject{{QStringLiteral("title"), live.nowPlaying},
                                      {QStringLiteral("at"), live.nowPlayingAtMs}})
             : QJsonValue(QJsonValue::Null)}};
}

// The name in /api/streams/<name>[suffix], or an empty string when the path has another shape.
QString nameFromPath(const QByteArray &path, QByteArrayView suffix = {})
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

// Reads an optional string member; false (and `problem` set) when it has another type or is
// too long.
bool readText(const QJsonObject &body, const QString &key, qsizetype maxLength, QString &out,
              QByteArray &problem)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString()) {
        problem = key.toUtf8() + " must be a string";
        return false;
    }
    out = value.toString();
    if (out.size() > maxLength) {
        problem = key.toUtf8() + " is longer than " + QByteArray::number(maxLength) + " characters";
        return false;
    }
    if (streaming::hasControlCharacters(out)) {
        problem = key.toUtf8() + " must not contain control characters (line breaks, tabs)";
        return false;
    }
    return true;
}

// The new stream described by a POST body, or the reason it is refused.
std::optional<streaming::NewStream> readNewStream(const QByteArray &bytes, QByteArray &problem)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        problem = "body must be a JSON object";
        return std::nullopt;
    }
    const QJsonObject body = document.object();
    streaming::NewStream stream;
    const QJsonValue name = body.value(QStringLiteral("name"));
    if (!name.isString()) {
        problem = "name is required (a string)";
        return std::nullopt;
    }
    stream.name = name.toString();
    if (const QString why = streaming::streamNameProblem(stream.name); !why.isEmpty()) {
        problem = why.toUtf8();
        return std::nullopt;
    }
    if (!readText(body, QStringLiteral("title"), streaming::maxTitleLength, stream.title,
                  problem) ||
        !readText(body, QStringLiteral("description"), streaming::maxDescriptionLength,
                  stream.description, problem) ||
        !readText(body, QStringLiteral("genre"), streaming::maxGenreLength, stream.genre, problem))
        return std::nullopt;
    const QJsonValue isPublic = body.value(QStringLiteral("public"));
    if (!isPublic.isUndefined() && !isPublic.isNull() && !isPublic.isBool()) {
        problem = "public must be true or false";
        return std::nullopt;
    }
    stream.isPublic = isPublic.toBool(true);
    return stream;
}

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

// A positive integer query parameter: `fallback` when absent, nullopt when malformed.
std::optional<qint64> positiveQueryItem(const HttpRequest &request, QByteArrayView name,
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

bool canSee(const StreamInfo &stream, const Caller &caller)
{
    return stream.isPublic || caller.admin || caller.moderator ||
           stream.ownerName == caller.subject;
}

// The stream the caller may change: 404 when it cannot even see it, 403 when it sees it but
// neither owns it nor is an admin.
std::optional<Outcome> refuseChange(const std::optional<StreamInfo> &stream, const Caller &caller)
{
    if (!stream || !canSee(*stream, caller))
        return refused(404, "no such stream");
    if (!caller.admin && stream->ownerName != caller.subject)
        return refused(403, "only the stream's owner or an admin may change it");
    return std::nullopt;
}

streaming::OfflineStreamDirectory kOffline; // stateless: shared by every thread

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A moderator's hand on someone else's stream (not the owner, not an admin): a policy action,
// audited in the moderation log with the stream's owner as its target.
void auditPolicyAction(QSqlDatabase &db, const StreamInfo &stream, const Caller &caller,
                       moderation::ModerationActionType action, QJsonObject params,
                       const QString &reason)
{
    if (caller.admin || stream.ownerName == caller.subject)
        return;
    params.insert(QStringLiteral("stream"), stream.name);
    moderation::ModerationStore::recordAction(
        db, moderation::ModerationAction{
                0, chat::ChatRooms::ensureUser(db, caller.subject, {}, now()), action,
                stream.ownerId, std::nullopt, reason, now(), std::nullopt, params});
}

// The stream the caller may control (cut its source, end it): as refuseChange(), moderators
// included.
std::optional<Outcome> refuseControl(const std::optional<StreamInfo> &stream, const Caller &caller)
{
    if (stream && caller.moderator)
        return std::nullopt;
    return refuseChange(stream, caller);
}

class StreamsApi
{
public:
    using Render = std::function<HttpResponse(const Outcome &)>;

    StreamsApi(storage::Database *database, TokenCheck tokens,
               streaming::StreamDirectory *directory, QObject *threadContext)
        : m_database(database)
        , m_tokens(std::move(tokens))
        , m_directory(directory ? directory : &kOffline)
        , m_threadContext(threadContext)
    {
    }

    void create(const HttpRequest &request, HttpResponder responder) const
    {
        const auto claims = authenticateRequest(request, m_tokens, responder);
        if (!claims)
            return;
        if (!net::http::hasAnyRole(claims->roles, {u"broadcaster", u"admin"})) {
            logging::log(lcStreamsApi(), QtInfoMsg,
                         QStringLiteral("stream creation refused: not a broadcaster"),
                         {{QStringLiteral("user"), claims->subject},
                          {QStringLiteral("peer"), request.peerAddress}});
            return responder.send(HttpResponse::error(403, "broadcaster or admin role required"));
        }
        QByteArray problem;
        std::optional<streaming::NewStream> stream = readNewStream(request.body, problem);
        if (!stream)
            return responder.send(HttpResponse::error(400, problem));
        // Drawn here: the system generator is thread-safe and the key never reaches the
        // database, only its hash.
        const QByteArray key = streaming::StreamKey::generate();
        const QByteArray hash = streaming::StreamKey::hash(key);
        const QString owner = claims->subject;
        answerLater(
            std::move(responder),
            [stream = std::move(*stream), key, hash, owner](QSqlDatabase &db) mutable {
                const qint64 at = now();
                stream.ownerId = chat::ChatRooms::ensureUser(db, owner, {}, at);
                std::optional<StreamInfo> created = StreamStore::create(db, stream, hash, at);
                if (!created)
                    return refused(409, "a stream with this name exists");
                logging::log(
                    lcStreamsApi(), QtInfoMsg, QStringLiteral("stream created"),
                    {{QStringLiteral("stream"), created->name}, {QStringLiteral("owner"), owner}});
                return Outcome{201, {}, {*created}, key};
            },
            [directory = m_directory](const Outcome &outcome) {
                QJsonObject body = streamJson(outcome.streams.front(), *directory);
                body.insert(QStringLiteral("stream_key"), QString::fromLatin1(outcome.key));
                return HttpResponse::json(201, body);
            });
    }

    void list(const HttpRequest &request, HttpResponder responder) const
    {
        const auto claims = authenticateRequest(request, m_tokens, responder);
        if (!claims)
            return;
        const Caller caller = callerOf(*claims);
        answerLater(
            std::move(responder),
            [caller](QSqlDatabase &db) {
                streaming::StreamFilter filter;
                if (!caller.admin && !caller.moderator) {
                    filter.publicOnly = true;
                    filter.orOwnedBy = chat::ChatRooms::findUser(db, caller.subject);
                }
                return Outcome{200, {}, StreamStore::list(db, filter), {}};
            },
            [directory = m_directory](const Outcome &outcome) {
                QJsonArray streams;
                for (const StreamInfo &stream : outcome.streams)
                    streams.append(streamJson(stream, *directory));
                return HttpResponse::json(200, {{QStringLiteral("streams"), streams}});
            });
    }

    void show(const HttpRequest &request, HttpResponder responder) const
    {
        // GET /api/streams/{name}/listeners shares this prefix route ("listeners" alone is a
        // stream's name).
        const QByteArrayView rest = QByteArrayView(request.path()).sliced(kItemPrefix.size());
        if (rest.endsWith(kListenersSuffix) && rest.size() > kListenersSuffix.size())
            return listeners(request, std::move(responder));
        Caller caller;
        const QString name = streamOfRequest(request, responder, {}, &caller);
        if (name.isEmpty())
            return;
        answerLater(
            std::move(responder),
            [caller, name](QSqlDatabase &db) {
                std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (!stream || !canSee(*stream, caller))
                    return refused(404, "no such stream");
                return Outcome{200, {}, {*stream}, {}};
            },
            [directory = m_directory](const Outcome &outcome) {
                return HttpResponse::json(200, streamJson(outcome.streams.front(), *directory));
            });
    }

    void remove(const HttpRequest &request, HttpResponder responder) const
    {
        Caller caller;
        const QString name = streamOfRequest(request, responder, {}, &caller);
        if (name.isEmpty())
            return;
        answerLater(
            std::move(responder),
            [caller, name](QSqlDatabase &db) {
                const std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                    return *refusal;
                storage::Transaction tx(db);
                if (!StreamStore::remove(db, stream->id, now()))
                    return refused(404, "no such stream"); // deleted meanwhile
                auditPolicyAction(db, *stream, caller, moderation::ModerationActionType::EndStream,
                                  {}, QString());
                tx.commit();
                logging::log(
                    lcStreamsApi(), QtInfoMsg, QStringLiteral("stream ended"),
                    {{QStringLiteral("stream"), name}, {QStringLiteral("by"), caller.subject}});
                return Outcome{204, {}, {}, {}};
            },
            [directory = m_directory, name](const Outcome &) {
                directory->endLive(name); // a live broadcast of it ends too
                HttpResponse response;
                response.status = 204;
                return response;
            });
    }

    // POST /api/streams/{name}/key or /api/streams/{name}/source/disconnect.
    void post(const HttpRequest &request, HttpResponder responder) const
    {
        if (request.path().endsWith(kDisconnectSuffix))
            return disconnectSource(request, std::move(responder));
        rotateKey(request, std::move(responder));
    }

    // Cuts the live source off without ending the stream, optionally refusing sources for
    // `block_seconds`: the owner, an admin, or a moderator (audited as cut_source).
    void disconnectSource(const HttpRequest &request, HttpResponder responder) const
    {
        Caller caller;
        const QString name = streamOfRequest(request, responder, kDisconnectSuffix, &caller);
        if (name.isEmpty())
            return;
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const qint64 blockSeconds = body.value(QStringLiteral("block_seconds")).toInteger(0);
        if (blockSeconds < 0 || blockSeconds > 86400)
            return responder.send(
                HttpResponse::error(400, "block_seconds must be from 0 to 86400"));
        const QString reason = body.value(QStringLiteral("reason")).toString().left(512);
        answerLater(
            std::move(responder),
            [caller, name, blockSeconds, reason](QSqlDatabase &db) {
                const std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                    return *refusal;
                auditPolicyAction(db, *stream, caller, moderation::ModerationActionType::CutSource,
                                  {{QStringLiteral("block_seconds"), blockSeconds}}, reason);
                logging::log(lcStreamsApi(), QtInfoMsg, QStringLiteral("stream source cut off"),
                             {{QStringLiteral("stream"), name},
                              {QStringLiteral("by"), caller.subject},
                              {QStringLiteral("block_seconds"), blockSeconds}});
                return Outcome{200, {}, {*stream}, {}};
            },
            [directory = m_directory, name, blockSeconds](const Outcome &) {
                const bool live = directory->cutSource(name, blockSeconds * 1000);
                return HttpResponse::json(200, {{QStringLiteral("was_live"), live},
                                                {QStringLiteral("block_seconds"), blockSeconds}});
            });
    }

    void rotateKey(const HttpRequest &request, HttpResponder responder) const
    {
        Caller caller;
        const QString name = streamOfRequest(request, responder, kKeySuffix, &caller);
        if (name.isEmpty())
            return;
        const QByteArray key = streaming::StreamKey::generate();
        const QByteArray hash = streaming::StreamKey::hash(key);
        answerLater(
            std::move(responder),
            [caller, name, key, hash](QSqlDatabase &db) {
                const std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseChange(stream, caller))
                    return *refusal;
                if (!StreamStore::rotateKey(db, stream->id, hash, now()))
                    return refused(404, "no such stream");
                logging::log(
                    lcStreamsApi(), QtInfoMsg, QStringLiteral("stream key rotated"),
                    {{QStringLiteral("stream"), name}, {QStringLiteral("by"), caller.subject}});
                return Outcome{200, {}, {}, key};
            },
            [directory = m_directory, name](const Outcome &outcome) {
                directory->keyRotated(name); // the old key stops working for a live source too
                return HttpResponse::json(
                    200, {{QStringLiteral("stream_key"), QString::fromLatin1(outcome.key)}});
            });
    }

    // PATCH /api/streams/{name} (its description) or /api/streams/{name}/effects.
    void patch(const HttpRequest &request, HttpResponder responder) const
    {
        if (request.path().endsWith(kEffectsSuffix))
            return changeEffects(request, std::move(responder));
        describe(request, std::move(responder));
    }

    // PATCH /api/streams/{name}: the owner or an admin edits title, description, genre and
    // public; fields left out keep their value, each is checked as at creation.
    void describe(const HttpRequest &request, HttpResponder responder) const
    {
        Caller caller;
        const QString name = streamOfRequest(request, responder, {}, &caller);
        if (name.isEmpty())
            return;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return responder.send(HttpResponse::error(400, "body must be a JSON object"));
        const QJsonObject body = document.object();
        QByteArray problem;
        QString title, description, genre;
        if (!readText(body, QStringLiteral("title"), streaming::maxTitleLength, title, problem) ||
            !readText(body, QStringLiteral("description"), streaming::maxDescriptionLength,
                      description, problem) ||
            !readText(body, QStringLiteral("genre"), streaming::maxGenreLength, genre, problem))
            return responder.send(HttpResponse::error(400, problem));
        const QJsonValue isPublic = body.value(QStringLiteral("public"));
        if (!isPublic.isUndefined() && !isPublic.isBool())
            return responder.send(HttpResponse::error(400, "public must be true or false"));
        answerLater(
            std::move(responder),
            [caller, name, body, title, description, genre](QSqlDatabase &db) {
                std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseChange(stream, caller))
                    return *refusal;
                if (body.contains(QStringLiteral("title")))
                    stream->title = title;
                if (body.contains(QStringLiteral("description")))
                    stream->description = description;
                if (body.contains(QStringLiteral("genre")))
                    stream->genre = genre;
                if (body.value(QStringLiteral("public")).isBool())
                    stream->isPublic = body.value(QStringLiteral("public")).toBool();
                if (!StreamStore::describe(db, stream->id, *stream, now()))
                    return refused(404, "no such stream"); // deleted meanwhile
                return Outcome{200, {}, {*StreamStore::find(db, name)}, {}};
            },
            [directory = m_directory](const Outcome &outcome) {
                return HttpResponse::json(200, streamJson(outcome.streams.front(), *directory));
            });
    }

    // PATCH /api/streams/{name}/effects: the owner or an admin changes the stream's effects
    // chain. Stored with the stream (every broadcast starts with it) and, when live, applied
    // to the audio at once.
    void changeEffects(const HttpRequest &request, HttpResponder responder) const
    {
        Caller caller;
        const QString name = streamOfRequest(request, responder, kEffectsSuffix, &caller);
        if (name.isEmpty())
            return;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return responder.send(HttpResponse::error(400, "body must be a JSON object"));
        answerLater(
            std::move(responder),
            [caller, name, patch = document.object()](QSqlDatabase &db) {
                const std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseChange(stream, caller))
                    return *refusal;
                QString problem;
                const std::optional<audio::EffectSettings> stored = audio::EffectSettings::merged(
                    {}, StreamStore::effects(db, stream->id), &problem);
                const std::optional<audio::EffectSettings> changed = audio::EffectSettings::merged(
                    stored.value_or(audio::EffectSettings{}), patch, &problem);
                if (!changed)
                    return refused(400, problem.toUtf8());
                Outcome outcome{200, {}, {}, {}, changed->toJson()};
                if (!StreamStore::saveEffects(db, stream->id, outcome.effects, now()))
                    return refused(404, "no such stream"); // deleted meanwhile
                return outcome;
            },
            [directory = m_directory, name, subject = caller.subject](const Outcome &outcome) {
                // Live: the whole settings replace the pipeline's, at its next block.
                const streaming::EffectsChange change =
                    directory->changeEffects(name, outcome.effects);
                const bool live = change.status < 400;
                logging::log(lcStreamsApi(), QtInfoMsg, QStringLiteral("stream effects changed"),
                             {{QStringLiteral("stream"), name},
                              {QStringLiteral("by"), subject},
                              {QStringLiteral("live"), live},
                              {QStringLiteral("effects"), outcome.effects}});
                return HttpResponse::json(200, {{QStringLiteral("effects"), outcome.effects},
                                                {QStringLiteral("live"), live}});
            });
    }

    // GET /api/streams/{name}/listeners?limit=N&before=<id>: the owner or an admin reads who
    // listened, the latest to connect first.
    void listeners(const HttpRequest &request, HttpResponder responder) const
    {
        Caller caller;
        const QString name = streamOfRequest(request, responder, kListenersSuffix, &caller);
        if (name.isEmpty())
            return;
        const std::optional<qint64> limit =
            positiveQueryItem(request, "limit", kDefaultListenersPage);
        if (!limit || *limit > kMaxListenersPage) {
            const QByteArray reason =
                "limit must be a number from 1 to " + QByteArray::number(kMaxListenersPage);
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
                if (!stream || !canSee(*stream, caller))
                    return refused(404, "no such stream");
                if (!caller.admin && stream->ownerName != caller.subject)
                    return refused(403, "only the stream's owner or an admin may see its "
                                        "listeners");
                // One more than asked: whether a next page exists.
                page->visits = StreamStore::listenerVisits(
                    db, stream->id, limit + 1,
                    before > 0 ? std::optional<qint64>(before) : std::nullopt);
                if (page->visits.size() > limit) {
                    page->visits.resize(limit);
                    page->nextBefore = page->visits.last().id;
                }
                return Outcome{200, {}, {}, {}};
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

private:
    static Caller callerOf(const auth::Claims &claims)
    {
        return {claims.subject, claims.roles.contains(QStringLiteral("admin")),
                net::http::hasAnyRole(claims.roles, {u"moderator", u"admin"})};
    }

    // The stream a /api/streams/{name}[suffix] request names and who asks; empty (with the
    // 401 or 404 already sent) when there is nothing to do.
    QString streamOfRequest(const HttpRequest &request, HttpResponder &responder,
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
        // Shared by the two continuations; answered (and released) on this thread.
        auto shared = std::make_shared<HttpResponder>(std::move(responder));
        future
            .then(m_threadContext,
                  [shared, render = std::move(render)](const Outcome &outcome) {
                      shared->send(outcome.status >= 400
                                       ? HttpResponse::error(outcome.status, outcome.reason)
                                       : render(outcome));
                  })
            .onFailed(m_threadContext,
                      [shared] { shared->send(HttpResponse::error(503, "database_unavailable")); });
    }

    storage::Database *m_database;
    TokenCheck m_tokens;
    streaming::StreamDirectory *m_directory;
    QObject *m_threadContext;
};

} // namespace

void installStreamsRoutes(net::http::HttpRouter &router, storage::Database *database,
                          TokenCheck tokens, streaming::StreamDirectory *directory,
                          QObject *threadContext)
{
    // One per router (network thread); the handlers keep it alive.
    auto api =
        std::make_shared<const StreamsApi>(database, std::move(tokens), directory, threadContext);
    using Method = void (StreamsApi::*)(const HttpRequest &, HttpResponder) const;
    const auto bind = [api](Method method) {
        return [api, method](const HttpRequest &request, HttpResponder responder) {
            ((*api).*method)(request, std::move(responder));
        };
    };
    const QByteArray collection = kCollection.toByteArray();
    const QByteArray item = kItemPrefix.toByteArray();
    router.add("POST", collection, bind(&StreamsApi::create));
    router.add("GET", collection, bind(&StreamsApi::list));
    router.addPrefix("GET", item, bind(&StreamsApi::show), QStringLiteral("/api/streams/{name}"));
    router.addPrefix("DELETE", item, bind(&StreamsApi::remove),
                     QStringLiteral("/api/streams/{name}"));
    router.addPrefix("POST", item, bind(&StreamsApi::post),
                     QStringLiteral("/api/streams/{name}/key|source/disconnect"));
    router.addPrefix("PATCH", item, bind(&StreamsApi::patch),
                     QStringLiteral("/api/streams/{name}[/effects]"));
}

} // namespace veza::endpoints
