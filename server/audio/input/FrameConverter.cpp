#include "audio/input/FrameConverter.h"

#include "audio/AudioFormat.h"
#include "audio/FfmpegError.h"

extern "C" {
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
}

namespace veza::audio {

namespace {

// A decoder that only says how many channels it has: take FFmpeg's usual layout for that count.
AVChannelLayout effectiveLayout(const AVFrame &frame)
{
    AVChannelLayout layout{};
    if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&layout, frame.ch_layout.nb_channels);
    else
        av_channel_layout_copy(&layout, &frame.ch_layout);
    return layout;
}

// Converts into the free space after out's current end; shrinks out to what was written.
int convertInto(SwrContext *resampler, std::vector<float> *out, const uint8_t **input,
                int inputFrames)
{
    const int room = swr_get_out_samples(resampler, inputFrames);
    if (room <= 0)
        return room;
    const size_t start = out->size();
    out->resize(start + size_t(room) * kChannels);
    auto *dst = reinterpret_cast<uint8_t *>(out->data() + start);
    const int written = swr_convert(resampler, &dst, room, input, inputFrames);
    out->resize(start + size_t(qMax(written, 0)) * kChannels);
    return written;
}

} // namespace

FrameConverter::FrameConverter() = default;

FrameConverter::~FrameConverter()
{
    av_channel_layout_uninit(&m_layout);
}

bool FrameConverter::matches(const AVFrame &frame, const AVChannelLayout &layout) const
{
    return m_resampler && frame.sample_rate == m_sampleRate && frame.format == m_sampleFormat &&
           av_channel_layout_compare(&layout, &m_layout) == 0;
}

void FrameConverter::drain(std::vector<float> *out)
{
    if (m_resampler)
        convertInto(m_resampler.get(), out, nullptr, 0);
}

bool FrameConverter::rebuild(const AVFrame &frame, const AVChannelLayout &layout,
                             std::vector<float> *out, QString *error)
{
    drain(out); // the old resampler still holds the last few input samples
    m_resampler.reset();
    av_channel_layout_uninit(&m_layout);
    m_sampleRate = 0;

    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    SwrContext *resampler = nullptr;
    // FFmpeg 5.1 takes the layouts by non-const pointer but only reads them (const since 6.0).
    int rc = swr_alloc_set_opts2(&resampler, &stereo, AV_SAMPLE_FMT_FLT, kSampleRate,
                                 const_cast<AVChannelLayout *>(&layout),
                                 AVSampleFormat(frame.format), frame.sample_rate, 0, nullptr);
    ResamplerPtr owned(resampler);
    if (rc >= 0 && layout.nb_channels == 1) {
        // Mono goes to both channels at full level (FFmpeg's default mix would lower it 3 dB).
        const double toBoth[2] = {1.0, 1.0};
        rc = swr_set_matrix(resampler, toBoth, 1);
    }
    if (rc >= 0)
        rc = swr_init(resampler);
    if (rc < 0) {
        *error = QStringLiteral("cannot convert %1 Hz, %2 channels, sample format %3: %4")
                     .arg(frame.sample_rate)
                     .arg(layout.nb_channels)
                     .arg(frame.format)
                     .arg(ffmpegErrorText(rc));
        return false;
    }
    m_resampler = std::move(owned);
    av_channel_layout_copy(&m_layout, &layout);
    m_sampleRate = frame.sample_rate;
    m_sampleFormat = frame.format;
    return true;
}

bool FrameConverter::append(const AVFrame &frame, std::vector<float> *out, QString *error)
{
    if (frame.nb_samples <= 0)
        return true;
    if (frame.sample_rate <= 0 || frame.ch_layout.nb_channels <= 0) {
        *error = QStringLiteral("decoded frame without sample rate or channels");
        return false;
    }
    AVChannelLayout layout = effectiveLayout(frame);
    const bool ready = matches(frame, layout) || rebuild(frame, layout, out, error);
    av_channel_layout_uninit(&layout);
    if (!ready)
        return false;

    const int written =
        convertInto(m_resampler.get(), out, const_cast<const uint8_t **>(frame.extended_data),
                    frame.nb_samples);
    if (written < 0) {
        *error = QStringLiteral("resampling failed: %1").arg(ffmpegErrorText(written));
        return false;
    }
    return true;
}

} // namespace veza::audio
