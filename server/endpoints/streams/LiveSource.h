#pragma once

#include <QByteArray>
#include <QTimer>
#include <functional>
#include <memory>

namespace veza::streaming {
class LiveStream;
class StreamHub;
} // namespace veza::streaming

namespace veza::endpoints {

// A live source's audio on its way into its stream, whatever carries it (an Icecast source's
// HTTP body, a WebSocket broadcaster's binary frames): its first bytes settle the container
// (trusted over the announced Content-Type, with a warning when they disagree); then every byte
// is published to the mount and pushed into the audio pipeline; a source ahead of its audio is
// paced (its carrier stops reading until the pipeline catches up); a trailing flush sends listeners
// what a paused source left batched. The carrier decides what a verdict means on its wire (abort, a
// close code). Leaving starts the stream's grace period. Network thread.
class LiveSource
{
public:
    enum class Verdict {
        Fed,         // all is well
        StreamEnded, // the stream was deleted: the source must go
        Unusable,    // the pipeline refused the audio (garbage, undecodable, far too fast)
        Silent,      // nothing for kIdleTimeoutMs
        KeyRotated,  // authenticated with a stream key that was replaced since
        Cut,         // cut off by its owner, an admin or a moderator
    };
    static constexpr qint64 kIdleTimeoutMs = 30000;

    // `pauseReading(true)` stops the carrier reading, `(false)` resumes. `byKey`: the source
    // authenticated with the stream key, so a key rotation disconnects it (a token does not).
    LiveSource(streaming::StreamHub &hub, std::shared_ptr<streaming::LiveStream> stream, bool byKey,
               std::function<void(bool)> pauseReading);
    ~LiveSource();
    LiveSource(const LiveSource &) = delete;
    LiveSource &operator=(const LiveSource &) = delete;

    // The source is accepted; the pipeline learns of it with its first bytes.
    void start();
    Verdict feed(QByteArrayView bytes);
    // Once a second.
    Verdict check(qint64 nowMs);
    void setTitle(const QByteArray &title);
    // The source is gone (reading resumes, so its carrier can see a close through); idempotent.
    void leave();
    bool isLive() const { return m_stream != nullptr; }

private:
    Verdict refuse(Verdict verdict, const char *why);
    // KeyRotated or Cut when the source must go; Fed otherwise.
    Verdict revoked();
    // Holds the first bytes until they show the container, then tells the pipeline. False
    // while more are needed.
    bool settleContainer(QByteArray &bytes);

    streaming::StreamHub &m_hub;
    std::shared_ptr<streaming::LiveStream> m_stream;
    std::function<void(bool)> m_pauseReading;
    const bool m_byKey;
    const quint64 m_keyRotations; // the stream's count when this source was accepted
    const quint64 m_sourceCuts;   // likewise
    bool m_started = false;       // the pipeline knows of this source
    QByteArray m_head;            // the first bytes, until they show the container
    qint64 m_lastReceivedMs;
    QTimer m_trailingFlush; // sends listeners the tail publish() batches up when the source pauses
    QTimer m_resumeCheck;   // while paced: checks when to read again
};

} // namespace veza::endpoints
