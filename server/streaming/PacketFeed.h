#pragma once

#include "streaming/SinkCounts.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

namespace veza::streaming {

class PacketFeed;

// One Opus packet for low-latency listeners, numbered within its rendition.
struct FeedPacket
{
    QByteArray data;
    qint64 captureNs = 0; // when its audio reached the server (monotonic ns)
    quint32 sequence = 0; // +1 per packet of this rendition
};
using PacketBatch = std::shared_ptr<const std::vector<FeedPacket>>;

// Where a rendition's packets go on one network thread (the net layer's PacketFanout). Called
// with the feed's lock held, from an encoder or pipeline thread: it must only queue work for
// its own thread.
class PacketSink
{
public:
    virtual ~PacketSink() = default;
    virtual void post(const std::shared_ptr<PacketFeed> &feed, PacketBatch batch) = 0;
    virtual void postEnd(const std::shared_ptr<PacketFeed> &feed) = 0;
};

// One Opus rendition's packets, as they are encoded (or passed through): the feed of the
// WebSocket listeners of /listen/{name}. Packets are not batched here (latency matters); each
// network thread coalesces what arrives between two of its passes. Thread-safe.
class PacketFeed : public std::enable_shared_from_this<PacketFeed>
{
public:
    PacketFeed(QString streamName, int bitrate, int ladderIndex);

    const QString streamName;
    const int bitrate;
    const int ladderIndex; // this rendition's place in the Opus ladder (0: lowest)

    // Listener side, its network thread. False once the feed ended.
    bool attach(PacketSink *sink);
    void detach(PacketSink *sink);
    int listeners() const { return m_sinks.total(); }

    // Encoder side: numbers the packets and hands them to every sink with listeners.
    void publish(std::vector<FeedPacket> packets);
    void end();

private:
    mutable QMutex m_mutex;
    SinkCounts<PacketSink> m_sinks;
    quint32 m_nextSequence = 0;
    bool m_ended = false;
};

} // namespace veza::streaming
