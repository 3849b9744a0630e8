#include "cluster/ClusterStreamDirectory.h"

#include "cluster/ClusterStreams.h"
#include "cluster/StreamCensus.h"
#include "streaming/LiveStream.h"
#include "streaming/StreamHub.h"

#include <algorithm>

namespace veza::cluster {

ClusterStreamDirectory::ClusterStreamDirectory(streaming::StreamHub &hub, ClusterStreams &streams)
    : m_hub(hub)
    , m_streams(streams)
    , m_census(streams.census())
{
}

streaming::LiveStatus ClusterStreamDirectory::status(const QString &name) const
{
    streaming::LiveStatus live = m_hub.status(name);
    const std::optional<StreamCensus::Elsewhere> elsewhere = m_census.elsewhere(name);
    if (!elsewhere)
        return live;
    const std::shared_ptr<streaming::LiveStream> here = m_hub.find(name);
    const bool relayHere = here && here->meta().relayed;
    if (!live.live) {
        if (!elsewhere->carried)
            return live; // only relays left, ending
        live.live = true;
        if (elsewhere->bitrateBps > 0)
            live.ingestBitrateBps = elsewhere->bitrateBps;
        live.startedAtMs = elsewhere->startedAtMs;
    } else if (relayHere && elsewhere->carried) {
        live.startedAtMs = elsewhere->startedAtMs; // the broadcast's, not the relay's
    }
    live.listeners = std::max(0, live.listeners + elsewhere->listeners - elsewhere->relays -
                                     (relayHere ? 1 : 0));
    return live;
}

void ClusterStreamDirectory::endLive(const QString &name)
{
    m_hub.endLive(name);
    m_streams.tellPeers({StreamControl::Kind::End, name, 0, {}, {}});
}

void ClusterStreamDirectory::keyRotated(const QString &name)
{
    m_hub.keyRotated(name);
    m_streams.tellPeers({StreamControl::Kind::KeyRotated, name, 0, {}, {}});
}

void ClusterStreamDirectory::described(const QString &name, const streaming::StreamListing &listing)
{
    m_hub.described(name, listing);
    m_streams.tellPeers({StreamControl::Kind::Described, name, 0, listing, {}});
}

bool ClusterStreamDirectory::cutSource(const QString &name, qint64 blockMs)
{
    // The block holds on every instance, so the source cannot come back through another.
    const bool here = m_hub.cutSource(name, blockMs);
    m_streams.tellPeers({StreamControl::Kind::Cut, name, blockMs, {}, {}});
    const std::optional<StreamCensus::Elsewhere> elsewhere = m_census.elsewhere(name);
    return here || (elsewhere && elsewhere->carried);
}

streaming::EffectsChange ClusterStreamDirectory::changeEffects(const QString &name,
                                                               const QJsonObject &patch)
{
    const std::shared_ptr<streaming::LiveStream> here = m_hub.find(name);
    if (here && !here->meta().relayed)
        return m_hub.changeEffects(name, patch);
    // The source's instance applies them (relays hear its processed audio, or its source's).
    const std::optional<StreamCensus::Elsewhere> elsewhere = m_census.elsewhere(name);
    if (!elsewhere || !elsewhere->carried)
        return m_hub.changeEffects(name, patch); // offline: the hub says so
    StreamControl change{StreamControl::Kind::Effects, name, 0, {}, {}};
    change.effects = patch;
    m_streams.tellPeers(change);
    return {200, {}, patch};
}

QList<streaming::ListenerRoster::Listener>
ClusterStreamDirectory::connectedListeners(qint64 streamId) const
{
    QList<streaming::ListenerRoster::Listener> listeners = m_hub.connectedListeners(streamId);
    listeners.removeIf(
        [this](const auto &listener) { return m_census.isRelay(listener.userAgent); });
    listeners += m_streams.listenersElsewhere(streamId);
    std::sort(listeners.begin(), listeners.end(),
              [](const auto &a, const auto &b) { return a.connectedAtMs < b.connectedAtMs; });
    return listeners;
}

bool ClusterStreamDirectory::disconnectListener(qint64 streamId, qint64 listenerId)
{
    if (m_hub.disconnectListener(streamId, listenerId))
        return true;
    // Listed by another instance a moment ago: that one ends it.
    const QList<streaming::ListenerRoster::Listener> elsewhere =
        m_streams.listenersElsewhere(streamId);
    if (std::none_of(elsewhere.cbegin(), elsewhere.cend(),
                     [listenerId](const auto &listener) { return listener.id == listenerId; }))
        return false;
    StreamControl kick{StreamControl::Kind::Kick, {}, 0, {}, {}};
    kick.streamId = streamId;
    kick.listenerId = listenerId;
    m_streams.tellPeers(kick);
    return true;
}

} // namespace veza::cluster
