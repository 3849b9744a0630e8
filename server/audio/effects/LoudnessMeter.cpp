#include "audio/effects/LoudnessMeter.h"

#include "audio/effects/Decibels.h"

#include <algorithm>
#include <cmath>
#include <ebur128.h>
#include <numeric>

namespace veza::audio {

namespace {
// BS.1770: loudness = -0.691 + 10 log10(energy).
constexpr double kLoudnessOffset = -0.691;
} // namespace

struct LoudnessMeter::State
{
    // Mode M keeps a 400 ms buffer, enough for the 100 ms slices (mode S would keep 3 s,
    // 2.3 MB per stream, that this class does not need).
    ebur128_state *handle = ebur128_init(kChannels, kSampleRate, EBUR128_MODE_M);
    State() = default;
    State(const State &) = delete;
    State &operator=(const State &) = delete;
    ~State()
    {
        if (handle)
            ebur128_destroy(&handle);
    }
};

LoudnessMeter::LoudnessMeter()
    : state_(std::make_unique<State>())
    , shortTermLufs_(kSilenceDbfs)
{
}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::add(const PcmBlock &block)
{
    if (!state_->handle)
        return;
    const float *samples = block.samples.data();
    int remaining = block.frames();
    while (remaining > 0) {
        const int take = std::min(remaining, kSliceFrames - framesInSlice_);
        if (ebur128_add_frames_float(state_->handle, samples, static_cast<size_t>(take)) !=
            EBUR128_SUCCESS)
            return;
        samples += take * kChannels;
        remaining -= take;
        framesInSlice_ += take;
        if (framesInSlice_ == kSliceFrames)
            finishSlice();
    }
}

void LoudnessMeter::finishSlice()
{
    framesInSlice_ = 0;
    double sliceLufs = -HUGE_VAL;
    if (ebur128_loudness_window(state_->handle, 1000 * kSliceFrames / kSampleRate, &sliceLufs) !=
        EBUR128_SUCCESS)
        sliceLufs = -HUGE_VAL;
    sliceEnergy_[nextSlice_] =
        std::isfinite(sliceLufs) ? std::pow(10.0, (sliceLufs - kLoudnessOffset) / 10.0) : 0.0;
    nextSlice_ = (nextSlice_ + 1) % kSlices;

    const double energy = std::accumulate(sliceEnergy_.begin(), sliceEnergy_.end(), 0.0) / kSlices;
    const double lufs = energy > 0 ? kLoudnessOffset + 10.0 * std::log10(energy) : kSilenceDbfs;
    shortTermLufs_.store(std::max(kSilenceDbfs, lufs), std::memory_order_relaxed);
}

double LoudnessMeter::shortTermLufs() const
{
    return shortTermLufs_.load(std::memory_order_relaxed);
}

} // namespace veza::audio
