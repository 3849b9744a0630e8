#include "endpoints/streams/ListenSession.h"

#include "MonotonicClock.h"
#include "endpoints/streams/PacketFanout.h"
#include "endpoints/streams/StreamSocketEndpoint.h"
#include "endpoints/streams/StreamSocketMetrics.h"
#include "net/PeerAddress.h"
#include "net/WebSocketConnection.h"
#include "net/ws/CloseCodes.h"
#include "net/ws/Handshake.h"
#include "streaming/LiveStream.h"
#include "streaming/PacketFeed.h"
#include "streaming/StreamCluster.h"
#include "streaming/StreamHub.h"
#include "streaming/StreamMetrics.h"
#include "streaming/StreamProcessor.h"
#include "streaming/StreamTypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcListen, "veza.net.listen")

namespace veza::endpoints {
namespace {

// Close codes of /listen/{name} (docs/protocol.md).
constexpr quint16 kCloseOffline = 4404;
constexpr quint16 kCloseNoOpus = 4415;
constexpr quint16 kCloseKicked = 4403;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A client's buffer below this is about to run dry: treated like a backed-up socket.
constexpr int kLowBufferMs = 150;

} // namespace

ListenSession::ListenSession(net::WebSocketConnection &connection,
                             const StreamSocketEndpoint &endpoint, QString name,
                             const net::ws::UpgradeRequest &request)
    : m_connection(connection)
    , m_endpoint(endpoint)
{
    start(name, request);
}

ListenSession::~ListenSession()
{
    leave();
    // Its connection ended: the client left, unless the server is going away with it open.
    report(m_connection.isOpen() ? streaming::ListenerEndReason::Shutdown
                                 : streaming::ListenerEndReason::Left);
}

void ListenSession::report(streaming::ListenerEndReason reason)
{
    if (std::exchange(m_reported, true))
        return;
    m_visit.rendition = QStringLiteral("opus%1").arg(bitrate() / 1000);
    m_visit.endedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_visit.endReason = reason;
    m_endpoint.hub->listenerLog().record(std::move(m_visit));
}

void ListenSession::dropSlow()
{
    // Too slow even for the lowest rendition: it would only grow our memory.
    m_endpoint.hub->metrics().listenersDropped.labels({QStringLiteral("slow")}).inc();
    report(streaming::ListenerEndReason::Slow);
    leave();
    m_connection.close(net::ws::CloseCode::TryAgainLater, "too slow for the lowest rendition",
                       net::WebSocketConnection::CloseWait::No);
}

void ListenSession::start(const QString &name, const net::ws::UpgradeRequest &request)
{
    m_wantedBitrate = request.queryItem("bitrate");
    m_wantedAdaptive = request.queryItem("adaptive");
    m_userAgent = request.userAgent;
    const bool valid = streaming::isValidStreamName(name);
    if (valid && m_endpoint.cluster && !m_endpoint.hub->find(name)) {
        // Carried by another instance? Then relayed here first. The guard, gone with the
        // session, drops a late answer.
        m_relayWait = std::make_unique<QObject>();
        m_endpoint.cluster->relayMount(name, m_relayWait.get(), [this, name](bool live) {
            if (!live)
                return m_connection.close(kCloseOffline, "stream is offline");
            if (m_connection.isOpen())
                begin(name);
        });
        return;
    }
    if (!valid)
        return m_connection.close(kCloseOffline, "stream is offline");
    begin(name);
}

void ListenSession::begin(const QString &name)
{
    streaming::StreamHub &hub = *m_endpoint.hub;
    const std::shared_ptr<streaming::LiveStream> stream = hub.find(name);
    if (!stream)
        return m_connection.close(kCloseOffline, "stream is offline");
    m_processor = stream->processor();
    m_ladder = m_processor ? m_processor->opusLadder() : QList<int>();
    if (m_ladder.isEmpty())
        return m_connection.close(kCloseNoOpus, "opus is not enabled (CODECS_ENABLED)");
    if (stream->listeners() + m_processor->listeners() >= hub.maxListenersPerStream()) {
        hub.refused(QStringLiteral("max_listeners"), stream->name, QStringLiteral("listener"),
                    net::plainPeerAddress(m_connection.peerAddress()));
        return m_connection.close(net::ws::CloseCode::TryAgainLater, "max_listeners");
    }

    // ?bitrate= picks a rung (and turns adaptation off); default: the DEFAULT_BITRATE rung,
    // adaptive as ADAPTIVE_BITRATE says. ?adaptive=1 or 0 overrides either.
    const QByteArray &wanted = m_wantedBitrate;
    const QByteArray &adaptive = m_wantedAdaptive;
    int bitrate = m_processor->defaultOpusBitrate();
    m_adaptive = m_endpoint.adaptiveBitrate;
    if (!wanted.isEmpty()) {
        const int value = wanted.toInt();
        bitrate = value > 0 && value < 1000 ? value * 1000 : value;
        m_adaptive = false;
    }
    if (!adaptive.isEmpty())
        m_adaptive = adaptive == "1";
    m_index = m_target = int(m_ladder.indexOf(bitrate));
    if (m_index < 0)
        return m_connection.close(net::ws::CloseCode::PolicyViolation,
                                  "bitrate not on the ladder (see hello.renditions)");
    m_feed = m_processor->opusFeed(bitrate);
    if (!m_feed || !m_endpoint.fanout->add(this, m_feed))
        return m_connection.close(kCloseOffline, "stream is offline");
    m_lastSwitchMs = monotonicMs();
    m_connection.setKernelSendBuffer(kKernelSendBufferBytes);
    m_visit.streamId = stream->streamId;
    m_visit.streamName = stream->name;
    m_visit.kind = streaming::ListenerKind::WebSocket;
    m_visit.connectedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_visit.userAgent =
        QString::fromUtf8(m_userAgent).left(streaming::ListenerRecord::maxUserAgentLength);
    m_visit.address = net::plainPeerAddress(m_connection.peerAddress());
    m_visit.rendition = QStringLiteral("opus%1").arg(bitrate / 1000);
    m_reported = false;
    m_membership = hub.roster().join(m_visit, QStringLiteral("opus"), m_endpoint.fanout);

    QJsonArray renditions;
    for (int i = 0; i < m_ladder.size(); ++i)
        renditions.append(
            QJsonObject{{QStringLiteral("index"), i}, {QStringLiteral("bitrate"), m_ladder[i]}});
    m_connection.sendText(json({{QStringLiteral("type"), QStringLiteral("hello")},
                                {QStringLiteral("stream"), name},
                                {QStringLiteral("codec"), QStringLiteral("opus")},
                                {QStringLiteral("sample_rate"), 48000},
                                {QStringLiteral("channels"), 2},
                                {QStringLiteral("renditions"), renditions},
                                {QStringLiteral("rendition"), m_index},
                                {QStringLiteral("adaptive"), m_adaptive},
                                {QStringLiteral("header_bytes"), PacketFanout::kHeaderBytes}}));
    qCDebug(lcListen).noquote() << "listener of" << name << "at" << bitrate << "from"
                                << m_connection.peerAddress();
}

void ListenSession::kick()
{
    m_endpoint.hub->metrics().listenersDropped.labels({QStringLiteral("kicked")}).inc();
    report(streaming::ListenerEndReason::Kicked);
    leave();
    m_connection.close(kCloseKicked, "disconnected by a moderator",
                       net::WebSocketConnection::CloseWait::No);
}

void ListenSession::leave()
{
    m_membership.leave();
    if (m_feed)
        m_endpoint.fanout->remove(this, std::exchange(m_feed, {}));
}

qint64 ListenSession::behindMs() const
{
    return m_connection.backlogBytes() * 8 * 1000 / std::max(1, bitrate());
}

bool ListenSession::degraded() const
{
    return m_index < m_target || behindMs() > kStepDownBehindMs;
}

bool ListenSession::measureQuality()
{
    const bool below = degraded();
    m_membership.setDegraded(below);
    return below;
}

std::shared_ptr<streaming::PacketFeed> ListenSession::deliver(const QByteArray &frames,
                                                              qint64 nowMs)
{
    if (!m_connection.isOpen())
        return nullptr;
    const qint64 behind = behindMs();
    if (m_connection.backlogBytes() > kDropBacklogBytes && (m_index == 0 || !m_adaptive)) {
        dropSlow();
        return nullptr;
    }
    m_connection.sendEncoded(frames, true);
    m_visit.bytes += frames.size();
    m_membership.addBytes(frames.size());
    if (!m_adaptive)
        return nullptr;
    if (behind > kStepDownBehindMs) {
        m_keptUpSinceMs = 0;
        if (m_index > 0 && nowMs - m_lastSwitchMs >= kSwitchCooldownMs) {
            m_pendingReason = "congestion";
            return m_processor->opusFeed(m_ladder[m_index - 1]);
        }
        return nullptr;
    }
    if (m_keptUpSinceMs == 0)
        m_keptUpSinceMs = nowMs;
    if (m_index < m_target && nowMs - m_keptUpSinceMs >= kStepUpAfterMs &&
        nowMs - m_lastSwitchMs >= kStepUpAfterMs) {
        m_pendingReason = "recovered";
        return m_processor->opusFeed(m_ladder[m_index + 1]);
    }
    return nullptr;
}

void ListenSession::moved(const std::shared_ptr<streaming::PacketFeed> &feed)
{
    const int before = m_index;
    m_feed = feed;
    m_index = feed->ladderIndex;
    m_membership.setRendition(QStringLiteral("opus%1").arg(bitrate() / 1000));
    m_lastSwitchMs = monotonicMs();
    m_keptUpSinceMs = 0;
    m_endpoint.metrics->switches
        .labels({m_index < before ? QStringLiteral("down") : QStringLiteral("up")})
        .inc();
    sendRendition(m_pendingReason ? m_pendingReason : "requested");
    m_pendingReason = nullptr;
}

void ListenSession::switchTo(int index, const char *reason)
{
    if (index == m_index || !m_feed)
        return;
    const std::shared_ptr<streaming::PacketFeed> next = m_processor->opusFeed(m_ladder[index]);
    if (!next)
        return;
    m_endpoint.fanout->remove(this, m_feed);
    m_feed.reset();
    if (!m_endpoint.fanout->add(this, next))
        return feedEnded();
    m_pendingReason = reason;
    moved(next);
}

void ListenSession::sendRendition(const char *reason)
{
    m_connection.sendText(json({{QStringLiteral("type"), QStringLiteral("rendition")},
                                {QStringLiteral("rendition"), m_index},
                                {QStringLiteral("bitrate"), bitrate()},
                                {QStringLiteral("reason"), QString::fromLatin1(reason)}}));
}

void ListenSession::feedEnded()
{
    report(streaming::ListenerEndReason::StreamEnded);
    m_feed.reset();
    m_connection.close(net::ws::CloseCode::GoingAway, "stream ended");
}

void ListenSession::sendError(QByteArrayView code, const QString &message)
{
    m_connection.sendText(json({{QStringLiteral("type"), QStringLiteral("error")},
                                {QStringLiteral("code"), QString::fromLatin1(code)},
                                {QStringLiteral("message"), message}}));
}

// {"type":"select","bitrate":64000} or {"type":"select","rendition":"auto"};
// {"type":"buffer","ms":N}; {"type":"ping"}.
void ListenSession::onText(QByteArrayView payload)
{
    const QJsonObject message = QJsonDocument::fromJson(payload.toByteArray()).object();
    const QString type = message.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("ping"))
        return m_connection.sendText(R"({"type":"pong"})");
    if (!m_feed)
        return;
    if (type == QLatin1String("select")) {
        if (message.value(QStringLiteral("rendition")).toString() == QLatin1String("auto")) {
            m_adaptive = true;
            m_target = int(m_ladder.indexOf(m_processor->defaultOpusBitrate()));
            return;
        }
        int bitrate = message.value(QStringLiteral("bitrate")).toInt();
        if (bitrate > 0 && bitrate < 1000)
            bitrate *= 1000;
        const int index = int(m_ladder.indexOf(bitrate));
        if (index < 0)
            return sendError("bad_request", QStringLiteral("bitrate not on the ladder"));
        m_adaptive = false;
        m_target = index;
        return switchTo(index, "requested");
    }
    if (type == QLatin1String("buffer")) {
        const int ms = message.value(QStringLiteral("ms")).toInt(-1);
        if (ms < 0)
            return sendError("bad_request", QStringLiteral("buffer needs ms >= 0"));
        const qint64 now = monotonicMs();
        if (m_adaptive && ms < kLowBufferMs && m_index > 0 &&
            now - m_lastSwitchMs >= kSwitchCooldownMs) {
            switchTo(m_index - 1, "buffer_low");
        }
        return;
    }
    sendError("bad_request", QStringLiteral("unknown type; expected select, buffer or ping"));
}

void ListenSession::onBinary(QByteArrayView)
{
    sendError("bad_request", QStringLiteral("a listener sends text messages only"));
}

void ListenSession::onTick(qint64 nowMs)
{
    Q_UNUSED(nowMs)
    // A listener whose stream went quiet (no packets, so no deliver()) but whose socket is
    // still backed up is caught here.
    if (m_feed && m_connection.backlogBytes() > kDropBacklogBytes)
        dropSlow();
}

} // namespace veza::endpoints
