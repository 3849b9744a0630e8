#pragma once

namespace veza::audio {

// Multiplies interleaved stereo samples by a gain moving linearly from `from` to `to` across
// the block, so a gain change never steps in the middle of a waveform (no click).
inline void applyGainRamp(float *samples, int frames, float from, float to)
{
    if (frames <= 0 || (from == 1.0f && to == 1.0f))
        return;
    if (from == to) {
        for (int i = 0; i < frames * 2; ++i)
            samples[i] *= to;
        return;
    }
    const float step = (to - from) / static_cast<float>(frames);
    for (int i = 0; i < frames; ++i) {
        const float gain =
            from + step * static_cast<float>(i + 1); // reaches `to` on the last frame
        samples[2 * i] *= gain;
        samples[2 * i + 1] *= gain;
    }
}

} // namespace veza::audio
