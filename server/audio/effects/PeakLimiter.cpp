#include "audio/effects/PeakLimiter.h"

#include "audio/AudioFormat.h"

#include <algorithm>
#include <cmath>

namespace veza::audio {

PeakLimiter::PeakLimiter()
{
    releaseStep_ = static_cast<float>(1.0 - std::exp(-1000.0 / (kReleaseMs * kSampleRate)));
    reset();
}

void PeakLimiter::configure(double ceilingDb)
{
    ceiling_ = static_cast<float>(std::pow(10.0, ceilingDb / 20.0));
}

void PeakLimiter::reset()
{
    frame_ = 0;
    minHead_ = 0;
    minSize_ = 0;
    released_ = 1;
    average_.fill(1.0f);
    averageSum_ = kLookaheadFrames;
    delay_.fill(0.0f);
    position_ = 0;
    lastGain_ = 1;
}

void PeakLimiter::pushRequiredGain(float gain)
{
    // Entries that can no longer be the minimum (larger and older than the new one) leave.
    while (minSize_ > 0 && minQueue_[(minHead_ + minSize_ - 1) % kHoldFrames].gain >= gain)
        --minSize_;
    minQueue_[(minHead_ + minSize_) % kHoldFrames] = MinEntry{frame_, gain};
    ++minSize_;
    if (minQueue_[minHead_].frame <= frame_ - kHoldFrames) {
        minHead_ = (minHead_ + 1) % kHoldFrames;
        --minSize_;
    }
}

void PeakLimiter::process(float *samples, int frames)
{
    constexpr double averageScale = 1.0 / kLookaheadFrames;
    for (int i = 0; i < frames; ++i) {
        float &left = samples[2 * i];
        float &right = samples[2 * i + 1];
        const float peak = std::max(std::fabs(left), std::fabs(right));
        pushRequiredGain(peak > ceiling_ ? ceiling_ / peak : 1.0f);
        ++frame_;

        // Instant fall to the held minimum, exponential release; never above the held value,
        // which is what makes the moving average below a guarantee.
        const float held = minQueue_[minHead_].gain;
        released_ = held < released_ ? held : released_ + (held - released_) * releaseStep_;

        // The average over the last kLookaheadFrames values is <= the gain required by the
        // frame leaving the delay line now, because every one of those values held it.
        averageSum_ += released_ - average_[position_];
        average_[position_] = released_;
        const float gain = std::min(1.0f, static_cast<float>(averageSum_ * averageScale));

        const float delayedLeft = delay_[2 * position_];
        const float delayedRight = delay_[2 * position_ + 1];
        delay_[2 * position_] = left;
        delay_[2 * position_ + 1] = right;
        position_ = (position_ + 1) % kLookaheadFrames;

        left = std::clamp(delayedLeft * gain, -ceiling_, ceiling_);
        right = std::clamp(delayedRight * gain, -ceiling_, ceiling_);
        lastGain_ = gain;
    }
}

} // namespace veza::audio
