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
    ++m_sinks[sink];
    m_listeners.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void PacketFeed::detach(PacketSink *sink)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_sinks.find(sink);
    if (it == m_sinks.end())
        return;
    if (--it.value() == 0)
        m_sinks.erase(it);
    m_listeners.fetch_sub(1, std::memory_order_relaxed);
}

void PacketFeed::publish(std::vector<FeedPacket> packets)
{
    QMutexLocker lock(&m_mutex);
    for (FeedPacket &packet : packets)
        packet.sequence = m_nextSequence++;
    if (m_ended || m_sinks.isEmpty() || packets.empty())
        return;
    const PacketBatch batch = std::make_shared<const std::vector<FeedPacket>>(std::move(packets));
    const std::shared_ptr<PacketFeed> self = shared_from_this();
    for (auto it = m_sinks.cbegin(); it != m_sinks.cend(); ++it)
        it.key()->post(self, batch);
}

void PacketFeed::end()
{
    QMutexLocker lock(&m_mutex);
    if (m_ended)
        return;
    m_ended = true;
    const std::shared_ptr<PacketFeed> self = shared_from_this();
    for (auto it = m_sinks.cbegin(); it != m_sinks.cend(); ++it)
        it.key()->postEnd(self);
}

} // namespace veza::streaming
