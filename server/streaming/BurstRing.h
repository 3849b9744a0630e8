#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace veza::streaming {

// The most recent bytes of a source, kept for burst-on-connect: a new listener starts with the
// last second or so of audio, so its player starts at once. Fixed capacity, allocated once;
// older bytes are overwritten. Not thread-safe (LiveStream guards it).
class BurstRing
{
public:
    explicit BurstRing(qsizetype capacity);

    void append(QByteArrayView bytes);
    // The last min(n, size()) bytes, oldest first.
    QByteArray tail(qsizetype n) const;
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return m_buffer.size(); }
    qint64 totalWritten() const { return m_total; }

private:
    QByteArray m_buffer;
    qsizetype m_head = 0; // where the next byte goes
    qsizetype m_size = 0;
    qint64 m_total = 0;
};

} // namespace veza::streaming
