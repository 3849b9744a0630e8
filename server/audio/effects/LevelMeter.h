#pragma once

#include "audio/AudioFormat.h"
#include "audio/effects/Decibels.h"

#include <array>
#include <atomic>

namespace veza::audio {

struct ChannelLevels
{
    double peakDbfs = kSilenceDbfs;
    double rmsDbfs = kSilenceDbfs;
};

// Both channels together, and each (left, right) for a stereo meter.
struct AudioLevels
{
    double peakDbfs = kSilenceDbfs;
    double rmsDbfs = kSilenceDbfs;
    std::array<ChannelLevels, kChannels> channels{};
};

// Sample peak and RMS over the last ~300 ms of audio, overall and per channel. add() runs on
// the pipeline thread; levels() may be called from any thread (lock-free snapshots: each
// channel's pair is consistent, the channels may be a block apart).
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
        std::array<float, kChannels> peak{};
        std::array<double, kChannels> sumSquares{};
        int samples = 0; // of every channel together
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
    std::array<std::atomic<Snapshot>, kChannels> channelSnapshots_{};
};

} // namespace veza::audio
