#include "audio/effects/Compressor.h"

#include "audio/AudioFormat.h"

#include <algorithm>
#include <cmath>

namespace veza::audio {

namespace {
// One-pole coefficient reaching 1 - 1/e of a step in `ms`.
float smoothingCoeff(double ms)
{
    return static_cast<float>(std::exp(-1000.0 / (ms * kSampleRate)));
}
} // namespace

void Compressor::configure(const EffectSettings::Compressor &settings)
{
    attackCoeff_ = smoothingCoeff(settings.attackMs);
    releaseCoeff_ = smoothingCoeff(settings.releaseMs);
    thresholdDb_ = settings.thresholdDb;
    slope_ = 1.0 / settings.ratio - 1.0;
}

void Compressor::reset()
{
    peakHold_ = 0;
    envelope_ = 0;
    gain_ = 1;
}

float Compressor::gainFor(float envelope) const
{
    if (envelope < 1e-6f) // below -120 dBFS: nothing to compress
        return 1.0f;
    const double overDb = 20.0 * std::log10(envelope) - thresholdDb_;
    double gainDb = 0;
    if (overDb >= kKneeDb / 2)
        gainDb = slope_ * overDb;
    else if (overDb > -kKneeDb / 2) // quadratic soft knee
        gainDb = slope_ * (overDb + kKneeDb / 2) * (overDb + kKneeDb / 2) / (2 * kKneeDb);
    return static_cast<float>(std::pow(10.0, gainDb / 20.0));
}

void Compressor::process(float *samples, int frames)
{
    for (int start = 0; start < frames; start += kControlFrames) {
        const int count = std::min(kControlFrames, frames - start);
        float *chunk = samples + start * kChannels;
        // Detector: "smooth decoupled" peak follower (peak with release, then attack smoothing),
        // which settles on the true peak of a steady signal.
        for (int i = 0; i < count; ++i) {
            const float level = std::max(std::fabs(chunk[2 * i]), std::fabs(chunk[2 * i + 1]));
            peakHold_ = std::max(level, releaseCoeff_ * peakHold_ + (1.0f - releaseCoeff_) * level);
            envelope_ = attackCoeff_ * envelope_ + (1.0f - attackCoeff_) * peakHold_;
        }
        if (envelope_ < 1e-20f) // keep denormals out of silence
            peakHold_ = envelope_ = 0;
        const float target = gainFor(envelope_);
        const float step = (target - gain_) / static_cast<float>(count);
        for (int i = 0; i < count; ++i) {
            const float gain = gain_ + step * static_cast<float>(i + 1);
            chunk[2 * i] *= gain;
            chunk[2 * i + 1] *= gain;
        }
        gain_ = target;
    }
}

} // namespace veza::audio
