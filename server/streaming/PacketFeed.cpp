#include "streaming/PacketFeed.h"

#include <utility>

namespace veza::streaming {

PacketFeed::PacketFeed(QString streamName, int bitrate, int ladderIndex)
    : streamName(std::move(streamName))
    , bitrate(bitrate)
    , ladderIndex(ladderIndex)
{
}

bool PacketFeed::attach(PacketSink *sink)
{
    QMutexLocker lock(&m_mutex);
    if (m_ended)
        return false;
    m_sinks.add(sink);
    return true;
}

void PacketFeed::detach(PacketSink *sink)
{
    QMutexLocker lock(&m_mutex);
    m_sinks.remove(sink);
}

void PacketFeed::publish(std::vector<FeedPacket> packets)
{
    QMutexLocker lock(&m_mutex);
    for (FeedPacket &packet : packets)
        packet.sequence = m_nextSequence++;
    if (m_ended || m_sinks.noSinks() || packets.empty())
        return;
    const PacketBatch batch = std::make_shared<const std::vector<FeedPacket>>(std::move(packets));
    const std::shared_ptr<PacketFeed> self = shared_from_this();
    m_sinks.forEachSink([&](PacketSink *sink) { sink->post(self, batch); });
}

void PacketFeed::end()
{
    QMutexLocker lock(&m_mutex);
    if (m_ended)
        return;
    m_ended = true;
    const std::shared_ptr<PacketFeed> self = shared_from_this();
    m_sinks.forEachSink([&](PacketSink *sink) { sink->postEnd(self); });
}

} // namespace veza::streaming
