#pragma once

#include "audio/FfmpegHandles.h"

#include <QString>
#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
}

struct AVFrame;

namespace veza::audio {

// Turns decoded frames, whatever their rate, layout and sample format, into the pipeline's
// 48 kHz interleaved stereo float. The resampler follows the frames: when a source changes its
// sample rate (or layout, or format) mid-stream a new one is built, so the audio keeps its
// pitch and speed.
class FrameConverter
{
public:
    FrameConverter();
    ~FrameConverter();
    FrameConverter(const FrameConverter &) = delete;
    FrameConverter &operator=(const FrameConverter &) = delete;

    // Appends the frame's audio (L R L R ...) to *out. False + *error if it cannot be converted.
    bool append(const AVFrame &frame, std::vector<float> *out, QString *error);

private:
    bool matches(const AVFrame &frame, const AVChannelLayout &layout) const;
    bool rebuild(const AVFrame &frame, const AVChannelLayout &layout, std::vector<float> *out,
                 QString *error);
    void drain(std::vector<float> *out);

    ResamplerPtr m_resampler;
    AVChannelLayout m_layout{};
    int m_sampleRate = 0;
    int m_sampleFormat = -1;
};

} // namespace veza::audio
