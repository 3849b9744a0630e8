#pragma once

#include "streaming/StreamDirectory.h"

namespace veza::streaming {
class StreamHub;
}

namespace veza::cluster {

class StreamCensus;

// The streams API's view of live streams across the deployment: this instance's hub, with
// what the census says of the other instances merged in. A stream carried elsewhere shows as
// live; listeners are the deployment's (every instance's, less the relays between them, each
// of which is a listener of the source's instance). The live controls (cut, effects, kicks)
// still act on this instance's part. Any thread.
class ClusterStreamDirectory final : public streaming::StreamDirectory
{
public:
    ClusterStreamDirectory(streaming::StreamHub &hub, const StreamCensus &census);

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
    const StreamCensus &m_census;
};

} // namespace veza::cluster
