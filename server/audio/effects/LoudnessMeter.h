#pragma once

#include "audio/AudioFormat.h"

#include <array>
#include <atomic>
#include <memory>

namespace veza::audio {

// EBU R128 short-term loudness (3 s window) of 48 kHz stereo audio, through libebur128.
// add() runs on the pipeline thread; shortTermLufs() may be called from any thread.
class LoudnessMeter
{
public:
    LoudnessMeter();
    ~LoudnessMeter();
    LoudnessMeter(const LoudnessMeter &) = delete;
    LoudnessMeter &operator=(const LoudnessMeter &) = delete;

    void add(const PcmBlock &block);
    // LUFS, refreshed every 100 ms of audio; kSilenceDbfs (-120) when silent or not yet known.
    double shortTermLufs() const;

private:
    // libebur128's own short-term query sums all 3 s of samples on every call (~4 times the
    // cost of the K-weighting itself at 10 queries/s). Instead it measures each 100 ms slice
    // once and the 3 s window is the mean of the last 30 slice energies: the same number.
    static constexpr int kSliceFrames = kSampleRate / 10;
    static constexpr int kSlices = 30;

    void finishSlice();

    struct State; // owns the ebur128_state
    std::unique_ptr<State> state_;
    std::array<double, kSlices> sliceEnergy_{}; // K-weighted mean square, channels summed
    int nextSlice_ = 0;
    int framesInSlice_ = 0;
    std::atomic<double> shortTermLufs_;
};

} // namespace veza::audio
