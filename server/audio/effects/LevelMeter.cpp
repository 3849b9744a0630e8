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
        for (int i = 0; i < take * kChannels; ++i) {
            const int channel = i % kChannels; // interleaved
            segment.peak[channel] = std::max(segment.peak[channel], std::fabs(samples[i]));
            segment.sumSquares[channel] += static_cast<double>(samples[i]) * samples[i];
        }
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
    for (int channel = 0; channel < kChannels; ++channel) {
        float peak = 0;
        double sumSquares = 0;
        int samples = 0;
        for (const Segment &segment : segments_) {
            peak = std::max(peak, segment.peak[channel]);
            sumSquares += segment.sumSquares[channel];
            samples += segment.samples / kChannels;
        }
        const float meanSquare = samples > 0 ? static_cast<float>(sumSquares / samples) : 0.0f;
        channelSnapshots_[channel].store(Snapshot{peak, meanSquare}, std::memory_order_relaxed);
    }
}

AudioLevels LevelMeter::levels() const
{
    AudioLevels levels;
    float peak = 0;
    float meanSquare = 0;
    for (int channel = 0; channel < kChannels; ++channel) {
        const Snapshot snapshot = channelSnapshots_[channel].load(std::memory_order_relaxed);
        levels.channels[channel] = {amplitudeToDbfs(snapshot.peak),
                                    powerToDbfs(snapshot.meanSquare)};
        peak = std::max(peak, snapshot.peak);
        meanSquare += snapshot.meanSquare / kChannels; // the mean over every sample
    }
    levels.peakDbfs = amplitudeToDbfs(peak);
    levels.rmsDbfs = powerToDbfs(meanSquare);
    return levels;
}

} // namespace veza::audio
