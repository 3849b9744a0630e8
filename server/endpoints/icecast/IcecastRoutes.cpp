#include "endpoints/icecast/IcecastRoutes.h"

#include "endpoints/DatabaseUnavailable.h"
#include "endpoints/icecast/IcecastHeads.h"
#include "endpoints/icecast/IcecastMetadata.h"
#include "endpoints/icecast/ListenerFanout.h"
#include "endpoints/icecast/ListenerSession.h"
#include "endpoints/icecast/SourceSession.h"
#include "net/PeerAddress.h"
#include "net/http/BasicAuth.h"
#include "net/http/HttpRouter.h"
#include "net/http/RequestBody.h"
#include "storage/Database.h"
#include "streaming/StreamCluster.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamKey.h"
#include "streaming/StreamMetrics.h"
#include "streaming/StreamProcessor.h"
#include "streaming/StreamStore.h"

#include <QDateTime>
#include <QFuture>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcIcecast, "veza.net.icecast")

namespace veza::endpoints {
namespace {

using net::http::HttpRequest;
using net::http::HttpResponder;
using net::http::HttpResponse;
using streaming::LiveStream;
using streaming::StreamHub;

constexpr QByteArrayView kMountPrefix = "/live/";

// The stream a key unlocks, as the storage pool found it.
struct KeyLookup
{
    bool failed = false; // the database did not answer
    bool found = false;
    qint64 streamId = 0;
    QByteArray keyHash;
    QString owner; // users.name
};

QString nameOfMount(QByteArrayView mount)
{
    if (!mount.startsWith(kMountPrefix))
        return {};
    const QString name = QString::fromUtf8(mount.sliced(kMountPrefix.size()));
    return streaming::isValidStreamName(name) ? name : QString();
}

// What a listener asked for: /live/{name} (the source's own format) or a rendition,
// /live/{name}.opus (also .ogg), .mp3, .aac.
struct ListenTarget
{
    QString name;
    std::optional<streaming::RenditionCodec> codec;
};

ListenTarget listenTarget(QByteArrayView path)
{
    using streaming::RenditionCodec;
    static const std::pair<QByteArrayView, RenditionCodec> suffixes[] = {
        {".opus", RenditionCodec::Opus},
        {".ogg", RenditionCodec::Opus},
        {".mp3", RenditionCodec::Mp3},
        {".aac", RenditionCodec::Aac}};
    for (const auto &[suffix, codec] : suffixes) {
        if (path.endsWith(suffix))
            return {nameOfMount(path.chopped(suffix.size())), codec};
    }
    return {nameOfMount(path), std::nullopt};
}

// Sources whose own bytes a listener cannot join mid-stream (Ogg and WebM need their headers
// first): /live/{name} serves them as the default Opus rendition.
bool servedAsOpus(const QByteArray &contentType)
{
    return contentType != "audio/mpeg" && contentType != "audio/aac" && contentType != "audio/aacp";
}

// ?bitrate=64 (kbit/s) or ?bitrate=64000; 0 when absent (the default rendition), -1 when
// malformed.
int requestedBitrate(const HttpRequest &request)
{
    const QByteArray text = request.queryItem("bitrate");
    if (text.isEmpty())
        return 0;
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value <= 0)
        return -1;
    return value < 1000 ? value * 1000 : value;
}

// An answer to a source, whose body must not be read as a request.
HttpResponse sourceRefusal(HttpResponse response)
{
    response.closeConnection = true;
    return response;
}

HttpResponse refusal(int status, QByteArrayView reason)
{
    HttpResponse response = HttpResponse::error(status, reason);
    response.closeConnection = true; // an uploader's body must not be read as a request
    if (status == 401)
        response.headers.append(
            {QByteArray("WWW-Authenticate"), QByteArray("Basic realm=\"Icecast2 Server\"")});
    return response;
}

// The listener_sessions record of an HTTP listener of `stream` (the source's own or one of its
// renditions), as it connects.
streaming::ListenerRecord visitOf(const HttpRequest &request, const LiveStream &source,
                                  const LiveStream &stream)
{
    streaming::ListenerRecord visit;
    visit.streamId = source.streamId;
    visit.streamName = source.name;
    visit.kind = streaming::ListenerKind::Http;
    visit.rendition = streaming::renditionOfLiveStream(stream.name);
    visit.connectedAtMs = QDateTime::currentMSecsSinceEpoch();
    visit.userAgent = QString::fromUtf8(request.header("user-agent"))
                          .left(streaming::ListenerRecord::maxUserAgentLength);
    visit.address = net::plainPeerAddress(request.peerAddress);
    return visit;
}

class IcecastApi
{
public:
    IcecastApi(StreamHub &hub, storage::Database *database, ListenerFanout *fanout,
               QObject *threadContext, streaming::StreamCluster *cluster)
        : m_hub(hub)
        , m_database(database)
        , m_fanout(fanout)
        , m_threadContext(threadContext)
        , m_cluster(cluster)
    {
    }

