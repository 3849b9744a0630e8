#include "audio/effects/HighPassFilter.h"

#include "audio/AudioFormat.h"

#include <cmath>
#include <numbers>

namespace veza::audio {

void HighPassFilter::configure(double cutoffHz)
{
    const double w0 = 2.0 * std::numbers::pi * cutoffHz / kSampleRate;
    const double cosW0 = std::cos(w0);
    const double alpha = std::sin(w0) * std::numbers::sqrt2 / 2.0; // sin(w0) / (2Q), Q = 1/sqrt(2)
    const double a0 = 1.0 + alpha;
    b0_ = (1.0 + cosW0) / 2.0 / a0;
    b1_ = -(1.0 + cosW0) / a0;
    b2_ = b0_;
    a1_ = -2.0 * cosW0 / a0;
    a2_ = (1.0 - alpha) / a0;
}

void HighPassFilter::reset()
{
    state_[0] = ChannelState{};
    state_[1] = ChannelState{};
}

void HighPassFilter::process(float *samples, int frames)
{
    for (int channel = 0; channel < kChannels; ++channel) {
        ChannelState s = state_[channel];
        float *x = samples + channel;
        for (int i = 0; i < frames; ++i, x += kChannels) {
            // Transposed direct form II.
            const double in = *x;
            const double out = b0_ * in + s.z1;
            s.z1 = b1_ * in - a1_ * out + s.z2;
            s.z2 = b2_ * in - a2_ * out;
            *x = static_cast<float>(out);
        }
        // After long silence the state decays into denormals, which are very slow on x86.
        if (std::fabs(s.z1) < 1e-25 && std::fabs(s.z2) < 1e-25)
            s = ChannelState{};
        state_[channel] = s;
    }
}

} // namespace veza::audio
