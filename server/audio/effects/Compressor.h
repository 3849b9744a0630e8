#pragma once

#include "audio/effects/EffectSettings.h"

namespace veza::audio {

// Feed-forward compressor on interleaved stereo at 48 kHz: a stereo-linked peak detector with
// attack/release, a 6 dB soft knee, and a gain computed every kControlFrames frames (one
// log/pow per 16 frames instead of per sample) and interpolated linearly in between.
// Make-up gain is not applied here: the chain ramps it together with its other gains.
class Compressor
{
public:
    static constexpr int kControlFrames = 16;
    static constexpr double kKneeDb = 6.0;

    void configure(const EffectSettings::Compressor &settings);
    void reset();
    void process(float *samples, int frames);
    // The gain (linear, <= 1) applied to the last frame processed.
    float gain() const { return gain_; }

private:
    float gainFor(float envelope) const;

    float attackCoeff_ = 0;
    float releaseCoeff_ = 0;
    double thresholdDb_ = -18;
    double slope_ = 1.0 / 4.0 - 1.0; // dB of gain per dB above threshold: 1/ratio - 1
    float peakHold_ = 0;             // peak detector with release
    float envelope_ = 0;             // ... smoothed with the attack time
    float gain_ = 1;
};

} // namespace veza::audio