    void source(const HttpRequest &request, HttpResponder responder) const
    {
        const QString name = nameOfMount(request.path());
        if (name.isEmpty())
            return responder.send(refusal(404, "no such stream"));
        withKey(request, name, std::move(responder),
                [this, request, name](HttpResponder &responder, const KeyLookup &found) {
                    // A blocked mount answers so at once, wherever the source would be.
                    if (!m_cluster || m_hub.find(name) || m_hub.isBlocked(name))
                        return accept(request, name, found, responder);
                    // One source per mount in the deployment: its lease first.
                    auto held = std::make_shared<HttpResponder>(std::move(responder));
                    m_cluster->claimMount(name, found.streamId, m_threadContext,
                                          [this, request, name, found, held](bool granted) {
                                              if (granted)
                                                  return accept(request, name, found, *held);
                                              m_hub.refused(
                                                  QStringLiteral("mount_in_use"), name,
                                                  QStringLiteral("source"),
                                                  net::plainPeerAddress(request.peerAddress));
                                              held->send(refusal(403, "mount in use"));
                                          });
                });
    }

    void listen(const HttpRequest &request, HttpResponder responder) const
    {
        const ListenTarget target = listenTarget(request.path());
        const std::shared_ptr<LiveStream> source =
            target.name.isEmpty() ? nullptr : m_hub.find(target.name);
        if (!source && m_cluster && !target.name.isEmpty()) {
            // Carried by another instance? Then relayed here, and served as a local stream.
            auto held = std::make_shared<HttpResponder>(std::move(responder));
            m_cluster->relayMount(
                target.name, m_threadContext, [this, request, target, held](bool live) {
                    const auto relayed = live ? m_hub.find(target.name) : nullptr;
                    if (!relayed)
                        return held->send(HttpResponse::error(404, "stream is offline"));
                    listenTo(request, target, relayed, std::move(*held));
                });
            return;
        }
        if (!source)
            return responder.send(HttpResponse::error(404, "stream is offline"));
        listenTo(request, target, source, std::move(responder));
    }

    void listenTo(const HttpRequest &request, const ListenTarget &target,
                  const std::shared_ptr<LiveStream> &source, HttpResponder responder) const
    {
        std::shared_ptr<LiveStream> stream = source;
        const auto &processor = source->processor();
        if (target.codec || (processor && servedAsOpus(source->meta().contentType))) {
            const int bitrate = requestedBitrate(request);
            if (bitrate < 0)
                return responder.send(HttpResponse::error(400, "bitrate must be a number"));
            stream = processor
                         ? processor->rendition(
                               target.codec.value_or(streaming::RenditionCodec::Opus), bitrate)
                         : nullptr;
            if (!stream)
                return responder.send(HttpResponse::error(
                    404, "rendition not offered (see CODECS_ENABLED and "
                         "the stream's renditions in GET /api/streams/{name})"));
        }
        const int others =
            source->listeners() + (processor ? processor->listeners() : 0) - stream->listeners();
        // ICY metadata is an MP3/AAC convention; Ogg carries its own tags.
        const bool icy = request.header("icy-metadata").trimmed() == "1" &&
                         stream->meta().contentType != "audio/ogg";
        if (request.method() == "HEAD") {
            const QByteArray head = IcecastHeads::listenerHead(stream->meta(), icy);
            responder.takeOver(200, [&](std::unique_ptr<net::Transport> transport) {
                return std::make_unique<ListenerSession>(std::move(transport), m_fanout, nullptr,
                                                         LiveStream::Attachment{}, icy, head);
            });
            return;
        }
        LiveStream::Attachment attachment;
        // MAX_LISTENERS_PER_STREAM counts every rendition's listeners together.
        const LiveStream::Attach result =
            stream->attachListener(m_fanout, m_hub.maxListenersPerStream() - others,
                                   m_hub.burstBytes(*stream), &attachment);
        if (result == LiveStream::Attach::Ended)
            return responder.send(HttpResponse::error(404, "stream is offline"));
        if (result == LiveStream::Attach::Full) {
            m_hub.refused(QStringLiteral("max_listeners"), source->name, QStringLiteral("listener"),
                          net::plainPeerAddress(request.peerAddress));
            HttpResponse response = HttpResponse::error(503, "max_listeners");
            response.headers.append({QByteArray("Retry-After"), QByteArray("5")});
            return responder.send(std::move(response));
        }
        const QByteArray head = IcecastHeads::listenerHead(attachment.meta, icy);
        const bool taken = responder.takeOver(200, [&](std::unique_ptr<net::Transport> transport) {
            streaming::ListenerRecord visit = visitOf(request, *source, *stream);
            streaming::ListenerRoster::Membership membership = m_hub.roster().join(
                visit, streaming::codecOfRendition(visit.rendition, attachment.meta.contentType),
                m_fanout);
            return std::make_unique<ListenerSession>(
                std::move(transport), m_fanout, stream, std::move(attachment), icy, head,
                &m_hub.listenerLog(), std::move(visit), std::move(membership));
        });
        if (!taken)
            stream->detachListener(m_fanout);
    }

