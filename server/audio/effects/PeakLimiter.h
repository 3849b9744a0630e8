#pragma once

#include <array>

namespace veza::audio {

// Look-ahead sample-peak limiter on interleaved stereo at 48 kHz: the output never exceeds the
// ceiling. The gain needed by each frame is held over the look-ahead window and smoothed with
// a moving average of the same length, so the gain has already ramped down (no clipping, no
// click) when a peak leaves the delay line; a final clamp guards against float rounding.
// Adds kLookaheadFrames of latency while enabled.
class PeakLimiter
{
public:
    static constexpr int kLookaheadFrames = 48; // 1 ms
    static constexpr double kReleaseMs = 60;

    PeakLimiter();
    void configure(double ceilingDb);
    void reset();
    void process(float *samples, int frames);
    // The smoothed gain (linear, <= 1) applied to the last frame processed.
    float gain() const { return lastGain_; }

private:
    // Running minimum of the required gain over the last kLookaheadFrames + 1 frames
    // (a monotonic queue: O(1) per frame, no allocation).
    struct MinEntry
    {
        long long frame = 0;
        float gain = 1;
    };
    static constexpr int kHoldFrames = kLookaheadFrames + 1;
    void pushRequiredGain(float gain);

    float ceiling_ = 1;
    float releaseStep_ = 0;
    long long frame_ = 0;

    std::array<MinEntry, kHoldFrames> minQueue_{};
    int minHead_ = 0; // index of the oldest entry
    int minSize_ = 0;

    float released_ = 1; // held gain after release smoothing
    std::array<float, kLookaheadFrames> average_{};
    double averageSum_ = kLookaheadFrames;
    std::array<float, 2 * kLookaheadFrames> delay_{};
    int position_ = 0; // shared by average_ and delay_
    float lastGain_ = 1;
};

} // namespace veza::audio
