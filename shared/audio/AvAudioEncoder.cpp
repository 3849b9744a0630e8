#include "AvAudioEncoder.h"

#include "AdtsHeader.h"
#include "CaptureTimeline.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
}

namespace veza::audio {

namespace {

struct FreeContext
{
    void operator()(AVCodecContext *context) const { avcodec_free_context(&context); }
};
struct FreeFrame
{
    void operator()(AVFrame *frame) const { av_frame_free(&frame); }
};
struct FreePacket
{
    void operator()(AVPacket *packet) const { av_packet_free(&packet); }
};
struct FreeFifo
{
    void operator()(AVAudioFifo *fifo) const { av_audio_fifo_free(fifo); }
};

QString avError(const char *what, int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QStringLiteral("%1: %2").arg(QLatin1StringView(what), QString::fromUtf8(text));
}

struct CodecChoice
{
    const char *encoderName;
    int minBitrate;
    int maxBitrate;
};

CodecChoice choice(AvAudioEncoder::Codec codec)
{
    // MP3: MPEG-1 Layer III bitrates at 48 kHz. AAC: a useful stereo range for FFmpeg's encoder.
    return codec == AvAudioEncoder::Codec::Mp3 ? CodecChoice{"libmp3lame", 32000, 320000}
                                               : CodecChoice{"aac", 16000, 320000};
}

bool supports(const AVCodec *codec, AVSampleFormat format)
{
    for (const AVSampleFormat *f = codec->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; ++f) {
        if (*f == format)
            return true;
    }
    return false;
}

} // namespace

struct AvAudioEncoder::State
{
    std::unique_ptr<AVCodecContext, FreeContext> context;
    std::unique_ptr<AVFrame, FreeFrame> frame;
    std::unique_ptr<AVPacket, FreePacket> packet;
    std::unique_ptr<AVAudioFifo, FreeFifo> fifo; // feeds the encoder exact frame_size frames
    CaptureTimeline timeline;
    std::vector<float> left, right; // the block deinterleaved into planes
    qint64 nextPts = 0;
};

AvAudioEncoder::AvAudioEncoder(Codec codec, int bitrate)
    : m_codec(codec)
    , m_bitrate(bitrate)
{
    const CodecChoice c = choice(codec);
    if (bitrate < c.minBitrate || bitrate > c.maxBitrate) {
        m_error = QStringLiteral("%1 bitrate %2 bit/s is outside %3..%4")
                      .arg(QLatin1StringView(c.encoderName))
                      .arg(bitrate)
                      .arg(c.minBitrate)
                      .arg(c.maxBitrate);
        return;
    }
    const AVCodec *encoder = avcodec_find_encoder_by_name(c.encoderName);
    if (!encoder) {
        m_error = QStringLiteral("FFmpeg has no %1 encoder").arg(QLatin1StringView(c.encoderName));
        return;
    }
    // Both encoders take planar float (libmp3lame also s16p/s32p, aac only fltp).
    if (!supports(encoder, AV_SAMPLE_FMT_FLTP)) {
        m_error =
            QStringLiteral("%1 does not take planar float").arg(QLatin1StringView(c.encoderName));
        return;
    }

    auto state = std::make_unique<State>();
    state->context.reset(avcodec_alloc_context3(encoder));
    state->frame.reset(av_frame_alloc());
    state->packet.reset(av_packet_alloc());
    if (!state->context || !state->frame || !state->packet) {
        m_error =
            QStringLiteral("out of memory setting up %1").arg(QLatin1StringView(c.encoderName));
        return;
    }
    AVCodecContext *ctx = state->context.get();
    ctx->sample_fmt = AV_SAMPLE_FMT_FLTP;
    ctx->sample_rate = kSampleRate;
    ctx->bit_rate = bitrate;
    ctx->time_base = AVRational{1, kSampleRate};
    av_channel_layout_default(&ctx->ch_layout, kChannels);
    if (int rc = avcodec_open2(ctx, encoder, nullptr); rc < 0) {
        m_error = avError("avcodec_open2", rc);
        return;
    }
    if (ctx->frame_size <= 0) { // both encoders have a fixed frame size (1152, 1024)
        m_error = QStringLiteral("%1 reports no frame size").arg(QLatin1StringView(c.encoderName));
        return;
    }

    AVFrame *frame = state->frame.get();
    frame->format = ctx->sample_fmt;
    frame->sample_rate = ctx->sample_rate;
    frame->nb_samples = ctx->frame_size;
    int rc = av_channel_layout_copy(&frame->ch_layout, &ctx->ch_layout);
    if (rc >= 0)
        rc = av_frame_get_buffer(frame, 0);
    if (rc < 0) {
        m_error = avError("av_frame_get_buffer", rc);
        return;
    }
    state->fifo.reset(av_audio_fifo_alloc(ctx->sample_fmt, kChannels, ctx->frame_size * 2));
    if (!state->fifo) {
        m_error =
            QStringLiteral("out of memory setting up %1").arg(QLatin1StringView(c.encoderName));
        return;
    }
    m_state = std::move(state);
}

AvAudioEncoder::~AvAudioEncoder() = default;

bool AvAudioEncoder::isValid() const
{
    return m_state != nullptr;
}

QString AvAudioEncoder::error() const
{
    return m_error;
}

std::vector<EncodedPacket> AvAudioEncoder::encode(const PcmBlock &block)
{
    std::vector<EncodedPacket> packets;
    if (!m_state)
        return packets;
    State &s = *m_state;
    AVCodecContext *ctx = s.context.get();

    const int frames = block.frames();
    s.left.resize(size_t(frames));
    s.right.resize(size_t(frames));
    for (int i = 0; i < frames; ++i) {
        s.left[size_t(i)] = block.samples[size_t(i) * 2];
        s.right[size_t(i)] = block.samples[size_t(i) * 2 + 1];
    }
    void *planes[kChannels] = {s.left.data(), s.right.data()};
    if (int rc = av_audio_fifo_write(s.fifo.get(), planes, frames); rc < frames) {
        m_error = avError("av_audio_fifo_write", rc < 0 ? rc : AVERROR(ENOMEM));
        m_state.reset();
        return packets;
    }
    s.timeline.append(frames, block.captureNs);

    // A hard error leaves the encoder unusable: report it and stop (isValid() turns false).
    auto fail = [&](const char *what, int rc) {
        m_error = avError(what, rc);
        m_state.reset();
    };

    while (av_audio_fifo_size(s.fifo.get()) >= ctx->frame_size) {
        AVFrame *frame = s.frame.get();
        if (int rc = av_frame_make_writable(frame); rc < 0) {
            fail("av_frame_make_writable", rc);
            return packets;
        }
        av_audio_fifo_read(s.fifo.get(), reinterpret_cast<void **>(frame->data), ctx->frame_size);
        frame->pts = s.nextPts;
        s.nextPts += ctx->frame_size;
        if (int rc = avcodec_send_frame(ctx, frame); rc < 0) {
            fail("avcodec_send_frame", rc);
            return packets;
        }

        for (;;) {
            AVPacket *pkt = s.packet.get();
            const int rc = avcodec_receive_packet(ctx, pkt);
            if (rc == AVERROR(EAGAIN))
                break;
            if (rc < 0) {
                fail("avcodec_receive_packet", rc);
                return packets;
            }

            EncodedPacket out;
            out.durationSamples = pkt->duration > 0 ? int(pkt->duration) : ctx->frame_size;
            // Packet timestamps are input sample positions (the encoders subtract their delay).
            out.captureNs =
                s.timeline.captureNsAt(qMax<qint64>(0, pkt->pts + out.durationSamples - 1));
            if (m_codec == Codec::Aac)
                out.data = adtsHeader(kSampleRate, kChannels, pkt->size);
            out.data.append(reinterpret_cast<const char *>(pkt->data), pkt->size);
            av_packet_unref(pkt);
            packets.push_back(std::move(out));
        }
    }
    return packets;
}

} // namespace veza::audio
