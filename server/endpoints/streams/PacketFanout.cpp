#include "endpoints/streams/PacketFanout.h"

#include "MonotonicClock.h"
#include "endpoints/streams/ListenSession.h"
#include "endpoints/streams/StreamSocketMetrics.h"
#include "net/ws/FrameWriter.h"

#include <QTimer>
#include <QtEndian>
#include <algorithm>
#include <chrono>

namespace veza::endpoints {
namespace {

using streaming::PacketBatch;
using streaming::PacketFeed;

constexpr int kQualityIntervalMs = 1000;
constexpr quint8 kHeaderVersion = 1;

// Monotonic ns -> Unix time in µs (the header's capture time: a browser compares it with
// Date.now()).
qint64 unixMicros(qint64 monotonic)
{
    // Microsecond wall clock (QDateTime has milliseconds: a 1 ms bias against a 5 ms target).
    static const qint64 offsetUs = std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count() -
                                   veza::monotonicNs() / 1000;
    return monotonic / 1000 + offsetUs;
}

void appendPacketFrame(QByteArray &out, const PacketFeed &feed, const streaming::FeedPacket &packet)
{
    QByteArray payload(PacketFanout::kHeaderBytes + packet.data.size(), Qt::Uninitialized);
    uchar *header = reinterpret_cast<uchar *>(payload.data());
    header[0] = kHeaderVersion;
    header[1] = quint8(feed.ladderIndex);
    qToBigEndian<quint16>(0, header + 2); // reserved
    qToBigEndian<quint32>(packet.sequence, header + 4);
    qToBigEndian<qint64>(unixMicros(packet.captureNs), header + 8);
    std::copy(packet.data.cbegin(), packet.data.cend(),
              payload.begin() + PacketFanout::kHeaderBytes);
    net::ws::appendFrame(out, net::ws::Opcode::Binary, payload);
}

} // namespace

PacketFanout::PacketFanout(StreamSocketMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_qualityTimer(new QTimer(this))
{
    connect(m_qualityTimer, &QTimer::timeout, this, &PacketFanout::reportQuality);
    m_qualityTimer->start(kQualityIntervalMs);
}

PacketFanout::~PacketFanout()
{
    m_metrics.listeners.fetch_sub(m_reportedListeners, std::memory_order_relaxed);
    m_metrics.degraded.fetch_sub(m_reportedDegraded, std::memory_order_relaxed);
}

bool PacketFanout::add(ListenSession *listener, const std::shared_ptr<PacketFeed> &feed)
{
    if (!feed->attach(this))
        return false;
    m_listeners[feed.get()].push_back(listener);
    return true;
}

void PacketFanout::remove(ListenSession *listener, const std::shared_ptr<PacketFeed> &feed)
{
    auto it = m_listeners.find(feed.get());
    if (it == m_listeners.end())
        return;
    auto found = std::find(it->begin(), it->end(), listener);
    if (found == it->end())
        return;
    feed->detach(this);
    if (m_walking == feed.get())
        *found = nullptr; // compacted after the walk
    else {
        it->erase(found);
        if (it->empty())
            m_listeners.erase(it);
    }
}

void PacketFanout::post(const std::shared_ptr<PacketFeed> &feed, PacketBatch batch)
{
    QMutexLocker lock(&m_pendingMutex);
    m_pending.push_back({feed, std::move(batch)});
    if (std::exchange(m_scheduled, true))
        return;
    lock.unlock();
    QMetaObject::invokeMethod(this, &PacketFanout::deliverPending, Qt::QueuedConnection);
}

void PacketFanout::postEnd(const std::shared_ptr<PacketFeed> &feed)
{
    post(feed, nullptr);
}

void PacketFanout::disconnectListener(qint64 id)
{
    QMetaObject::invokeMethod(
        this, [this, id] { kick(id); }, Qt::QueuedConnection);
}

// Rare (a moderator's hand): a walk over this thread's listeners is cheap enough.
void PacketFanout::kick(qint64 rosterId)
{
    for (const List &list : std::as_const(m_listeners)) {
        for (ListenSession *listener : list) {
            if (listener && listener->rosterId() == rosterId)
                return listener->kick(); // removes it from `list`: stop walking
        }
    }
}

void PacketFanout::deliverPending()
{
    std::vector<Pending> pending;
    {
        QMutexLocker lock(&m_pendingMutex);
        pending.swap(m_pending);
        m_scheduled = false;
    }
    // Everything a feed posted since the last pass goes out as one write per listener.
    std::vector<std::shared_ptr<PacketFeed>> order;
    QHash<const PacketFeed *, std::vector<PacketBatch>> batches;
    std::vector<std::shared_ptr<PacketFeed>> ended;
    for (Pending &item : pending) {
        if (!item.batch) {
            ended.push_back(item.feed);
            continue;
        }
        std::vector<PacketBatch> &list = batches[item.feed.get()];
        if (list.empty())
            order.push_back(item.feed);
        list.push_back(std::move(item.batch));
    }
    for (const auto &feed : order)
        deliver(feed, batches.value(feed.get()));
    for (const auto &feed : ended)
        end(feed);
}

void PacketFanout::deliver(const std::shared_ptr<PacketFeed> &feed,
                           const std::vector<PacketBatch> &batches)
{
    const auto it = m_listeners.constFind(feed.get());
    if (it == m_listeners.cend())
        return;
    QByteArray frames;
    for (const PacketBatch &batch : batches) {
        for (const streaming::FeedPacket &packet : *batch)
            appendPacketFrame(frames, *feed, packet);
    }
    const qint64 nowMs = monotonicMs();
    std::vector<std::pair<ListenSession *, std::shared_ptr<PacketFeed>>> moves;
    m_walking = feed.get();
    const List &listeners = it.value();
    for (size_t i = 0; i < listeners.size(); ++i) {
        if (ListenSession *listener = listeners[i]) {
            if (std::shared_ptr<PacketFeed> next = listener->deliver(frames, nowMs))
                moves.emplace_back(listener, std::move(next));
        }
    }
    m_walking = nullptr;
    compact(feed.get());
    // Latency once the last listener's write is done: what the slowest of them waited.
    const qint64 now = monotonicNs();
    for (const PacketBatch &batch : batches) {
        for (const streaming::FeedPacket &packet : *batch)
            m_metrics.endToEndLatency.observe(double(now - packet.captureNs) / 1e9);
    }
    for (auto &[listener, next] : moves) {
        remove(listener, feed);
        if (add(listener, next))
            listener->moved(next);
        else
            listener->feedEnded();
    }
}

void PacketFanout::end(const std::shared_ptr<PacketFeed> &feed)
{
    const List listeners = m_listeners.take(feed.get());
    for (ListenSession *listener : listeners) {
        if (listener) {
            feed->detach(this);
            listener->feedEnded();
        }
    }
}

void PacketFanout::compact(const PacketFeed *feed)
{
    auto it = m_listeners.find(feed);
    if (it == m_listeners.end())
        return;
    it->erase(std::remove(it->begin(), it->end(), nullptr), it->end());
    if (it->empty())
        m_listeners.erase(it);
}

void PacketFanout::reportQuality()
{
    int listeners = 0;
    int degraded = 0;
    for (const List &list : std::as_const(m_listeners)) {
        for (ListenSession *listener : list) {
            if (!listener)
                continue;
            ++listeners;
            degraded += listener->measureQuality() ? 1 : 0;
        }
    }
    m_metrics.listeners.fetch_add(listeners - m_reportedListeners, std::memory_order_relaxed);
    m_metrics.degraded.fetch_add(degraded - m_reportedDegraded, std::memory_order_relaxed);
    m_reportedListeners = listeners;
    m_reportedDegraded = degraded;
}

} // namespace veza::endpoints
