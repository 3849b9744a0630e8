#include "PcmQueue.h"

#include <QMutexLocker>
#include <cstring>

namespace veza::console {

PcmQueue::PcmQueue(qint64 maxBytes, QObject *parent)
    : QIODevice(parent)
    , m_maxBytes(maxBytes)
{
}

void PcmQueue::append(const char *data, qint64 size)
{
    const QMutexLocker lock(&m_mutex);
    m_bytes.append(data, size);
    const qint64 excess = m_bytes.size() - m_head - m_maxBytes;
    if (excess > 0) {
        // Whole frames of four bytes (16-bit stereo), so the channels stay in place.
        const qint64 drop = excess + (4 - excess % 4) % 4;
        m_head += drop;
        m_dropped += drop;
    }
    compact();
}

// Reads move a head instead of the bytes; the bytes move once the head passed half of them.
void PcmQueue::compact()
{
    if (m_head > 0 && m_head >= m_bytes.size() / 2) {
        m_bytes.remove(0, m_head);
        m_head = 0;
    }
}

qint64 PcmQueue::queuedBytes() const
{
    const QMutexLocker lock(&m_mutex);
    return m_bytes.size() - m_head;
}

qint64 PcmQueue::droppedBytes() const
{
    const QMutexLocker lock(&m_mutex);
    return m_dropped;
}

void PcmQueue::clear()
{
    const QMutexLocker lock(&m_mutex);
    m_bytes.clear();
    m_head = 0;
}

qint64 PcmQueue::bytesAvailable() const
{
    return queuedBytes() + QIODevice::bytesAvailable();
}

qint64 PcmQueue::readData(char *data, qint64 maxSize)
{
    const QMutexLocker lock(&m_mutex);
    const qint64 size = std::min<qint64>(maxSize, m_bytes.size() - m_head);
    std::memcpy(data, m_bytes.constData() + m_head, size_t(size));
    m_head += size;
    compact();
    return size;
}

qint64 PcmQueue::writeData(const char *, qint64)
{
    return -1; // append() feeds it
}

} // namespace veza::console
