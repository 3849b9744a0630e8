#include "audio/input/SourceDemuxer.h"

#include "audio/AudioFormat.h"
#include "audio/input/AudioLimits.h"
#include "audio/input/ContentTypeFormat.h"
#include "audio/FfmpegError.h"
#include "audio/input/SupportedCodecs.h"

#include <algorithm>
#include <climits>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/mem.h>
}

namespace veza::audio {

namespace {

constexpr int kReadTimeoutMs = 100; // the stall hook's period while the source is quiet
// The read callback hands FFmpeg whatever has arrived, up to this much at a time.
constexpr int kIoBufferBytes = 4 * 1024;
// Enough to find the parameters of every format we take while a stream opens within about a
// second of audio. The packets read meanwhile are kept for read() (no AVFMT_FLAG_NOBUFFER: it
// would drop them, and with them the start of the audio).
constexpr int kProbeBytes = 32 * 1024;
constexpr int kAnalyzeDurationUs = 500 * 1000;
// Consecutive "invalid data" / "try again" answers tolerated while the demuxer resyncs on a
// damaged stream before read() gives up.
constexpr int kMaxResyncAttempts = 16;

AudioCodec codecOf(AVCodecID id)
{
    switch (id) {
    case AV_CODEC_ID_OPUS:
        return AudioCodec::Opus;
    case AV_CODEC_ID_VORBIS:
        return AudioCodec::Vorbis;
    case AV_CODEC_ID_MP3:
        return AudioCodec::Mp3;
    case AV_CODEC_ID_AAC:
        return AudioCodec::Aac;
    default:
        return AudioCodec::Other;
    }
}

bool isAudio(const AVStream *stream)
{
    return stream->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
}

// Rate and channels known: FFmpeg found what it needs to decode it.
bool hasParameters(const AVStream *stream)
{
    return stream->codecpar->sample_rate > 0 && stream->codecpar->ch_layout.nb_channels > 0;
}

QString describeIgnored(const AVStream *stream)
{
    const char *type = av_get_media_type_string(stream->codecpar->codec_type);
    return QStringLiteral("%1 (%2)").arg(
        QString::fromLatin1(type ? type : "unknown"),
        QString::fromLatin1(avcodec_get_name(stream->codecpar->codec_id)));
}

} // namespace

SourceDemuxer::SourceDemuxer(SourceBuffer &buffer, QByteArray contentType,
                             std::function<void()> stallHook)
    : m_buffer(buffer)
    , m_contentType(std::move(contentType))
    , m_stallHook(std::move(stallHook))
    , m_packet(av_packet_alloc())
{
}

SourceDemuxer::~SourceDemuxer() = default;

const AVCodecParameters *SourceDemuxer::parameters() const
{
    return m_streamIndex >= 0 ? m_context->streams[m_streamIndex]->codecpar : nullptr;
}

// AVIOContext read callback, on the pipeline thread: blocks until the source sends bytes.
int SourceDemuxer::readSource(void *opaque, uint8_t *dst, int size)
{
    auto *self = static_cast<SourceDemuxer *>(opaque);
    if (self->m_bytesSincePacket >= AudioLimits::maxBytesBetweenPackets) {
        // A packet or header that does not end: stop before FFmpeg buffers any more of it.
        self->m_overByteLimit = true;
        return AVERROR_EXIT;
    }
    for (;;) {
        int got = 0;
        switch (self->m_buffer.read(dst, size, kReadTimeoutMs, &got)) {
        case SourceBuffer::ReadStatus::Data:
            self->m_bytesRead += got;
            self->m_bytesSincePacket += got;
            return got;
        case SourceBuffer::ReadStatus::End:
            self->m_sourceEnded = true;
            return AVERROR_EOF;
        case SourceBuffer::ReadStatus::Aborted:
            self->m_aborted = true;
            return AVERROR_EXIT;
        case SourceBuffer::ReadStatus::Timeout:
            // A stalled source: let the pipeline cover the gap. The next read answers Aborted
            // at once if the stream was dropped meanwhile (by the hook or anyone else).
            if (self->m_stallHook)
                self->m_stallHook();
            break;
        }
    }
}

// Stops FFmpeg's own retry loops once the buffer was aborted or the byte limit reached.
int SourceDemuxer::isInterrupted(void *opaque)
{
    const auto *self = static_cast<SourceDemuxer *>(opaque);
    return self->m_aborted || self->m_overByteLimit ? 1 : 0;
}

bool SourceDemuxer::fail(QString *error, const QString &message, SourceProblem problem)
{
    if (error)
        *error = message;
    m_problem = m_overByteLimit ? SourceProblem::OutOfLimits : problem;
    return false;
}

QString SourceDemuxer::byteLimitFailure() const
{
    return QStringLiteral("no audio packet within %1 MiB of the source")
        .arg(AudioLimits::maxBytesBetweenPackets / (1024 * 1024));
}

QString SourceDemuxer::openFailure(const QString &containerName, int averror) const
{
    if (m_aborted)
        return QStringLiteral("aborted");
    if (m_overByteLimit)
        return byteLimitFailure();
    if (m_bytesRead == 0 && m_sourceEnded)
        return QStringLiteral("the source ended before sending any data");
    return QStringLiteral("not %1 stream: %2").arg(containerName, ffmpegErrorText(averror));
}

bool SourceDemuxer::open(QString *error)
{
    if (m_context)
        return fail(error, QStringLiteral("already open"));
    const std::optional<SourceContainer> container = containerForContentType(m_contentType);
    if (!container)
        return fail(error, QStringLiteral("unsupported content type %1")
                               .arg(QString::fromLatin1(m_contentType.trimmed())));
    const AVInputFormat *inputFormat = nullptr;
    if (!container->demuxer.isEmpty()) {
        inputFormat = av_find_input_format(container->demuxer.constData());
        if (!inputFormat)
            return fail(error, QStringLiteral("this FFmpeg has no %1 demuxer")
                                   .arg(QString::fromLatin1(container->demuxer)));
    }
    if (!m_packet)
        return fail(error, QStringLiteral("out of memory"));

    auto *ioBuffer = static_cast<unsigned char *>(av_malloc(kIoBufferBytes));
    if (!ioBuffer)
        return fail(error, QStringLiteral("out of memory"));
    m_io.reset(
        avio_alloc_context(ioBuffer, kIoBufferBytes, 0, this, &readSource, nullptr, nullptr));
    if (!m_io) {
        av_free(ioBuffer);
        return fail(error, QStringLiteral("out of memory"));
    }

    AVFormatContext *context = avformat_alloc_context();
    if (!context)
        return fail(error, QStringLiteral("out of memory"));
    context->pb = m_io.get();
    context->flags |= AVFMT_FLAG_CUSTOM_IO;
    context->probesize = kProbeBytes;
    context->format_probesize = kProbeBytes;
    context->max_analyze_duration = kAnalyzeDurationUs;
    context->fps_probe_size = 0; // audio only: no frame rate to measure
    context->interrupt_callback = {&isInterrupted, this};
    // Copied by FFmpeg into every decoder it opens while probing (cover pictures, video
    // tracks): those not listed fail to open, so they are never run on a source's bytes.
    context->codec_whitelist = av_strdup(SupportedCodecs::decoderWhitelist().constData());
    context->format_whitelist = av_strdup(SupportedCodecs::demuxerWhitelist());
    if (!context->codec_whitelist || !context->format_whitelist) {
        avformat_free_context(context);
        return fail(error, QStringLiteral("out of memory"));
    }

    // On failure avformat_open_input frees the context (not our I/O).
    const int opened = avformat_open_input(&context, nullptr, inputFormat, nullptr);
    if (opened < 0)
        return fail(error, openFailure(container->name, opened));
    m_context.reset(context);

    // Streams other than audio are skipped from here on (the demuxers that can, such as
    // Matroska's, do not even copy their packets).
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        if (!isAudio(context->streams[i]))
            context->streams[i]->discard = AVDISCARD_ALL;
    }
    const int found = avformat_find_stream_info(context, nullptr);
    if (m_aborted)
        return fail(error, QStringLiteral("aborted"));
    if (m_overByteLimit)
        return fail(error, byteLimitFailure());
    if (found < 0)
        return fail(
            error,
            QStringLiteral("cannot read the stream parameters: %1").arg(ffmpegErrorText(found)));

