#include "audio/input/SourceBuffer.h"

#include <QDeadlineTimer>
#include <QMutexLocker>
#include <cstring>

namespace veza::audio {

SourceBuffer::SourceBuffer(qsizetype capacityBytes)
    : m_capacity(capacityBytes)
{
}

bool SourceBuffer::push(QByteArrayView bytes, qint64 arrivalNs)
{
    QMutexLocker lock(&m_mutex);
    if (m_closed || m_aborted || m_buffered + bytes.size() > m_capacity)
        return false;
    if (bytes.isEmpty())
        return true;
    m_chunks.push_back({bytes.toByteArray(), arrivalNs});
    m_buffered += bytes.size();
    m_readable.wakeAll();
    return true;
}

void SourceBuffer::close()
{
    QMutexLocker lock(&m_mutex);
    m_closed = true;
    m_readable.wakeAll();
}

void SourceBuffer::abort()
{
    QMutexLocker lock(&m_mutex);
    m_aborted = true;
    m_chunks.clear();
    m_frontOffset = 0;
    m_buffered = 0;
    m_readable.wakeAll();
}

SourceBuffer::ReadStatus SourceBuffer::read(uint8_t *dst, int maxBytes, int timeoutMs, int *got)
{
    Q_ASSERT(maxBytes > 0);
    *got = 0;
    QMutexLocker lock(&m_mutex);
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_aborted && m_buffered == 0 && !m_closed) {
        if (!m_readable.wait(&m_mutex, deadline))
            break;
    }
    if (m_aborted)
        return ReadStatus::Aborted;
    if (m_buffered == 0)
        return m_closed ? ReadStatus::End : ReadStatus::Timeout;

    int copied = 0;
    while (copied < maxBytes && !m_chunks.empty()) {
        Chunk &front = m_chunks.front();
        const qsizetype n = qMin<qsizetype>(maxBytes - copied, front.bytes.size() - m_frontOffset);
        std::memcpy(dst + copied, front.bytes.constData() + m_frontOffset, size_t(n));
        copied += int(n);
        m_frontOffset += n;
        m_lastReadArrivalNs = front.arrivalNs;
        if (m_frontOffset == front.bytes.size()) {
            m_chunks.pop_front();
            m_frontOffset = 0;
        }
    }
    m_buffered -= copied;
    *got = copied;
    return ReadStatus::Data;
}

qint64 SourceBuffer::lastReadArrivalNs() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastReadArrivalNs;
}

qsizetype SourceBuffer::buffered() const
{
    QMutexLocker lock(&m_mutex);
    return m_buffered;
}

} // namespace veza::audio
