#include "endpoints/streams/StreamsRoutes.h"

#include "audio/effects/EffectSettings.h"
#include "chat/ChatRooms.h"
#include "endpoints/streams/StreamListenersApi.h"
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

namespace veza::endpoints {
namespace {

using namespace streams;

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;
using streaming::StreamInfo;
using streaming::StreamStore;

constexpr QByteArrayView kCollection = "/api/streams";
constexpr QByteArrayView kKeySuffix = "/key";
constexpr QByteArrayView kDisconnectSuffix = "/source/disconnect";
constexpr QByteArrayView kEffectsSuffix = "/effects";

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

class StreamsApi final : public StreamsApiBase
{
public:
    StreamsApi(storage::Database *database, TokenCheck tokens,
               streaming::StreamDirectory *directory, QObject *threadContext,
               const AnnouncePolicyAction &announce, int maxStreamsPerUser)
        : StreamsApiBase(database, tokens, directory, threadContext, announce)
        , m_listeners(database, tokens, directory, threadContext, announce)
        , m_maxStreamsPerUser(maxStreamsPerUser)
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
        // Admins create streams for others; everyone else owns at most MAX_STREAMS_PER_USER.
        const int maxOwned =
            net::http::hasAnyRole(claims->roles, {u"admin"}) ? 0 : m_maxStreamsPerUser;
        answerLater(
            std::move(responder),
            [stream = std::move(*stream), key, hash, owner, maxOwned](QSqlDatabase &db) mutable {
                const qint64 at = now();
                stream.ownerId = chat::ChatRooms::ensureUser(db, owner, {}, at);
                if (maxOwned > 0 && StreamStore::countOwned(db, stream.ownerId) >= maxOwned)
                    return refused(403, QByteArray("at most ") + QByteArray::number(maxOwned) +
                                            " streams per user: delete one first");
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
        // GET /api/streams/{name}/listeners shares this prefix route.
        if (StreamListenersApi::isListenersPath(request.path()))
            return m_listeners.list(request, std::move(responder));
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
        if (StreamListenersApi::isListenerPath(request.path()))
            return m_listeners.disconnect(request, std::move(responder));
        Caller caller;
        const QString name = streamOfRequest(request, responder, {}, &caller);
        if (name.isEmpty())
            return;
        // A moderator may say why, for the audit log: {"reason":...} (DELETE bodies are rare).
        const QString reason = QJsonDocument::fromJson(request.body)
                                   .object()
                                   .value(QStringLiteral("reason"))
                                   .toString()
                                   .left(512);
        answerLater(
            std::move(responder),
            [caller, name, reason, announce = m_announce](QSqlDatabase &db) {
                const std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                    return *refusal;
                storage::Transaction tx(db);
                if (!StreamStore::remove(db, stream->id, now()))
                    return refused(404, "no such stream"); // deleted meanwhile
                const std::optional<QJsonObject> event = auditPolicyAction(
                    db, *stream, caller, moderation::ModerationActionType::EndStream, {}, reason);
                tx.commit();
                if (event)
                    announce(*event);
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
            [caller, name, blockSeconds, reason, announce = m_announce](QSqlDatabase &db) {
                const std::optional<StreamInfo> stream = StreamStore::find(db, name);
                if (std::optional<Outcome> refusal = refuseControl(stream, caller))
                    return *refusal;
                if (const std::optional<QJsonObject> event = auditPolicyAction(
                        db, *stream, caller, moderation::ModerationActionType::CutSource,
                        {{QStringLiteral("block_seconds"), blockSeconds}}, reason))
                    announce(*event);
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
                const StreamInfo &stream = outcome.streams.front();
                directory->described(stream.name,
                                     {stream.title, stream.ownerName, stream.isPublic});
                return HttpResponse::json(200, streamJson(stream, *directory));
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

private:
    StreamListenersApi m_listeners;
    const int m_maxStreamsPerUser; // 0: no cap
};

} // namespace

void installStreamsRoutes(net::http::HttpRouter &router, storage::Database *database,
                          TokenCheck tokens, streaming::StreamDirectory *directory,
                          QObject *threadContext, const streams::AnnouncePolicyAction &announce,
                          int maxStreamsPerUser)
{
    // One per router (network thread); the handlers keep it alive.
    auto api = std::make_shared<const StreamsApi>(database, std::move(tokens), directory,
                                                  threadContext, announce, maxStreamsPerUser);
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
    router.addPrefix("GET", item, bind(&StreamsApi::show),
                     QStringLiteral("/api/streams/{name}[/listeners]"));
    router.addPrefix("DELETE", item, bind(&StreamsApi::remove),
                     QStringLiteral("/api/streams/{name}[/listeners/{id}]"));
    router.addPrefix("POST", item, bind(&StreamsApi::post),
                     QStringLiteral("/api/streams/{name}/key|source/disconnect"));
    router.addPrefix("PATCH", item, bind(&StreamsApi::patch),
                     QStringLiteral("/api/streams/{name}[/effects]"));
}

} // namespace veza::endpoints
