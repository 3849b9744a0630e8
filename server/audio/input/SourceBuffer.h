#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QMutex>
#include <QWaitCondition>
#include <QtGlobal>
#include <cstdint>
#include <deque>

namespace veza::audio {

// The bytes a live source sent and the pipeline has not read yet. The network thread pushes
// (never blocks), the stream's pipeline thread reads (may block). Bounded: a reader that falls
// that far behind is not going to catch up, so push() refuses and the caller drops the source.
class SourceBuffer
{
public:
    explicit SourceBuffer(qsizetype capacityBytes = 1024 * 1024);
    SourceBuffer(const SourceBuffer &) = delete;
    SourceBuffer &operator=(const SourceBuffer &) = delete;

    // Network thread. False (nothing appended) when it would exceed the capacity, or after
    // close()/abort(). arrivalNs: when the bytes arrived (monotonicNs()).
    bool push(QByteArrayView bytes, qint64 arrivalNs);
    // The source ended: the reader drains what is left, then gets End.
    void close();
    // Shutdown / source dropped: a blocked reader returns at once with Aborted, and so does
    // every later read, whatever is still buffered.
    void abort();

    enum class ReadStatus { Data, End, Aborted, Timeout };
    // Reader thread: waits up to timeoutMs (negative: no limit) for bytes. Data: *got > 0 bytes
    // were copied into dst (at most maxBytes, which must be > 0); otherwise *got is 0.
    ReadStatus read(uint8_t *dst, int maxBytes, int timeoutMs, int *got);

    // Arrival time (monotonic ns) of the newest bytes read() has handed out so far; 0 before.
    qint64 lastReadArrivalNs() const;
    qsizetype buffered() const;

private:
    struct Chunk
    {
        QByteArray bytes;
        qint64 arrivalNs = 0;
    };

    const qsizetype m_capacity;
    mutable QMutex m_mutex;
    QWaitCondition m_readable;
    std::deque<Chunk> m_chunks;
    qsizetype m_frontOffset = 0; // bytes of m_chunks.front() already read
    qsizetype m_buffered = 0;
    qint64 m_lastReadArrivalNs = 0;
    bool m_closed = false;
    bool m_aborted = false;
};

} // namespace veza::audio