    // GET /admin/metadata?mount=/live/{name}&mode=updinfo&song=... (or &artist=...&title=...)
    void metadata(const HttpRequest &request, HttpResponder responder) const
    {
        const QString name = nameOfMount(request.queryItem("mount"));
        if (name.isEmpty())
            return responder.send(refusal(404, "no such mount"));
        if (request.queryItem("mode") != "updinfo")
            return responder.send(refusal(400, "mode must be updinfo"));
        QByteArray problem;
        const std::optional<QByteArray> title = IcecastMetadata::titleOf(request, &problem);
        if (!title)
            return responder.send(refusal(400, problem));
        const QByteArray song = *title;
        withKey(request, name, std::move(responder),
                [this, name, song](HttpResponder &responder, const KeyLookup &) {
                    const std::shared_ptr<LiveStream> stream = m_hub.find(name);
                    // Through a load balancer the encoder may reach an instance without its
                    // source: the title goes to the one holding the mount.
                    if ((stream && !stream->meta().relayed) || !m_cluster)
                        return titleSet(responder, m_hub.retitle(name, song));
                    auto held = std::make_shared<HttpResponder>(std::move(responder));
                    m_cluster->retitle(name, song, m_threadContext,
                                       [held](bool told) { titleSet(*held, told); });
                });
    }

private:
    // The answer to /admin/metadata, as Icecast gives it.
    static void titleSet(HttpResponder &responder, bool onAir)
    {
        if (!onAir)
            return responder.send(refusal(404, "stream is offline"));
        HttpResponse response{200, "text/xml", {}, {}, false};
        response.body = "<?xml version=\"1.0\"?>\n<iceresponse><message>Metadata "
                        "update successful</message><return>1</return>"
                        "</iceresponse>\n";
        responder.send(std::move(response));
    }

    // Checks Basic auth (user `source`, password = the stream key) on the storage pool, then
    // calls `then` on this thread with the stream found; refuses (401, 404, 503) otherwise.
    template <typename Then>
    void withKey(const HttpRequest &request, const QString &name, HttpResponder responder,
                 Then then) const
    {
        const auto credentials = net::http::parseBasicAuth(request.header("authorization"));
        if (!credentials || credentials->user != "source") {
            m_hub.metrics().refused.labels({QStringLiteral("unauthorized")}).inc();
            return responder.send(refusal(401, "user source and the stream key required"));
        }
        if (!m_database)
            return responder.send(refusal(503, "no_database"));
        auto shared = std::make_shared<HttpResponder>(std::move(responder));
        m_database
            ->run([name](QSqlDatabase &db) {
                KeyLookup lookup;
                try {
                    const auto stream = streaming::StreamStore::find(db, name);
                    const auto hash = streaming::StreamStore::keyHash(db, name);
                    if (stream && hash)
                        lookup = {false, true, stream->id, *hash, stream->ownerName};
                } catch (const std::exception &error) {
                    qCWarning(lcIcecast) << "key lookup failed:" << error.what();
                    lookup.failed = true;
                }
                return lookup;
            })
            .then(m_threadContext,
                  [this, shared, key = credentials->password, then](const KeyLookup &found) {
                      if (found.failed)
                          return shared->send(sourceRefusal(databaseUnavailable()));
                      if (!found.found)
                          return shared->send(refusal(404, "no such stream"));
                      if (!streaming::StreamKey::verify(key, found.keyHash)) {
                          m_hub.metrics().refused.labels({QStringLiteral("unauthorized")}).inc();
                          return shared->send(refusal(401, "wrong stream key"));
                      }
                      // A banned owner's key is refused with him.
                      if (const QString why = m_hub.ownerRefusal(found.owner); !why.isEmpty()) {
                          m_hub.metrics().refused.labels({QStringLiteral("banned")}).inc();
                          return shared->send(refusal(403, why.toUtf8()));
                      }
                      then(*shared, found);
                  })
            .onFailed(m_threadContext,
                      [shared] { shared->send(sourceRefusal(databaseUnavailable())); });
    }

