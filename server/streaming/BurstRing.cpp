#include "streaming/BurstRing.h"

#include <algorithm>
#include <cstring>

namespace veza::streaming {

BurstRing::BurstRing(qsizetype capacity, bool chunked)
    : m_buffer(qMax<qsizetype>(capacity, 1), '\0')
    , m_chunked(chunked)
{
}

void BurstRing::clear()
{
    m_size = 0;
    m_chunkStarts.clear();
}

void BurstRing::append(QByteArrayView bytes)
{
    if (m_chunked && !bytes.isEmpty()) {
        m_chunkStarts.push_back(m_total);
        const qint64 oldest = m_total + bytes.size() - m_buffer.size();
        while (!m_chunkStarts.empty() && m_chunkStarts.front() < oldest)
            m_chunkStarts.pop_front();
    }
    m_total += bytes.size();
    const qsizetype capacity = m_buffer.size();
    if (bytes.size() >= capacity) { // only the newest `capacity` bytes matter
        bytes = bytes.last(capacity);
        std::memcpy(m_buffer.data(), bytes.data(), size_t(capacity));
        m_head = 0;
        m_size = capacity;
        return;
    }
    const qsizetype first = qMin(bytes.size(), capacity - m_head);
    std::memcpy(m_buffer.data() + m_head, bytes.data(), size_t(first));
    std::memcpy(m_buffer.data(), bytes.data() + first, size_t(bytes.size() - first));
    m_head = (m_head + bytes.size()) % capacity;
    m_size = qMin(capacity, m_size + bytes.size());
}

QByteArray BurstRing::tail(qsizetype n) const
{
    n = qBound<qsizetype>(0, n, m_size);
    if (m_chunked) {
        const qint64 wanted = m_total - n;
        const auto first = std::lower_bound(m_chunkStarts.begin(), m_chunkStarts.end(), wanted);
        n = first == m_chunkStarts.end() ? 0 : qsizetype(m_total - *first);
    }
    const qsizetype capacity = m_buffer.size();
    const qsizetype start = (m_head - n + capacity) % capacity;
    QByteArray out(n, Qt::Uninitialized);
    const qsizetype first = qMin(n, capacity - start);
    std::memcpy(out.data(), m_buffer.constData() + start, size_t(first));
    std::memcpy(out.data() + first, m_buffer.constData(), size_t(n - first));
    return out;
}

} // namespace veza::streaming
