#include "streaming/LiveStream.h"

#include "MonotonicClock.h"

#include <QDateTime>
#include <utility>

namespace veza::streaming {

LiveStream::LiveStream(qint64 streamId, QString name, qsizetype ringBytes, qint64 startedAtMs,
                       bool chunked)
    : streamId(streamId)
    , name(std::move(name))
    , startedAtMs(startedAtMs)
    , m_ring(ringBytes, chunked)
{
}

bool LiveStream::publish(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return true;
    const qint64 now = monotonicMs();
    QMutexLocker lock(&m_mutex);
    if (m_ended)
        return false;
    m_ring.append(bytes);
    m_bytesIn.fetch_add(bytes.size(), std::memory_order_relaxed);
    if (m_sinks.noSinks()) {
        m_pending.clear(); // nobody to send it to; the ring has it for the next burst
        return true;
    }
    if (m_pending.isEmpty())
        m_pendingSinceMs = now;
    m_pending.append(bytes.data(), bytes.size());
    if (m_pending.size() >= kBatchBytes || now - m_pendingSinceMs >= kBatchMs ||
        std::exchange(m_listenerWaiting, false))
        postPending();
    return true;
}

void LiveStream::flush()
{
    QMutexLocker lock(&m_mutex);
    postPending();
}

void LiveStream::postPending()
{
    if (m_pending.isEmpty())
        return;
    // One chunk shared by every sink's queued delivery; it ends where the ring ends.
    const QByteArray chunk = std::exchange(m_pending, {});
    const qint64 endOffset = m_ring.totalWritten();
    const std::shared_ptr<LiveStream> self = shared_from_this();
    m_sinks.forEachSink([&](StreamSink *sink) { sink->post(self, chunk, endOffset); });
}

void LiveStream::setMeta(SourceMeta meta)
{
    QMutexLocker lock(&m_mutex);
    m_meta = std::move(meta);
}

SourceMeta LiveStream::meta() const
{
    QMutexLocker lock(&m_mutex);
    return m_meta;
}

void LiveStream::setTitle(QByteArray title)
{
    QMutexLocker lock(&m_mutex);
    m_title = std::move(title);
    m_titleSetAtMs = QDateTime::currentMSecsSinceEpoch();
}

QByteArray LiveStream::title() const
{
    QMutexLocker lock(&m_mutex);
    return m_title;
}

qint64 LiveStream::titleSetAtMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_titleSetAtMs;
}

void LiveStream::setHeader(QByteArray header)
{
    QMutexLocker lock(&m_mutex);
    m_header = std::move(header);
}

void LiveStream::clearBurst()
{
    QMutexLocker lock(&m_mutex);
    m_ring.clear();
}

LiveStream::Attach LiveStream::attachListener(StreamSink *sink, int maxListeners,
                                              qsizetype burstBytes, Attachment *out)
{
    QMutexLocker lock(&m_mutex);
    if (m_ended)
        return Attach::Ended;
    if (m_sinks.total() >= maxListeners)
        return Attach::Full;
    const int now = m_sinks.add(sink);
    if (now > m_peak.load(std::memory_order_relaxed))
        m_peak.store(now, std::memory_order_relaxed);
    out->header = m_header;
    out->burst = m_ring.tail(burstBytes);
    if (out->burst.size() < burstBytes)
        m_listenerWaiting = true;
    out->offset = m_ring.totalWritten();
    out->meta = m_meta;
    return Attach::Attached;
}

void LiveStream::detachListener(StreamSink *sink)
{
    QMutexLocker lock(&m_mutex);
    m_sinks.remove(sink);
}

void LiveStream::end()
{
    QMutexLocker lock(&m_mutex);
    if (m_ended)
        return;
    m_ended = true;
    postPending();
    const std::shared_ptr<LiveStream> self = shared_from_this();
    m_sinks.forEachSink([&](StreamSink *sink) { sink->postEnd(self); });
}

} // namespace veza::streaming
