#pragma once

#include "net/WebSocketSession.h"
#include "streaming/ListenerLog.h"
#include "streaming/ListenerRoster.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <memory>

namespace veza::net::ws {
struct UpgradeRequest;
}
namespace veza::streaming {
class PacketFeed;
class StreamProcessor;
} // namespace veza::streaming

namespace veza::net {
class WebSocketConnection;
}

namespace veza::endpoints {

struct StreamSocketEndpoint;

// A low-latency listener on /listen/{name} (docs/protocol.md): a JSON `hello`, then one binary
// frame per Opus packet of its rendition. With adaptive bitrate, the listener moves down the
// ladder when its socket backs up (its network is slower than the rendition) and back up once
// it has kept up for a while; the client may pick a rendition or report its buffer. A listener
// too slow even for the lowest rung is closed with 1013, so it never grows server memory.
// Network thread; owned by its connection.
class ListenSession final : public net::WebSocketSession
{
public:
    ListenSession(net::WebSocketConnection &connection, const StreamSocketEndpoint &endpoint,
                  QString name, const net::ws::UpgradeRequest &request);
    ~ListenSession() override;

    void onText(QByteArrayView payload) override;
    void onBinary(QByteArrayView payload) override;
    void onTick(qint64 nowMs) override;

    // From the fanout: the frames of the packets since its last pass. Returns the feed to
    // move this listener to (a rung down or up), or null to stay.
    std::shared_ptr<streaming::PacketFeed> deliver(const QByteArray &frames, qint64 nowMs);
    // The fanout moved this listener to `feed` (which deliver() asked for).
    void moved(const std::shared_ptr<streaming::PacketFeed> &feed);
    // The rendition's feed ended: the stream is over.
    void feedEnded();
    // Below the rendition it asked for, or more than half a second behind.
    bool degraded() const;
    // degraded(), also told to the roster, whose per-stream share /monitor shows.
    bool measureQuality();
    // Its stream's owner, an admin or a moderator disconnected it (4403).
    void kick();
    qint64 rosterId() const { return m_membership.id(); }

    // Backlog at which a listener steps down, and at which one on the lowest rung (or not
    // adaptive) is dropped: 64 s of audio at 32 kbit/s, 16 s at 128.
    static constexpr qint64 kStepDownBehindMs = 500;
    static constexpr qsizetype kDropBacklogBytes = 256 * 1024;
    // A listener that kept up this long steps back up; at most one step per cooldown.
    static constexpr qint64 kStepUpAfterMs = 8000;
    static constexpr qint64 kSwitchCooldownMs = 2000;
    // The kernel's send buffer for a listener (Linux doubles it): about a second of audio at
    // 128 kbit/s, so a slow network shows as a backlog the adaptation sees at once.
    static constexpr int kKernelSendBufferBytes = 8 * 1024;

private:
    void start(const QString &name, const net::ws::UpgradeRequest &request);
    // Attaches to the stream live here (relayed or not).
    void begin(const QString &name);
    void switchTo(int index, const char *reason);
    void sendRendition(const char *reason);
    void sendError(QByteArrayView code, const QString &message);
    int bitrate() const { return m_ladder.value(m_index); }
    qint64 behindMs() const;
    void leave();
    // The visit's listener_sessions record, to the log (once; the first reason given wins).
    void report(streaming::ListenerEndReason reason);
    // Closes a listener that cannot keep up (1013), counted and recorded.
    void dropSlow();

    net::WebSocketConnection &m_connection;
    const StreamSocketEndpoint &m_endpoint;
    std::shared_ptr<streaming::StreamProcessor> m_processor;
    std::shared_ptr<streaming::PacketFeed> m_feed;
    QList<int> m_ladder; // bit/s, ascending
    int m_index = -1;    // the rung listened to now
    int m_target = -1;   // the rung asked for (explicitly, or the default)
    bool m_adaptive = false;
    const char *m_pendingReason = nullptr; // why the fanout is moving this listener
    qint64 m_lastSwitchMs = 0;
    qint64 m_keptUpSinceMs = 0; // 0: behind now
    streaming::ListenerRecord m_visit;
    bool m_reported = true; // until the listener is admitted
    streaming::ListenerRoster::Membership m_membership;
    QByteArray m_wantedBitrate;  // ?bitrate=
    QByteArray m_wantedAdaptive; // ?adaptive=
    QByteArray m_userAgent;
    std::unique_ptr<QObject> m_relayWait; // while a relay of the stream starts
};

} // namespace veza::endpoints
