#pragma once

#include "audio/AudioFormat.h"
#include "audio/effects/EffectsChain.h"
#include "streaming/LiveStream.h"
#include "streaming/StreamProcessor.h"

#include <QList>
#include <QMutex>
#include <QThreadPool>
#include <QWaitCondition>
#include <atomic>
#include <deque>
#include <memory>
#include <vector>

namespace veza::audio {

class AudioDecoder;
class Rendition;
class SourceBuffer;
class SourceDemuxer;
struct DemuxedPacket;
struct PipelineMetrics;

// What a stream's pipeline offers (from DEFAULT_BITRATE and CODECS_ENABLED).
struct PipelineConfig
{
    QList<int> opusBitrates{32000, 64000, 96000, 128000}; // the adaptive-bitrate ladder
    int defaultBitrate = 128000;                          // MP3, AAC, and the default Opus
    bool opus = true;
    bool mp3 = true;
    bool aac = true;
    int opusComplexity = 5;
};

// One live stream's audio: the source's bytes are demuxed and decoded (FFmpeg, from memory),
// measured, run through the effects chain and handed to the renditions, which encode on the
// shared pool while someone listens, or pass the source's packets through when codec and
// bitrate already match and no effect is active.
//
// Threads: demuxing, decoding and the effects run on the pipeline's own thread, which blocks
// on the source's bytes (one per live stream, idle between packets); encoding runs on the
// encode pool; the source's network thread only appends to a bounded buffer. A source that
// stalls or leaves is bridged with silence, one that sends faster than real time is paced
// (its buffer fills and the source is dropped), one that sends garbage is dropped with a log
// line naming the reason — other streams never notice.
class AudioPipeline final : public streaming::StreamProcessor,
                            public std::enable_shared_from_this<AudioPipeline>
{
public:
    static std::shared_ptr<AudioPipeline> start(const streaming::LiveStream &source,
                                                const PipelineConfig &config,
                                                PipelineMetrics &metrics, QThreadPool &encodePool);
    ~AudioPipeline() override;

    void sourceStarted(const streaming::SourceMeta &meta) override;
    bool push(QByteArrayView bytes) override;
    bool inputBacklogged() const override;
    void sourceStopped() override;
    bool sourceRefused() const override;
    void end() override;
    bool drained() const override;
    std::shared_ptr<streaming::LiveStream> rendition(streaming::RenditionCodec codec,
                                                     int bitrate) override;
    QList<int> opusLadder() const override;
    std::shared_ptr<streaming::PacketFeed> opusFeed(int bitrate) override;
    int defaultOpusBitrate() const override;
    int listeners() const override;
    void setTitle(const QByteArray &title) override;
    QJsonObject stats() const override;
    QJsonObject effects() const override;
    std::optional<QJsonObject> patchEffects(const QJsonObject &patch, QString *error) override;

    // Shutdown, after every stream ended: waits for the pipeline threads to exit.
    static bool waitForAll(int timeoutMs);

private:
    struct Input
    {
        std::shared_ptr<SourceBuffer> buffer;
        QByteArray contentType;
    };
    struct Format // what the current source sends, for stats()
    {
        QString codec;
        QByteArray contentType;
        int sampleRate = 0;
        int channels = 0;
        qint64 bitrate = 0; // declared or measured, bits/s
    };

    AudioPipeline(const streaming::LiveStream &source, const PipelineConfig &config,
                  PipelineMetrics &metrics, QThreadPool &encodePool);

    void run();
    void runSource(const Input &input);
    bool handlePacket(SourceDemuxer &demuxer, AudioDecoder &decoder, DemuxedPacket &packet);
    void deliver(PcmBlock &block);
    void bridgeGap();
    void updateRenditions(bool sourceFlowing);
    bool canPassThrough(const Rendition &rendition) const;
    void measureSourceBitrate(qsizetype bytes, int frames);
    void pace();
    void fail(const QString &reason, const QString &label);

    const QString m_name;
    const PipelineConfig m_config;
    PipelineMetrics &m_metrics;
    std::vector<std::unique_ptr<Rendition>> m_renditions;
    EffectsChain m_effects;
    QMutex m_effectsMutex; // serialises PATCHes

    // Shared with the network thread and end().
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Input> m_inputs;           // sources waiting for the pipeline thread
    std::shared_ptr<SourceBuffer> m_feed; // the buffer push() fills
    std::shared_ptr<SourceBuffer> m_reading;
    bool m_ended = false;
    bool m_feedRefused = false;
    Format m_format;
    QString m_lastProblem;

    // Pipeline thread only.
    std::deque<PcmBlock> m_history; // the last second of processed audio
    int m_historyFrames = 0;
    qint64 m_audioClockNs = 0; // monotonic time at which the audio sent so far ends
    bool m_sourceFlowing = false;
    bool m_effectsActive = false;
    int m_sourceCodec = -1; // AudioCodec of the current source
    // AAC-LC: the only AAC whose packets pass through with the ADTS header written here (HE-AAC
    // would need its SBR signalled; it is re-encoded instead).
    bool m_sourceAacLc = false;
    std::deque<std::pair<qint64, int>> m_bitrateWindow; // (bytes, decoded frames) of packets
    qint64 m_windowBytes = 0;
    qint64 m_windowSamples = 0;
    qint64 m_measuredBitrate = 0;

    std::atomic<qint64> m_silenceBlocks{0};
    std::atomic<qint64> m_decodeErrors{0};
};

} // namespace veza::audio
