#pragma once

#include "audio/AudioFormat.h"
#include "audio/pipeline/EncodeStrand.h"
#include "streaming/StreamProcessor.h"

#include <QMutex>
#include <QString>
#include <atomic>
#include <deque>
#include <memory>
#include <span>

namespace veza::streaming {
class LiveStream;
class PacketFeed;
struct SourceMeta;
} // namespace veza::streaming
namespace veza::metrics {
class Histogram;
}

namespace veza::audio {

class AvAudioEncoder;
class OggOpusMuxer;
class OpusFrameEncoder;
struct PipelineMetrics;

// One rung of a stream's output: a codec at a bitrate (Opus 64 kbit/s, MP3 at the default
// bitrate, ...), and the byte stream its HTTP listeners attach to. Encodes only while someone
// listens (lazy); passes the source's own packets through when the pipeline says they already
// match. Encoding runs on the shared encode pool, in order (EncodeStrand); everything else on
// the pipeline thread.
class Rendition
{
public:
    enum class Mode { Idle, Transcode, Passthrough };

    // `ladderIndex`: an Opus rendition's rung on the ladder (its WebSocket listeners' index).
    Rendition(streaming::RenditionCodec codec, int bitrate, int ladderIndex,
              const streaming::LiveStream &source, QThreadPool &pool, PipelineMetrics &metrics,
              int opusComplexity);
    ~Rendition();

    const streaming::RenditionCodec codec;
    const int bitrate;
    const QString name; // opus64, mp3, aac

    const std::shared_ptr<streaming::LiveStream> &output() const { return m_output; }
    // Opus only: the packets as they come, for WebSocket listeners (null otherwise).
    const std::shared_ptr<streaming::PacketFeed> &feed() const { return m_feed; }
    int listeners() const;
    Mode mode() const { return m_mode.load(std::memory_order_relaxed); }

    // Pipeline thread, once per block of audio: who listens now, and whether the source's
    // packets can be passed through. `history` (the last second of processed audio) primes a
    // rendition that just got its first listener, so it starts with a burst.
    void update(bool passthroughPossible, const std::deque<PcmBlock> &history);
    // Pipeline thread: in Transcode mode, queues the block for encoding.
    void encode(const PcmBlock &block);
    // Pipeline thread: in Passthrough mode, the source's packet as it is (MP3 frame, ADTS
    // frame, Opus packet).
    void pass(const EncodedPacket &packet);
    // Any thread: what a (re)connected source announced (icy-name, genre, ...), for listeners
    // who connect from now on.
    void setSourceMeta(const streaming::SourceMeta &meta);
    // Any thread: the title ICY listeners see.
    void setTitle(const QByteArray &title);
    // No audio waiting for the encoder (nothing queued or being encoded).
    bool encoderIdle() const { return m_strand.idle(); }
    // The stream ended: the packets gathered for the next Ogg page go out, then listeners are
    // closed once their queued bytes are sent.
    void end();

private:
    void encodeNow(const PcmBlock &block); // a strand job
    void resetEncoder();                   // a strand job
    void publish(std::span<const EncodedPacket> packets);

    PipelineMetrics &m_metrics;
    metrics::Histogram &m_encodeSeconds;
    const int m_opusComplexity;
    std::shared_ptr<streaming::LiveStream> m_output;
    std::shared_ptr<streaming::PacketFeed> m_feed;
    std::atomic<Mode> m_mode{Mode::Idle};
    int m_droppedBlocks = 0;

    QMutex m_muxMutex; // the muxer and the packets it gathers: strand jobs and pass()
    std::unique_ptr<OggOpusMuxer> m_muxer;
    std::vector<EncodedPacket> m_pagePackets; // Opus packets for the next Ogg page
    int m_pageSamples = 0;

    // Touched by strand jobs only.
    std::unique_ptr<OpusFrameEncoder> m_opus;
    std::unique_ptr<AvAudioEncoder> m_av;

    EncodeStrand m_strand; // last: destroyed first, so no job outlives the members above
};

} // namespace veza::audio