    const int stream = chooseAudioStream(container->name, error);
    if (stream < 0)
        return false;
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        if (int(i) != stream) {
            context->streams[i]->discard = AVDISCARD_ALL;
            m_format.ignoredStreams.append(describeIgnored(context->streams[i]));
        }
    }
    m_streamIndex = stream;
    describeStream();
    return true;
}

int SourceDemuxer::chooseAudioStream(const QString &containerName, QString *error)
{
    const AVFormatContext *context = m_context.get();
    const int best = av_find_best_stream(m_context.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (best >= 0 && SupportedCodecs::isSupported(context->streams[best]->codecpar->codec_id))
        return best;
    // FFmpeg's favourite is in a codec we do not take: another audio stream may be in one.
    const AVStream *unsupported = nullptr;
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        const AVStream *candidate = context->streams[i];
        if (!isAudio(candidate))
            continue;
        if (!SupportedCodecs::isSupported(candidate->codecpar->codec_id)) {
            unsupported = unsupported ? unsupported : candidate;
            continue;
        }
        if (hasParameters(candidate))
            return int(i);
    }
    if (unsupported) {
        fail(error,
             QStringLiteral("unsupported codec %1: sources send %2")
                 .arg(QString::fromLatin1(avcodec_get_name(unsupported->codecpar->codec_id)),
                      QString::fromLatin1(SupportedCodecs::names())),
             SourceProblem::UnsupportedCodec);
        return -1;
    }
    for (unsigned i = 0; i < context->nb_streams; ++i) {
        // An audio stream whose rate and channels could not be found in the first bytes is junk
        // announced as audio (a forced MP3 or AAC demuxer always "finds" its one stream).
        if (isAudio(context->streams[i])) {
            fail(error,
                 QStringLiteral("not %1 stream: no playable audio found").arg(containerName));
            return -1;
        }
    }
    fail(error, QStringLiteral("no audio stream"));
    return -1;
}

