#include "audio/pipeline/Rendition.h"

#include "MonotonicClock.h"
#include "audio/AvAudioEncoder.h"
#include "audio/OggOpusMuxer.h"
#include "audio/OpusFrameEncoder.h"
#include "audio/pipeline/PipelineMetrics.h"
#include "streaming/LiveStream.h"
#include "streaming/PacketFeed.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcRendition, "veza.audio.rendition")

namespace veza::audio {
namespace {

using streaming::RenditionCodec;

// Ogg pages gather this much audio: a page costs 27 bytes and more, which at 20 ms a page
// would be 11 kbit/s of overhead; HTTP listeners are batched by 250 ms anyway.
constexpr int kPageSamples = kSampleRate / 10;
// Two seconds of blocks waiting for a busy encode pool: past that the pool cannot keep up
// and blocks are dropped (counted) rather than memory grown.
constexpr qsizetype kMaxQueuedBlocks = 100;

QString renditionName(RenditionCodec codec, int bitrate)
{
    switch (codec) {
    case RenditionCodec::Opus:
        return QStringLiteral("opus%1").arg(bitrate / 1000);
    case RenditionCodec::Mp3:
        return QStringLiteral("mp3");
    case RenditionCodec::Aac:
        return QStringLiteral("aac");
    }
    return {};
}

QByteArray contentType(RenditionCodec codec)
{
    switch (codec) {
    case RenditionCodec::Opus:
        return "audio/ogg";
    case RenditionCodec::Mp3:
        return "audio/mpeg";
    case RenditionCodec::Aac:
        return "audio/aac";
    }
    return {};
}

} // namespace

Rendition::Rendition(RenditionCodec codec, int bitrate, int ladderIndex,
                     const streaming::LiveStream &source, QThreadPool &pool,
                     PipelineMetrics &metrics, int opusComplexity)
    : codec(codec)
    , bitrate(bitrate)
    , name(renditionName(codec, bitrate))
    , m_metrics(metrics)
    , m_encodeSeconds(metrics.encodeSeconds.labels({name}))
    , m_opusComplexity(opusComplexity)
    , m_strand(pool)
{
    const bool ogg = codec == RenditionCodec::Opus;
    // Chunked: a burst starts on a whole page or frame (each publish() is made of them), so a
    // new listener's decoder never sees half a frame first.
    m_output = std::make_shared<streaming::LiveStream>(source.streamId,
                                                       source.name + QLatin1Char('.') + name,
                                                       256 * 1024, source.startedAtMs, true);
    m_output->setBitrate(bitrate); // sizes the burst: about a second
    setSourceMeta(source.meta());
    if (ogg) {
        const OpusFrameEncoder probe(bitrate, opusComplexity);
        m_muxer =
            std::make_unique<OggOpusMuxer>(QRandomGenerator::global()->generate(), probe.preSkip());
        m_output->setHeader(m_muxer->headerPages());
        m_feed = std::make_shared<streaming::PacketFeed>(source.name, bitrate, ladderIndex);
    }
}

Rendition::~Rendition() = default;

int Rendition::listeners() const
{
    return m_output->listeners() + (m_feed ? m_feed->listeners() : 0);
}

void Rendition::update(bool passthroughPossible, const std::deque<PcmBlock> &history)
{
    const Mode before = mode();
    Mode now = Mode::Idle;
    if (listeners() > 0)
        now = passthroughPossible ? Mode::Passthrough : Mode::Transcode;
    if (now == before)
        return;
    m_mode.store(now, std::memory_order_relaxed);
    if (now == Mode::Idle) {
        // Nobody listens: stop encoding; what the ring holds goes stale.
        m_strand.post([this] { m_output->clearBurst(); });
        return;
    }
    if (now == Mode::Transcode) {
        m_strand.post([this] { resetEncoder(); });
        if (before == Mode::Idle) {
            for (const PcmBlock &block : history) // a second at once: the first burst
                encode(block);
        }
    }
}

void Rendition::encode(const PcmBlock &block)
{
    if (mode() != Mode::Transcode)
        return;
    if (m_strand.queued() >= kMaxQueuedBlocks) {
        if (m_droppedBlocks++ % 100 == 0)
            qCWarning(lcRendition).noquote()
                << m_output->name << "encoder behind: dropping audio blocks";
        m_metrics.encodeDrops.inc();
        return;
    }
    m_strand.post([this, block] { encodeNow(block); });
}

void Rendition::encodeNow(const PcmBlock &block)
{
    const qint64 started = monotonicNs();
    std::vector<EncodedPacket> packets;
    if (m_opus)
        packets = m_opus->encode(block);
    else if (m_av)
        packets = m_av->encode(block);
    m_encodeSeconds.observe(double(monotonicNs() - started) / 1e9);
    publish(packets);
}

void Rendition::resetEncoder()
{
    // A fresh encoder for each listening period: no state from audio long gone.
    if (codec == RenditionCodec::Opus) {
        m_opus = std::make_unique<OpusFrameEncoder>(bitrate, m_opusComplexity);
        if (!m_opus->isValid()) {
            qCWarning(lcRendition).noquote() << name << "encoder:" << m_opus->error();
            m_opus.reset();
        }
        return;
    }
    m_av = std::make_unique<AvAudioEncoder>(
        codec == RenditionCodec::Mp3 ? AvAudioEncoder::Codec::Mp3 : AvAudioEncoder::Codec::Aac,
        bitrate);
    if (!m_av->isValid()) {
        qCWarning(lcRendition).noquote() << name << "encoder:" << m_av->error();
        m_av.reset();
    }
}

void Rendition::pass(const EncodedPacket &packet)
{
    if (mode() == Mode::Passthrough)
        publish(std::span<const EncodedPacket>(&packet, 1));
}

void Rendition::publish(std::span<const EncodedPacket> packets)
{
    if (packets.empty())
        return;
    QMutexLocker lock(&m_muxMutex);
    if (m_feed && m_feed->listeners() > 0) { // WebSocket listeners: each packet at once
        std::vector<streaming::FeedPacket> feedPackets;
        feedPackets.reserve(packets.size());
        for (const EncodedPacket &packet : packets)
            feedPackets.push_back({packet.data, packet.captureNs, 0});
        m_feed->publish(std::move(feedPackets));
    }
    if (!m_muxer) { // MP3 and ADTS frames are their own container
        QByteArray bytes;
        for (const EncodedPacket &packet : packets)
            bytes += packet.data;
        m_output->publish(bytes);
        return;
    }
    for (const EncodedPacket &packet : packets) {
        m_pagePackets.push_back(packet);
        m_pageSamples += packet.durationSamples;
        if (m_pageSamples >= kPageSamples) {
            m_output->publish(m_muxer->pages(m_pagePackets));
            m_pagePackets.clear();
            m_pageSamples = 0;
        }
    }
}

void Rendition::setSourceMeta(const streaming::SourceMeta &meta)
{
    streaming::SourceMeta own = meta;
    own.contentType = contentType(codec);
    m_output->setMeta(std::move(own));
}

void Rendition::setTitle(const QByteArray &title)
{
    m_output->setTitle(title);
}

void Rendition::end()
{
    m_mode.store(Mode::Idle, std::memory_order_relaxed);
    {
        QMutexLocker lock(&m_muxMutex);
        if (m_muxer && !m_pagePackets.empty()) // the last audio, on a short page
            m_output->publish(m_muxer->pages(m_pagePackets));
        m_pagePackets.clear();
        m_pageSamples = 0;
    }
    m_output->end();
    if (m_feed)
        m_feed->end();
}

} // namespace veza::audio