    void accept(const HttpRequest &request, const QString &name, const KeyLookup &found,
                HttpResponder &responder) const
    {
        streaming::SourceMeta meta;
        const std::optional<QByteArray> type =
            IcecastHeads::sourceContentType(request.header("content-type"));
        if (!type)
            return refuseType(responder, "unsupported content type: use audio/ogg (Opus or "
                                         "Vorbis), audio/webm (Opus), audio/mpeg, audio/aac or "
                                         "audio/aacp");
        meta.contentType = *type;
        meta.name = request.header("ice-name");
        meta.description = request.header("ice-description");
        meta.genre = request.header("ice-genre");
        meta.url = request.header("ice-url");
        meta.isPublic = request.header("ice-public").trimmed() == "1";
        if (!responder.connected())
            return responder.send(refusal(400, "client_gone")); // dropped: nobody to read it
        const StreamHub::SourceGrant grant = m_hub.connectSource(found.streamId, name, meta);
        if (grant.refusal == StreamHub::Refusal::MountInUse) {
            m_hub.refused(QStringLiteral("mount_in_use"), name, QStringLiteral("source"),
                          net::plainPeerAddress(request.peerAddress));
            return responder.send(refusal(403, "mount in use"));
        }
        if (grant.refusal == StreamHub::Refusal::Blocked) {
            m_hub.refused(QStringLiteral("blocked"), name, QStringLiteral("source"),
                          net::plainPeerAddress(request.peerAddress));
            const QByteArray seconds = QByteArray::number((grant.blockedForMs + 999) / 1000);
            HttpResponse response =
                refusal(403, QByteArray("source blocked for " + seconds + " s"));
            response.headers.append({QByteArray("Retry-After"), seconds});
            return responder.send(std::move(response));
        }
        if (grant.refusal == StreamHub::Refusal::ShuttingDown)
            return responder.send(refusal(503, "shutting_down")); // another instance takes it
        if (grant.refusal == StreamHub::Refusal::MaxStreams) {
            m_hub.refused(QStringLiteral("max_streams"), name, QStringLiteral("source"),
                          net::plainPeerAddress(request.peerAddress));
            HttpResponse response = refusal(503, "max_streams");
            response.headers.append({QByteArray("Retry-After"), QByteArray("5")});
            return responder.send(std::move(response));
        }
        // As Icecast 2.4: "100 Continue" when the source waits for it, else a bare 200.
        const QByteArray acknowledgement = net::http::expectsContinue(request.head)
                                               ? QByteArray("HTTP/1.1 100 Continue\r\n\r\n")
                                               : QByteArray("HTTP/1.0 200 OK\r\n\r\n");
        qCInfo(lcIcecast).noquote() << "source connected:" << name << *type << request.peerAddress;
        const bool taken = responder.takeOver(200, [&](std::unique_ptr<net::Transport> transport) {
            return std::make_unique<SourceSession>(std::move(transport), m_hub, grant.stream,
                                                   acknowledgement);
        });
        if (!taken)
            m_hub.sourceDisconnected(grant.stream);
    }

    void refuseType(HttpResponder &responder, QByteArrayView reason) const
    {
        m_hub.metrics().refused.labels({QStringLiteral("unsupported_media_type")}).inc();
        responder.send(refusal(415, reason));
    }

    StreamHub &m_hub;
    storage::Database *m_database;
    ListenerFanout *m_fanout;
    QObject *m_threadContext;
    streaming::StreamCluster *m_cluster;
};

} // namespace

void installIcecastRoutes(net::http::HttpRouter &router, StreamHub &hub,
                          storage::Database *database, QObject *threadContext,
                          streaming::StreamCluster *cluster)
{
    auto *fanout = new ListenerFanout(hub.metrics(), threadContext);
    auto api = std::make_shared<const IcecastApi>(hub, database, fanout, threadContext, cluster);
    const QString mount = QStringLiteral("/live/{name}");
    for (const QByteArray &method : {QByteArray("PUT"), QByteArray("SOURCE")}) {
        router.addPrefix(
            method, "/live/",
            [api](const HttpRequest &request, HttpResponder responder) {
                api->source(request, std::move(responder));
            },
            mount);
    }
    router.addPrefix(
        "GET", "/live/",
        [api](const HttpRequest &request, HttpResponder responder) {
            api->listen(request, std::move(responder));
        },
        mount);
    router.add("GET", "/admin/metadata",
               [api](const HttpRequest &request, HttpResponder responder) {
                   api->metadata(request, std::move(responder));
               });
}

} // namespace veza::endpoints
