#pragma once

#include "streaming/BurstRing.h"
#include "streaming/SinkCounts.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <atomic>
#include <memory>

namespace veza::streaming {

class LiveStream;
class StreamProcessor;

// What the source announced (Icecast headers), shown to listeners as icy-* headers.
struct SourceMeta
{
    QByteArray contentType; // audio/mpeg, audio/aac, audio/aacp
    QByteArray name;        // ice-name
    QByteArray description; // ice-description
    QByteArray genre;       // ice-genre
    QByteArray url;         // ice-url
    bool isPublic = false;  // ice-public
    // Pulled from the instance that holds the mount (cluster/): that instance records the
    // session and applies the stream's effects, this one only serves its own listeners.
    bool relayed = false;
};

// Where a stream's bytes go on one network thread (the net layer's ListenerFanout). Called with
// the stream's lock held, from the source's thread: it must only queue work for its own
// thread, never write to sockets or call back into the stream.
class StreamSink
{
public:
    virtual ~StreamSink() = default;
    // `endOffset`: the stream's byte count once `chunk` is included (listeners skip what their
    // burst already held).
    virtual void post(const std::shared_ptr<LiveStream> &stream, const QByteArray &chunk,
                      qint64 endOffset) = 0;
    // The stream ended: close its listeners.
    virtual void postEnd(const std::shared_ptr<LiveStream> &stream) = 0;
};

// One live mount, shared by the source's session, every listener session (on any network
// thread) and the StreamHub. Thread-safe: one short lock guards the burst ring, the sinks and
// the metadata; counters are atomics. publish() and attachListener() are atomic with respect
// to each other, so a listener gets every byte after its burst exactly once.
class LiveStream : public std::enable_shared_from_this<LiveStream>
{
public:
    enum class Attach { Attached, Full, Ended };
    struct Attachment
    {
        QByteArray header; // what every listener gets first (Ogg/Opus headers), maybe empty
        QByteArray burst;
        qint64 offset = 0; // the stream's byte count at the end of the burst
        SourceMeta meta;
    };

    // `chunked`: each publish() is a unit listeners must get whole (Ogg pages): bursts start
    // at one.
    LiveStream(qint64 streamId, QString name, qsizetype ringBytes, qint64 startedAtMs,
               bool chunked = false);

    const qint64 streamId;
    const QString name;
    const qint64 startedAtMs;

    // Source side, any thread.
    // False once the stream ended (the source should go).
    bool publish(QByteArrayView bytes);
    void setMeta(SourceMeta meta);
    SourceMeta meta() const;
    // The song on air (Icecast's metadata call, the ingest `metadata` frame), with when it
    // was set (ms since the epoch; 0: never).
    void setTitle(QByteArray title);
    QByteArray title() const;
    qint64 titleSetAtMs() const;
    // Bytes every new listener gets before its burst (a container's headers).
    void setHeader(QByteArray header);
    // The recent audio went stale (a rendition nobody listened to stopped being encoded): the
    // next listener gets no burst rather than old audio.
    void clearBurst();

    // The stream's audio processing, set once by the hub before the stream is shared.
    void setProcessor(std::shared_ptr<StreamProcessor> processor)
    {
        m_processor = std::move(processor);
    }
    const std::shared_ptr<StreamProcessor> &processor() const { return m_processor; }

    // Listener side, the listener's network thread. `burstBytes`: how much recent audio to
    // hand over (at most what the ring holds).
    Attach attachListener(StreamSink *sink, int maxListeners, qsizetype burstBytes,
                          Attachment *out);
    void detachListener(StreamSink *sink);
    void addBytesOut(qint64 bytes) { m_bytesOut.fetch_add(bytes, std::memory_order_relaxed); }

    // The stream's key was replaced: a source that authenticated with the old one must go (its
    // LiveSource compares the count it started with).
    void keyRotated() { m_keyRotations.fetch_add(1, std::memory_order_relaxed); }
    quint64 keyRotations() const { return m_keyRotations.load(std::memory_order_relaxed); }
    // The current source is cut off (an owner, admin or moderator said so), however it
    // authenticated; the stream keeps its grace period.
    void cutSource() { m_sourceCuts.fetch_add(1, std::memory_order_relaxed); }
    quint64 sourceCuts() const { return m_sourceCuts.load(std::memory_order_relaxed); }

    // Sends listeners what publish() is still holding back (the source paused or left).
    void flush();
    // Hub side: no listener is admitted after this; every sink is told.
    void end();

    // Listeners get the source's bytes in batches of up to this long (or this many bytes): a
    // source writes small frames (an MP3 frame is ~400 bytes, 38 a second), and each write to
    // a listener costs a system call and the kernel's TCP path (~10 µs on loopback, 95 % of
    // the network thread at 5,000 listeners). HTTP players buffer seconds and new listeners'
    // bursts come from the ring, which is always current, so half a second does not show;
    // 250 ms cost 0.47-0.53 x Icecast's CPU at 5,000 listeners, 500 ms about 0.3 x.
    // The low-latency path is /listen (PacketFanout), which does not batch. A listener that
    // joins with a short burst does not wait for the batch (m_listenerWaiting).
    static constexpr qint64 kBatchMs = 500;
    static constexpr qsizetype kBatchBytes = 32 * 1024;

    int listeners() const { return m_sinks.total(); }
    int peakListeners() const { return m_peak.load(std::memory_order_relaxed); }
    qint64 bytesIn() const { return m_bytesIn.load(std::memory_order_relaxed); }
    qint64 bytesOut() const { return m_bytesOut.load(std::memory_order_relaxed); }
    // The measured ingest bitrate (bits/s), 0 until measured (StreamHub, once a second).
    qint64 bitrate() const { return m_bitrate.load(std::memory_order_relaxed); }
    void setBitrate(qint64 bps) { m_bitrate.store(bps, std::memory_order_relaxed); }

private:
    void postPending(); // m_mutex held

    mutable QMutex m_mutex;
    BurstRing m_ring;
    SinkCounts<StreamSink> m_sinks;
    SourceMeta m_meta;
    QByteArray m_title;
    qint64 m_titleSetAtMs = 0;
    QByteArray m_header;
    std::shared_ptr<StreamProcessor> m_processor;
    bool m_ended = false;
    QByteArray m_pending;        // published, not yet posted to the sinks
    qint64 m_pendingSinceMs = 0; // monotonic time of its first byte
    // A listener joined with less burst than it asked for (a stream or rendition that just
    // started): the next bytes go out at once rather than a batch later, so it starts playing.
    bool m_listenerWaiting = false;
    std::atomic<int> m_peak{0};
    std::atomic<qint64> m_bytesIn{0};
    std::atomic<qint64> m_bytesOut{0};
    std::atomic<qint64> m_bitrate{0};
    std::atomic<quint64> m_keyRotations{0};
    std::atomic<quint64> m_sourceCuts{0};
};

} // namespace veza::streaming
