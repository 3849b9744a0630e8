#include "audio/input/AudioDecoder.h"

#include "audio/input/AudioLimits.h"
#include "audio/FfmpegError.h"
#include "audio/input/FrameConverter.h"
#include "audio/input/SupportedCodecs.h"

#include <cstring>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

namespace veza::audio {

AudioDecoder::AudioDecoder(const AVCodecParameters *parameters)
    : m_packet(av_packet_alloc())
    , m_frame(av_frame_alloc())
    , m_converter(std::make_unique<FrameConverter>())
{
    m_codec = open(parameters);
}

CodecContextPtr AudioDecoder::open(const AVCodecParameters *parameters)
{
    if (!parameters)
        return refused(QStringLiteral("no codec parameters"), SourceProblem::Unreadable);
    const QString codecName = QString::fromLatin1(avcodec_get_name(parameters->codec_id));
    if (!SupportedCodecs::isSupported(parameters->codec_id))
        return refused(QStringLiteral("unsupported codec %1: sources send %2")
                           .arg(codecName, QString::fromLatin1(SupportedCodecs::names())),
                       SourceProblem::UnsupportedCodec);
    const QString announced =
        AudioLimits::formatViolation(parameters->sample_rate, parameters->ch_layout.nb_channels);
    if (!announced.isEmpty())
        return refused(announced, SourceProblem::OutOfLimits);
    // FFmpeg's own decoders come first (for Opus the native "opus" one); the extradata carries
    // the codec setup (OpusHead with its pre-skip, Vorbis headers, AAC AudioSpecificConfig).
    const AVCodec *codec = avcodec_find_decoder(parameters->codec_id);
    if (!codec)
        return refused(QStringLiteral("no decoder for %1").arg(codecName),
                       SourceProblem::UnsupportedCodec);
    CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context || !m_packet || !m_frame)
        return refused(QStringLiteral("out of memory"), SourceProblem::UnsupportedCodec);
    int rc = avcodec_parameters_to_context(context.get(), parameters);
    if (rc >= 0)
        rc = avcodec_open2(context.get(), codec, nullptr);
    if (rc < 0)
        return refused(
            QStringLiteral("cannot open the %1 decoder: %2").arg(codecName, ffmpegErrorText(rc)),
            SourceProblem::UnsupportedCodec);
    // The codec setup (OpusHead, FLAC STREAMINFO) may say more than the container did.
    const QString opened =
        AudioLimits::formatViolation(context->sample_rate, context->ch_layout.nb_channels);
    if (!opened.isEmpty())
        return refused(opened, SourceProblem::OutOfLimits);
    return context;
}

AudioDecoder::~AudioDecoder() = default;

void AudioDecoder::refuse(const QString &message, SourceProblem problem)
{
    m_codec.reset();
    m_error = message;
    m_problem = problem;
}

CodecContextPtr AudioDecoder::refused(const QString &message, SourceProblem problem)
{
    refuse(message, problem);
    return nullptr;
}

bool AudioDecoder::reject(QString *error, const QString &message)
{
    ++m_consecutiveErrors;
    if (error)
        *error = message;
    return false;
}

bool AudioDecoder::receiveFrames(PcmBlock *out, QString *error)
{
    for (;;) {
        const int rc = avcodec_receive_frame(m_codec.get(), m_frame.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return true;
        if (rc < 0) {
            *error = QStringLiteral("undecodable packet: %1").arg(ffmpegErrorText(rc));
            return false;
        }
        const QString beyond = AudioLimits::frameViolation(
            m_frame->sample_rate, m_frame->ch_layout.nb_channels, m_frame->nb_samples);
        if (!beyond.isEmpty()) {
            av_frame_unref(m_frame.get());
            m_beyondLimits = true;
            *error = beyond;
            return false;
        }
        const bool converted = m_converter->append(*m_frame, &out->samples, error);
        av_frame_unref(m_frame.get());
        if (!converted)
            return false;
    }
}

bool AudioDecoder::decode(const DemuxedPacket &packet, PcmBlock *out, QString *error)
{
    if (!isValid())
        return reject(error, m_error);
    out->captureNs = packet.captureNs;
    // An empty packet would tell libavcodec the stream ended (flush): there is nothing to decode.
    if (packet.data.isEmpty())
        return true;

    if (av_new_packet(m_packet.get(), int(packet.data.size())) < 0)
        return reject(error, QStringLiteral("out of memory"));
    std::memcpy(m_packet->data, packet.data.constData(), size_t(packet.data.size()));
    int rc = avcodec_send_packet(m_codec.get(), m_packet.get());
    QString failure;
    if (rc == AVERROR(EAGAIN)) {
        // Frames still waiting from an earlier packet: collect them, then the decoder takes it.
        if (receiveFrames(out, &failure))
            rc = avcodec_send_packet(m_codec.get(), m_packet.get());
    }
    av_packet_unref(m_packet.get());
    if (failure.isEmpty() && rc < 0)
        failure = QStringLiteral("undecodable packet: %1").arg(ffmpegErrorText(rc));
    if (failure.isEmpty())
        receiveFrames(out, &failure);
    if (m_beyondLimits) {
        refuse(failure, SourceProblem::OutOfLimits);
        return reject(error, failure);
    }
    if (!failure.isEmpty())
        return reject(error, failure);
    m_consecutiveErrors = 0;
    return true;
}

} // namespace veza::audio
