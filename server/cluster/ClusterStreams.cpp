#include "cluster/ClusterStreams.h"

#include "cluster/ControlMessages.h"
#include "cluster/RelayPull.h"
#include "streaming/LiveStream.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamProcessor.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QUrl>

Q_LOGGING_CATEGORY(lcClusterStreams, "veza.cluster.streams")

namespace veza::cluster {
namespace {

constexpr int kTickMs = 1000;

} // namespace

ClusterStreams::ClusterStreams(Options options, streaming::StreamHub &hub,
                               metrics::MetricsRegistry &metrics, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_hub(hub)
    , m_redis(std::make_unique<redis::RedisConnection>(m_options.redis))
    , m_leases(*m_redis, m_options.instanceId, m_options.leaseTtlMs)
    , m_census(*m_redis, m_options.instanceId)
    , m_listenerCensus(*m_redis, m_options.instanceId, m_census)
    , m_controls(m_options.redis, [this](const QByteArray &,
                                         const QByteArray &payload) { applyPeerControl(payload); })
    , m_claims(metrics.counterFamily(
          QStringLiteral("stream_lease_claims_total"),
          QStringLiteral("Sources asking the deployment for their mount's lease, by result: "
                         "granted, refused (another instance holds it), unchecked (Redis did "
                         "not answer: admitted)."),
          {QStringLiteral("result")}))
    , m_leasesLost(metrics.counter(
          QStringLiteral("stream_leases_lost_total"),
          QStringLiteral("Mounts live here whose lease another instance held at renewal: the "
                         "local source was cut.")))
    , m_relaysStarted(metrics.counter(
          QStringLiteral("stream_relays_started_total"),
          QStringLiteral("Streams pulled from the instance carrying them for local listeners.")))
    , m_relaysActive(metrics.gauge(
          QStringLiteral("stream_relays_active"),
          QStringLiteral("Streams relayed to this instance from the one carrying them now.")))
{
    m_clock.setInterval(kTickMs);
    connect(&m_clock, &QTimer::timeout, this, &ClusterStreams::everySecond);
    connect(m_redis.get(), &redis::RedisConnection::ready, this, [this] { emit redisProblem({}); });
    connect(m_redis.get(), &redis::RedisConnection::lost, this,
            [this](const QString &why) { emit redisProblem(why); });
}

ClusterStreams::~ClusterStreams()
{
    stopRelays(); // before the hub: they end their local streams
    m_redis.reset();
}

void ClusterStreams::stopRelays()
{
    qDeleteAll(std::exchange(m_relays, {}));
    m_relaysActive.set(0);
}

void ClusterStreams::start(const QByteArray &advertiseUrl)
{
    m_leases.setAdvertiseUrl(advertiseUrl);
    // Listener ids of its own (a random 20-bit range): a moderator's kick names one listener
    // in the deployment.
    m_hub.roster().setIdBase(qint64(QRandomGenerator::global()->bounded(1u << 20) + 1) << 32);
    m_redis->start();
    m_controls.subscribe(StreamControl::kChannel);
    m_controls.start();
    m_clock.start();
}

void ClusterStreams::tellPeers(const StreamControl &control)
{
    const QByteArray payload =
        ControlMessages::envelope(m_options.instanceId, control.kindName(), control.body());
    QMetaObject::invokeMethod(
        this,
        [this, payload, name = control.name] {
            m_redis->command({"PUBLISH", StreamControl::kChannel, payload},
                             [name](const redis::RedisReply &reply) {
                                 if (reply.isError())
                                     qCWarning(lcClusterStreams).noquote()
                                         << "a live control of" << name
                                         << "was not told to the other instances:" << reply.text;
                             });
        },
        Qt::QueuedConnection);
}

void ClusterStreams::retitle(const QString &name, const QByteArray &title, QObject *context,
                             std::function<void(bool)> done)
{
    QMetaObject::invokeMethod(
        this,
        [this, name, title, waiter = Waiter{context, std::move(done)}] {
            // The lease, not the census: it names the source's instance from its first second.
            m_leases.holder(
                name, [this, name, title, waiter](std::optional<MountLeases::Holder> holder) {
                    const bool elsewhere = holder && holder->instanceId != m_leases.instanceId();
                    if (elsewhere) {
                        m_hub.retitle(name, title); // a relay here hears it at once
                        tellPeers({StreamControl::Kind::Retitled, name, 0, {}, title});
                    }
                    answer(waiter.first, waiter.second, elsewhere);
                });
        },
        Qt::QueuedConnection);
}

void ClusterStreams::applyPeerControl(const QByteArray &payload)
{
    const std::optional<ControlMessages::Envelope> envelope = ControlMessages::open(payload);
    if (!envelope || envelope->instanceId == m_options.instanceId)
        return; // applied where it was asked
    const std::optional<StreamControl> control = StreamControl::of(envelope->kind, envelope->body);
    if (!control)
        return;
    switch (control->kind) {
    case StreamControl::Kind::End:
        return m_hub.endLive(control->name);
    case StreamControl::Kind::Cut:
        m_hub.cutSource(control->name, control->blockMs);
        return;
    case StreamControl::Kind::KeyRotated:
        return m_hub.keyRotated(control->name);
    case StreamControl::Kind::Described:
        return m_hub.described(control->name, control->listing);
    case StreamControl::Kind::Effects:
        if (const auto stream = m_hub.find(control->name); stream && !stream->meta().relayed)
            m_hub.changeEffects(control->name, control->effects);
        return;
    case StreamControl::Kind::Kick:
        m_hub.disconnectListener(control->streamId, control->listenerId);
        return;
    case StreamControl::Kind::Retitled:
        if (const auto stream = m_hub.find(control->name); stream && !stream->meta().relayed)
            m_hub.retitle(control->name, control->title); // relays follow it (census)
        return;
    }
}

// A relay's listeners hear the title the source's instance has on air, whichever instance the
// encoder told.
void ClusterStreams::followSourceTitles()
{
    for (const std::shared_ptr<streaming::LiveStream> &stream : m_hub.liveStreams()) {
        if (!stream->meta().relayed)
            continue;
        const std::optional<StreamCensus::Elsewhere> source = m_census.elsewhere(stream->name);
        if (source && source->carried && source->titleSetAtMs > 0 &&
            source->title != stream->title())
            m_hub.retitle(stream->name, source->title);
    }
}

void ClusterStreams::claimMount(const QString &name, qint64 streamId, QObject *context,
                                std::function<void(bool)> done)
{
    QMetaObject::invokeMethod(
        this,
        [this, name, streamId, context = QPointer<QObject>(context), done] {
            m_leases.claim(name, streamId, [this, context, done](MountLeases::Claim claim) {
                static const QString results[] = {QStringLiteral("granted"),
                                                  QStringLiteral("refused"),
                                                  QStringLiteral("unchecked")};
                m_claims.labels({results[int(claim)]}).inc();
                // Unchecked: Redis is out of reach; each instance serves its own connections.
                answer(context, done, claim != MountLeases::Claim::Refused);
            });
        },
        Qt::QueuedConnection);
}

void ClusterStreams::relayMount(const QString &name, QObject *context,
                                std::function<void(bool)> done)
{
    QMetaObject::invokeMethod(
        this, [this, name, waiter = Waiter{context, std::move(done)}] { relayNow(name, waiter); },
        Qt::QueuedConnection);
}

void ClusterStreams::relayNow(const QString &name, const Waiter &waiter)
{
    if (m_hub.find(name))
        return answer(waiter.first, waiter.second, true); // relayed meanwhile
    const bool asked = m_waiting.contains(name);
    m_waiting[name].append(waiter);
    if (asked)
        return; // one look-up, one relay
    m_leases.holder(name, [this, name](std::optional<MountLeases::Holder> holder) {
        if (!holder || holder->instanceId == m_leases.instanceId() || m_relays.contains(name))
            return answerWaiters(name, m_hub.find(name) != nullptr);
        startRelay(name, *holder);
    });
}

void ClusterStreams::startRelay(const QString &name, const MountLeases::Holder &holder)
{
    const QUrl from(QString::fromUtf8(holder.advertiseUrl));
    if (!from.isValid() || from.host().isEmpty()) {
        qCWarning(lcClusterStreams).noquote()
            << "mount" << name << "held by" << holder.instanceId
            << "without a usable ADVERTISE_URL:" << holder.advertiseUrl;
        return answerWaiters(name, false);
    }
    auto *relay = new RelayPull(m_hub, name, holder.streamId, from, m_options.instanceId,
                                m_options.relayLingerMs, this);
    m_relays.insert(name, relay);
    m_relaysStarted.inc();
    m_relaysActive.set(double(m_relays.size()));
    connect(relay, &RelayPull::live, this, [this, name] { answerWaiters(name, true); });
    connect(relay, &RelayPull::finished, this, [this, name, relay] {
        answerWaiters(name, false); // those still waiting: it never went live
        if (m_relays.value(name) != relay)
            return; // stopRelays() took it
        m_relays.remove(name);
        m_relaysActive.set(double(m_relays.size()));
        relay->deleteLater();
    });
    relay->start();
}

void ClusterStreams::answerWaiters(const QString &name, bool live)
{
    for (const Waiter &waiter : m_waiting.take(name))
        answer(waiter.first, waiter.second, live);
}

void ClusterStreams::everySecond()
{
    QHash<QString, qint64> leased;
    QHash<QString, StreamCensus::Part> parts;
    for (const std::shared_ptr<streaming::LiveStream> &stream : m_hub.liveStreams()) {
        const bool relayed = stream->meta().relayed;
        if (!relayed)
            leased.insert(stream->name, stream->streamId);
        const auto &processor = stream->processor();
        parts.insert(stream->name, {stream->listeners() + (processor ? processor->listeners() : 0),
                                    relayed, stream->bitrate(), stream->startedAtMs,
                                    stream->title(), stream->titleSetAtMs()});
    }
    m_leases.renew(leased, [this](const QString &name) {
        // Redis kept us apart and another instance took the mount: one source per mount.
        qCWarning(lcClusterStreams).noquote()
            << "mount" << name << "is held by another instance: cutting the local source";
        m_leasesLost.inc();
        m_hub.cutSource(name, 0);
    });
    m_census.publish(parts);
    followSourceTitles();
    m_listenerCensus.exchange(
        [this](qint64 streamId) { return m_hub.connectedListeners(streamId); });
}

} // namespace veza::cluster