void SourceDemuxer::describeStream()
{
    const AVCodecParameters *codecpar = m_context->streams[m_streamIndex]->codecpar;
    m_format.codec = codecOf(codecpar->codec_id);
    m_format.codecName = QString::fromLatin1(avcodec_get_name(codecpar->codec_id));
    m_format.sampleRate = codecpar->sample_rate;
    m_format.channels = codecpar->ch_layout.nb_channels;
    m_format.bitRate = codecpar->bit_rate > 0 ? codecpar->bit_rate : 0;
    // FFmpeg's Ogg and Matroska demuxers give Opus its OpusHead as extradata (pre-skip, channel
    // mapping): AudioDecoder hands it to the decoder, which then trims the encoder's pre-skip.
    m_format.extradata = codecpar->extradata_size > 0
                             ? QByteArray(reinterpret_cast<const char *>(codecpar->extradata),
                                          codecpar->extradata_size)
                             : QByteArray();
}

SourceDemuxer::Result SourceDemuxer::read(DemuxedPacket *packet, QString *error)
{
    if (m_streamIndex < 0) {
        fail(error, QStringLiteral("not open"));
        return Result::Error;
    }
    int resyncAttempts = 0;
    for (;;) {
        const int rc = av_read_frame(m_context.get(), m_packet.get());
        if (m_aborted) {
            av_packet_unref(m_packet.get());
            fail(error, QStringLiteral("aborted"), SourceProblem::Corrupt);
            return Result::Error;
        }
        if (m_overByteLimit) {
            av_packet_unref(m_packet.get());
            fail(error, byteLimitFailure());
            return Result::Error;
        }
        if (rc == AVERROR_EOF)
            return Result::End;
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_INVALIDDATA) {
            if (++resyncAttempts <= kMaxResyncAttempts)
                continue;
            fail(error, QStringLiteral("corrupt stream: %1").arg(ffmpegErrorText(rc)),
                 SourceProblem::Corrupt);
            return Result::Error;
        }
        if (rc < 0) {
            fail(error, QStringLiteral("demuxing failed: %1").arg(ffmpegErrorText(rc)),
                 SourceProblem::Corrupt);
            return Result::Error;
        }
        if (m_packet->stream_index != m_streamIndex) {
            av_packet_unref(m_packet.get());
            continue;
        }

        const AVStream *stream = m_context->streams[m_streamIndex];
        packet->data = QByteArray(reinterpret_cast<const char *>(m_packet->data), m_packet->size);
        // The container's claim, kept within an int (the pipeline does not time by it).
        const int64_t duration =
            m_packet->duration > 0
                ? av_rescale_q(m_packet->duration, stream->time_base, AVRational{1, kSampleRate})
                : 0;
        packet->durationSamples = int(std::clamp<int64_t>(duration, 0, INT_MAX));
        packet->captureNs = m_buffer.lastReadArrivalNs();
        av_packet_unref(m_packet.get());
        m_bytesSincePacket = 0;
        return Result::Packet;
    }
}

} // namespace veza::audio
