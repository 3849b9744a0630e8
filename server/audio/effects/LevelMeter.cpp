#include "audio/effects/LevelMeter.h"

#include <algorithm>
#include <cmath>

namespace veza::audio {

void LevelMeter::add(const PcmBlock &block)
{
    const float *samples = block.samples.data();
    int remaining = block.frames();
    while (remaining > 0) {
        Segment &segment = segments_[current_];
        const int segmentFrames = segment.samples / kChannels;
        const int take = std::min(remaining, kSegmentFrames - segmentFrames);
        float peak = segment.peak;
        double sumSquares = 0;
        for (int i = 0; i < take * kChannels; ++i) {
            peak = std::max(peak, std::fabs(samples[i]));
            sumSquares += static_cast<double>(samples[i]) * samples[i];
        }
        segment.peak = peak;
        segment.sumSquares += sumSquares;
        segment.samples += take * kChannels;
        samples += take * kChannels;
        remaining -= take;
        if (segmentFrames + take == kSegmentFrames) {
            current_ = (current_ + 1) % kSegments;
            segments_[current_] = Segment{}; // the oldest 10 ms leave the window
        }
    }
    publish();
}

void LevelMeter::publish()
{
    float peak = 0;
    double sumSquares = 0;
    int samples = 0;
    for (const Segment &segment : segments_) {
        peak = std::max(peak, segment.peak);
        sumSquares += segment.sumSquares;
        samples += segment.samples;
    }
    const float meanSquare = samples > 0 ? static_cast<float>(sumSquares / samples) : 0.0f;
    snapshot_.store(Snapshot{peak, meanSquare}, std::memory_order_relaxed);
}

AudioLevels LevelMeter::levels() const
{
    const Snapshot snapshot = snapshot_.load(std::memory_order_relaxed);
    return AudioLevels{amplitudeToDbfs(snapshot.peak), powerToDbfs(snapshot.meanSquare)};
}

} // namespace veza::audio
