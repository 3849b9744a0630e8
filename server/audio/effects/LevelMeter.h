#pragma once

#include "audio/AudioFormat.h"
#include "audio/effects/Decibels.h"

#include <array>
#include <atomic>

namespace veza::audio {

struct AudioLevels
{
    double peakDbfs = kSilenceDbfs;
    double rmsDbfs = kSilenceDbfs;
};

// Sample peak and RMS over the last ~300 ms of audio. add() runs on the pipeline thread;
// levels() may be called from any thread (lock-free snapshot).
class LevelMeter
{
public:
    static constexpr int kWindowMs = 300;

    void add(const PcmBlock &block);
    AudioLevels levels() const;

private:
    // The window is a ring of 10 ms segments, so it slides smoothly whatever the block size.
    static constexpr int kSegmentFrames = kSampleRate / 100;
    static constexpr int kSegments = kWindowMs / 10;

    struct Segment
    {
        float peak = 0;
        double sumSquares = 0;
        int samples = 0;
    };

    // Linear values, packed into 8 bytes so one atomic holds a consistent pair.
    struct Snapshot
    {
        float peak = 0;
        float meanSquare = 0;
    };
    static_assert(std::atomic<Snapshot>::is_always_lock_free);

    void publish();

    std::array<Segment, kSegments> segments_{};
    int current_ = 0; // the segment being filled
    std::atomic<Snapshot> snapshot_{Snapshot{}};
};

} // namespace veza::audio
