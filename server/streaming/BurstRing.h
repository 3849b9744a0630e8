#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <deque>

namespace veza::streaming {

// The most recent bytes of a source, kept for burst-on-connect: a new listener starts with the
// last second or so of audio, so its player starts at once. Fixed capacity, allocated once;
// older bytes are overwritten. Not thread-safe (LiveStream guards it).
class BurstRing
{
public:
    // `chunked`: every append() is a unit a listener must get whole (an Ogg page), so tail()
    // starts at the first chunk that fits instead of cutting one.
    explicit BurstRing(qsizetype capacity, bool chunked = false);

    void append(QByteArrayView bytes);
    // The last min(n, size()) bytes, oldest first (chunked: from a chunk's start, so maybe
    // fewer).
    QByteArray tail(qsizetype n) const;
    // Forgets the content (it went stale); totalWritten() stays.
    void clear();
    qsizetype size() const { return m_size; }
    qsizetype capacity() const { return m_buffer.size(); }
    qint64 totalWritten() const { return m_total; }

private:
    QByteArray m_buffer;
    qsizetype m_head = 0; // where the next byte goes
    qsizetype m_size = 0;
    qint64 m_total = 0;
    bool m_chunked;
    std::deque<qint64> m_chunkStarts; // chunked only: stream offsets of chunks still held
};

} // namespace veza::streaming
