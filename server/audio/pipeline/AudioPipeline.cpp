#include "audio/pipeline/AudioPipeline.h"

#include "MonotonicClock.h"
#include "audio/OpusPacketInfo.h"
#include "audio/input/AudioDecoder.h"
#include "audio/input/SourceBuffer.h"
#include "audio/input/SourceDemuxer.h"
#include "audio/input/SourceProblem.h"
#include "audio/pipeline/PipelineMetrics.h"
#include "audio/pipeline/Rendition.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <pthread.h>
#include <thread>

extern "C" {
#include <libavcodec/avcodec.h>
}

Q_LOGGING_CATEGORY(lcPipeline, "veza.audio.pipeline")

namespace veza::audio {
namespace {

using streaming::RenditionCodec;

constexpr qint64 kMsNs = 1000 * 1000;
// Audio this far behind real time is bridged with silence, in blocks of kGapBlockMs. Not
// less: sources send in bursts (ffmpeg's Ogg pages hold a second of audio each).
constexpr qint64 kGapNs = 1500 * kMsNs;
constexpr int kGapBlockMs = 100;
constexpr qint64 kGapBlockNs = kGapBlockMs * kMsNs;
// A source may run this far ahead of real time (players' bursts, network jitter); beyond, the
// pipeline stops reading it, its buffer fills and the source is dropped.
constexpr qint64 kMaxAheadNs = 2000 * kMsNs;
// Source bytes waiting for the pipeline beyond which the source is paced (not read).
constexpr qsizetype kPaceBytes = 64 * 1024;
// Decoder rejections in a row before a source counts as garbage.
constexpr int kMaxDecodeErrors = 50;
// Passed through when the source's bitrate is within this share of the rendition's.
constexpr double kBitrateTolerance = 0.20;
// The source's bitrate is measured over this much audio.
constexpr qint64 kBitrateWindowSamples = 2 * kSampleRate;

std::atomic<int> g_threads{0};
QMutex g_threadsMutex;
QWaitCondition g_threadsDone;

QString codecName(AudioCodec codec)
{
    switch (codec) {
    case AudioCodec::Opus:
        return QStringLiteral("opus");
    case AudioCodec::Vorbis:
        return QStringLiteral("vorbis");
    case AudioCodec::Mp3:
        return QStringLiteral("mp3");
    case AudioCodec::Aac:
        return QStringLiteral("aac");
    case AudioCodec::Other:
        break;
    }
    return QStringLiteral("other");
}

double oneDecimal(double value)
{
    return std::round(value * 10) / 10;
}

QJsonObject levelsJson(const AudioLevels &levels)
{
    QJsonArray channels;
    for (const ChannelLevels &channel : levels.channels)
        channels.append(QJsonObject{{QStringLiteral("peak_dbfs"), oneDecimal(channel.peakDbfs)},
                                    {QStringLiteral("rms_dbfs"), oneDecimal(channel.rmsDbfs)}});
    return {{QStringLiteral("peak_dbfs"), oneDecimal(levels.peakDbfs)},
            {QStringLiteral("rms_dbfs"), oneDecimal(levels.rmsDbfs)},
            {QStringLiteral("channels"), channels}};
}

QString modeName(Rendition::Mode mode)
{
    switch (mode) {
    case Rendition::Mode::Idle:
        return QStringLiteral("idle");
    case Rendition::Mode::Transcode:
        return QStringLiteral("transcode");
    case Rendition::Mode::Passthrough:
        return QStringLiteral("passthrough");
    }
    return {};
}

} // namespace

std::shared_ptr<AudioPipeline> AudioPipeline::start(const streaming::LiveStream &source,
                                                    const PipelineConfig &config,
                                                    PipelineMetrics &metrics,
                                                    QThreadPool &encodePool)
{
    std::shared_ptr<AudioPipeline> pipeline(new AudioPipeline(source, config, metrics, encodePool));
    g_threads.fetch_add(1);
    std::thread([pipeline] {
        pthread_setname_np(pthread_self(), "veza-audio");
        pipeline->run();
        QMutexLocker lock(&g_threadsMutex);
        if (g_threads.fetch_sub(1) == 1)
            g_threadsDone.wakeAll();
    }).detach();
    return pipeline;
}

bool AudioPipeline::waitForAll(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QMutexLocker lock(&g_threadsMutex);
    while (g_threads.load() > 0) {
        if (!g_threadsDone.wait(&g_threadsMutex, deadline))
            return false;
    }
    return true;
}

AudioPipeline::AudioPipeline(const streaming::LiveStream &source, const PipelineConfig &config,
                             PipelineMetrics &metrics, QThreadPool &encodePool)
    : m_name(source.name)
    , m_config(config)
    , m_metrics(metrics)
{
    auto add = [&](RenditionCodec codec, int bitrate, int ladderIndex) {
        m_renditions.push_back(std::make_unique<Rendition>(
            codec, bitrate, ladderIndex, source, encodePool, metrics, config.opusComplexity));
    };
    if (config.opus) {
        for (int i = 0; i < config.opusBitrates.size(); ++i)
            add(RenditionCodec::Opus, config.opusBitrates[i], i);
    }
    if (config.mp3)
        add(RenditionCodec::Mp3, config.defaultBitrate, -1);
    if (config.aac)
        add(RenditionCodec::Aac, config.defaultBitrate, -1);
}

AudioPipeline::~AudioPipeline() = default;

// ---- the source's network thread ----

void AudioPipeline::sourceStarted(const streaming::SourceMeta &meta)
{
    for (const auto &rendition : m_renditions)
        rendition->setSourceMeta(meta);
    auto buffer = std::make_shared<SourceBuffer>();
    QMutexLocker lock(&m_mutex);
    if (m_feed)
        m_feed->close();
    m_feed = buffer;
    m_feedRefused = false;
    m_inputs.push_back({buffer, meta.contentType});
    m_wake.wakeAll();
}

bool AudioPipeline::push(QByteArrayView bytes)
{
    QMutexLocker lock(&m_mutex);
    if (!m_feed)
        return false;
    // Full: the pipeline does not keep up with this source (faster than real time, or
    // unreadable and already abandoned).
    return m_feed->push(bytes, monotonicNs());
}

bool AudioPipeline::inputBacklogged() const
{
    QMutexLocker lock(&m_mutex);
    return m_feed && m_feed->buffered() > kPaceBytes;
}

bool AudioPipeline::sourceRefused() const
{
    QMutexLocker lock(&m_mutex);
    return m_feedRefused;
}

void AudioPipeline::sourceStopped()
{
    QMutexLocker lock(&m_mutex);
    if (m_feed)
        m_feed->close(); // what it sent is still played out
    m_feed.reset();
}

void AudioPipeline::end()
{
    {
        QMutexLocker lock(&m_mutex);
        m_ended = true;
        if (m_reading)
            m_reading->abort();
        if (m_feed)
            m_feed->abort();
        m_wake.wakeAll();
    }
    for (const auto &rendition : m_renditions)
        rendition->end();
}

// ---- any thread ----

bool AudioPipeline::drained() const
{
    {
        QMutexLocker lock(&m_mutex);
        if (m_ended)
            return true;
        // A source connected, or the audio of one that left still being read.
        if (m_feed || m_reading || !m_inputs.empty())
            return false;
    }
    return std::all_of(m_renditions.begin(), m_renditions.end(),
                       [](const auto &rendition) { return rendition->encoderIdle(); });
}

int AudioPipeline::defaultOpusBitrate() const
{
    int best = 0; // the rung nearest DEFAULT_BITRATE
    for (const int rung : m_config.opusBitrates) {
        if (best == 0 ||
            std::abs(rung - m_config.defaultBitrate) < std::abs(best - m_config.defaultBitrate))
            best = rung;
    }
    return best;
}

std::shared_ptr<streaming::PacketFeed> AudioPipeline::opusFeed(int bitrate)
{
    for (const auto &rendition : m_renditions) {
        if (rendition->codec == RenditionCodec::Opus && rendition->bitrate == bitrate)
            return rendition->feed();
    }
    return nullptr;
}

std::shared_ptr<streaming::LiveStream> AudioPipeline::rendition(RenditionCodec codec, int bitrate)
{
    if (bitrate == 0 && codec == RenditionCodec::Opus)
        bitrate = defaultOpusBitrate();
    for (const auto &rendition : m_renditions) {
        if (rendition->codec == codec && (bitrate == 0 || rendition->bitrate == bitrate))
            return rendition->output();
    }
    return nullptr;
}

QList<int> AudioPipeline::opusLadder() const
{
    return m_config.opus ? m_config.opusBitrates : QList<int>();
}

int AudioPipeline::listeners() const
{
    int total = 0;
    for (const auto &rendition : m_renditions)
        total += rendition->listeners();
    return total;
}

void AudioPipeline::setTitle(const QByteArray &title)
{
    for (const auto &rendition : m_renditions)
        rendition->setTitle(title);
}

QJsonObject AudioPipeline::stats() const
{
    Format format;
    QString problem;
    {
        QMutexLocker lock(&m_mutex);
        format = m_format;
        problem = m_lastProblem;
    }
    QJsonArray renditions;
    for (const auto &rendition : m_renditions) {
        renditions.append(QJsonObject{{QStringLiteral("name"), rendition->name},
                                      {QStringLiteral("bitrate"), rendition->bitrate},
                                      {QStringLiteral("listeners"), rendition->listeners()},
                                      {QStringLiteral("mode"), modeName(rendition->mode())}});
    }
    const double lufs = m_effects.inputShortTermLufs();
    return {
        {QStringLiteral("input"),
         QJsonObject{{QStringLiteral("codec"), format.codec},
                     {QStringLiteral("content_type"), QString::fromUtf8(format.contentType)},
                     {QStringLiteral("sample_rate"), format.sampleRate},
                     {QStringLiteral("channels"), format.channels},
                     {QStringLiteral("bitrate_bps"), double(format.bitrate)}}},
        {QStringLiteral("levels"),
         QJsonObject{{QStringLiteral("input"), levelsJson(m_effects.inputLevels())},
                     {QStringLiteral("output"), levelsJson(m_effects.outputLevels())},
                     {QStringLiteral("loudness_lufs"), std::round(lufs * 10) / 10}}},
        {QStringLiteral("renditions"), renditions},
        {QStringLiteral("silence_filled_s"), double(m_silenceBlocks.load()) * kGapBlockMs / 1000},
        {QStringLiteral("decode_errors"), double(m_decodeErrors.load())},
        {QStringLiteral("last_problem"), problem},
    };
}

QJsonObject AudioPipeline::effects() const
{
    return m_effects.settings().toJson();
}

std::optional<QJsonObject> AudioPipeline::patchEffects(const QJsonObject &patch, QString *error)
{
    QMutexLocker lock(&m_effectsMutex);
    const std::optional<EffectSettings> merged =
        EffectSettings::merged(m_effects.settings(), patch, error);
    if (!merged)
        return std::nullopt;
    m_effects.setSettings(*merged);
    qCInfo(lcPipeline).noquote() << "effects of" << m_name << "now"
                                 << QJsonDocument(merged->toJson()).toJson(QJsonDocument::Compact);
    return merged->toJson();
}

// ---- the pipeline thread ----

void AudioPipeline::run()
{
    for (;;) {
        Input input;
        {
            QMutexLocker lock(&m_mutex);
            if (m_inputs.empty() && !m_ended)
                m_wake.wait(&m_mutex, kGapBlockMs);
            if (m_ended)
                break;
            if (!m_inputs.empty()) {
                input = std::move(m_inputs.front());
                m_inputs.pop_front();
                m_reading = input.buffer;
            }
        }
        if (input.buffer) {
            runSource(input);
            QMutexLocker lock(&m_mutex);
            m_reading.reset();
        } else {
            bridgeGap(); // between sources, within the grace period
        }
    }
}

void AudioPipeline::runSource(const Input &input)
{
    SourceDemuxer demuxer(*input.buffer, input.contentType, [this] { bridgeGap(); });
    QString error;
    if (!demuxer.open(&error))
        return fail(error, metricLabel(demuxer.problem()));
    AudioDecoder decoder(demuxer.parameters());
    if (!decoder.isValid())
        return fail(decoder.error(), metricLabel(decoder.problem()));
    const SourceFormat &format = demuxer.format();
    m_sourceCodec = int(format.codec);
    m_sourceAacLc = demuxer.parameters()->profile == FF_PROFILE_AAC_LOW;
    m_bitrateWindow.clear();
    m_windowBytes = m_windowSamples = m_measuredBitrate = 0;
    {
        QMutexLocker lock(&m_mutex);
        m_format = {codecName(format.codec), input.contentType, format.sampleRate, format.channels,
                    format.bitRate};
    }
    qCInfo(lcPipeline).noquote() << "source of" << m_name << "is" << codecName(format.codec)
                                 << format.sampleRate << "Hz" << format.channels << "ch";
    if (!format.ignoredStreams.isEmpty())
        qCInfo(lcPipeline).noquote()
            << "source of" << m_name
            << "also sends, ignored:" << format.ignoredStreams.join(QStringLiteral(", "));
    DemuxedPacket packet;
    for (;;) {
        const SourceDemuxer::Result result = demuxer.read(&packet, &error);
        if (result == SourceDemuxer::Result::End)
            break;
        if (result == SourceDemuxer::Result::Error) {
            QMutexLocker lock(&m_mutex);
            if (m_ended)
                break;
            lock.unlock();
            return fail(error, metricLabel(demuxer.problem()));
        }
        if (!handlePacket(demuxer, decoder, packet))
            return;
        pace();
    }
    m_sourceFlowing = false;
    qCInfo(lcPipeline).noquote() << "source of" << m_name << "ended";
}

bool AudioPipeline::handlePacket(SourceDemuxer &demuxer, AudioDecoder &decoder,
                                 DemuxedPacket &packet)
{
    // An Opus packet says its own duration (its TOC, as the decoder reads it); the container's
    // may be anything. The Ogg pages of a pass-through rendition are cut by it.
    if (demuxer.format().codec == AudioCodec::Opus)
        packet.durationSamples = opusPacketSamples(packet.data);
    m_sourceFlowing = true;

    PcmBlock block;
    QString error;
    if (!decoder.decode(packet, &block, &error)) {
        if (!decoder.isValid()) { // audio beyond the limits
            fail(error, metricLabel(decoder.problem()));
            return false;
        }
        m_decodeErrors.fetch_add(1, std::memory_order_relaxed);
        if (decoder.consecutiveErrors() >= kMaxDecodeErrors) {
            fail(QStringLiteral("%1 undecodable packets in a row: %2")
                     .arg(decoder.consecutiveErrors())
                     .arg(error),
                 metricLabel(SourceProblem::Corrupt));
            return false;
        }
        return true;
    }
    measureSourceBitrate(packet.data.size(), block.frames());
    // The audio clock: real time of the end of the audio sent so far, by the decoded samples
    // (container durations may be missing, or lie). Audio after a long gap restarts it.
    const qint64 now = monotonicNs();
    if (m_audioClockNs < now - 2 * kGapNs)
        m_audioClockNs = now;
    m_audioClockNs += qint64(block.frames()) * 1000000000 / kSampleRate;
    updateRenditions(true);
    // The source's own packet, for renditions that pass it through: an MP3 frame, an Opus
    // packet, or an AAC frame with its ADTS header (AAC only comes as ADTS, whose demuxer keeps
    // each frame's header).
    const EncodedPacket passed{packet.data, packet.durationSamples, packet.captureNs};
    for (const auto &rendition : m_renditions)
        rendition->pass(passed);
    if (block.frames() > 0)
        deliver(block);
    return true;
}

void AudioPipeline::deliver(PcmBlock &block)
{
    m_effects.process(block);
    m_history.push_back(block);
    m_historyFrames += block.frames();
    while (m_historyFrames - m_history.front().frames() >= kSampleRate) {
        m_historyFrames -= m_history.front().frames();
        m_history.pop_front();
    }
    for (const auto &rendition : m_renditions)
        rendition->encode(block);
}

// Called every 100 ms while the source sends nothing (from the demuxer's wait) or is gone:
// once the audio is kGapNs behind real time, silence keeps the listeners' players going.
void AudioPipeline::bridgeGap()
{
    const qint64 now = monotonicNs();
    // A listener who just arrived gets its rendition (and its burst) now, not when the next
    // source bytes come (an Ogg source may send a page a second).
    updateRenditions(m_sourceFlowing);
    if (m_audioClockNs == 0 || now - m_audioClockNs < kGapNs)
        return; // nothing played yet, or a pause players ride out
    m_sourceFlowing = false;
    updateRenditions(false);
    while (now - m_audioClockNs >= kGapNs) {
        PcmBlock silence;
        silence.samples.assign(size_t(kSampleRate / 1000 * kGapBlockMs * kChannels), 0.0f);
        silence.captureNs = now;
        m_audioClockNs += kGapBlockNs;
        m_silenceBlocks.fetch_add(1, std::memory_order_relaxed);
        m_metrics.silenceFilled.inc(kGapBlockMs / 1000.0);
        deliver(silence);
    }
}

void AudioPipeline::updateRenditions(bool sourceFlowing)
{
    m_effectsActive = m_effects.settings().active();
    for (const auto &rendition : m_renditions)
        rendition->update(sourceFlowing && canPassThrough(*rendition), m_history);
}

bool AudioPipeline::canPassThrough(const Rendition &rendition) const
{
    if (m_effectsActive || m_measuredBitrate <= 0)
        return false;
    const bool sameCodec =
        (rendition.codec == RenditionCodec::Opus && m_sourceCodec == int(AudioCodec::Opus)) ||
        (rendition.codec == RenditionCodec::Mp3 && m_sourceCodec == int(AudioCodec::Mp3)) ||
        (rendition.codec == RenditionCodec::Aac && m_sourceCodec == int(AudioCodec::Aac) &&
         m_sourceAacLc);
    return sameCodec && std::abs(double(m_measuredBitrate) - rendition.bitrate) <=
                            kBitrateTolerance * rendition.bitrate;
}

void AudioPipeline::measureSourceBitrate(qsizetype bytes, int frames)
{
    m_bitrateWindow.emplace_back(bytes, frames);
    m_windowBytes += bytes;
    m_windowSamples += frames;
    while (m_windowSamples - m_bitrateWindow.front().second >= kBitrateWindowSamples) {
        m_windowBytes -= m_bitrateWindow.front().first;
        m_windowSamples -= m_bitrateWindow.front().second;
        m_bitrateWindow.pop_front();
    }
    // Judged once half the window is there: a second of audio.
    if (m_windowSamples < kBitrateWindowSamples / 2)
        return;
    m_measuredBitrate = m_windowBytes * 8 * kSampleRate / m_windowSamples;
    QMutexLocker lock(&m_mutex);
    m_format.bitrate = m_measuredBitrate;
}

void AudioPipeline::pace()
{
    // Faster than real time: wait (the buffer, then the socket, back up), never race ahead.
    // Timed by the audio clock, that is by the decoded samples.
    while (m_audioClockNs - monotonicNs() > kMaxAheadNs) {
        QMutexLocker lock(&m_mutex);
        if (m_ended)
            return;
        m_wake.wait(&m_mutex, 50);
    }
}

void AudioPipeline::fail(const QString &reason, const QString &label)
{
    qCWarning(lcPipeline).noquote() << "source of" << m_name << "dropped:" << reason;
    m_metrics.sourceFailures.labels({label}).inc();
    m_sourceFlowing = false;
    QMutexLocker lock(&m_mutex);
    m_lastProblem = reason;
    if (m_reading)
        m_reading->abort();
    if (m_feed && m_feed == m_reading) {
        m_feed.reset(); // push() now refuses: the network side drops the source
        m_feedRefused = true;
    }
}

} // namespace veza::audio
