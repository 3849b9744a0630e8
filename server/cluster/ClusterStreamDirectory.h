#pragma once

#include "streaming/StreamDirectory.h"

namespace veza::streaming {
class StreamHub;
}

namespace veza::cluster {

class ClusterStreams;
class StreamCensus;

// The streams API's view of live streams across the deployment: this instance's hub, with
// what the census says of the other instances merged in. A stream carried elsewhere shows as
// live; listeners are the deployment's (every instance's, less the relays between them, each
// of which is a listener of the source's instance). Ending a stream, cutting its source (and
// blocking its mount), a key rotation and a new description act here and are told to the
// other instances, so they reach the source wherever it is. The connected listeners listed and
// kicked are the deployment's (ListenerCensus: the others' follow within seconds of the first
// ask); effects are applied by the source's instance. Any thread.
class ClusterStreamDirectory final : public streaming::StreamDirectory
{
public:
    ClusterStreamDirectory(streaming::StreamHub &hub, ClusterStreams &streams);

    streaming::LiveStatus status(const QString &name) const override;
    void endLive(const QString &name) override;
    void keyRotated(const QString &name) override;
    void described(const QString &name, const streaming::StreamListing &listing) override;
    bool cutSource(const QString &name, qint64 blockMs) override;
    streaming::EffectsChange changeEffects(const QString &name, const QJsonObject &patch) override;
    QList<streaming::ListenerRoster::Listener> connectedListeners(qint64 streamId) const override;
    bool disconnectListener(qint64 streamId, qint64 listenerId) override;

private:
    streaming::StreamHub &m_hub;
    ClusterStreams &m_streams;
    const StreamCensus &m_census;
};

} // namespace veza::cluster
