#pragma once

#include "audio/AudioFormat.h"
#include "audio/effects/Compressor.h"
#include "audio/effects/EffectSettings.h"
#include "audio/effects/HighPassFilter.h"
#include "audio/effects/LevelMeter.h"
#include "audio/effects/LoudnessMeter.h"
#include "audio/effects/LoudnessNormaliser.h"
#include "audio/effects/PeakLimiter.h"

#include <atomic>
#include <mutex>

namespace veza::audio {

// The effects of one stream, run on its pipeline thread:
// high-pass -> gain -> loudness normalisation -> compressor (+ make-up) -> limiter -> mute.
// With inactive settings (EffectSettings::active() false) the audio passes bit-identical.
// The limiter's 1 ms look-ahead delays the audio while it is enabled, so switching it on or off
// mid-stream inserts or drops 1 ms once.
class EffectsChain
{
public:
    EffectsChain();

    // Any thread: takes effect at the next process() call (so a PATCH applies within one
    // block, <100 ms). Thread-safe.
    void setSettings(const EffectSettings &settings);
    EffectSettings settings() const;

    // The pipeline thread. In place, 48 kHz stereo.
    // Measures input levels/loudness before and output levels after, always (even when no
    // effect is active).
    void process(PcmBlock &block);

    // Thread-safe snapshots.
    AudioLevels inputLevels() const { return inputMeter_.levels(); }
    AudioLevels outputLevels() const { return outputMeter_.levels(); }
    double inputShortTermLufs() const { return inputLoudness_.shortTermLufs(); }

private:
    // Linear gains, each ramped from `current` to its target across a block.
    struct Gains
    {
        float pre = 1;  // gain + loudness normalisation
        float post = 1; // compressor make-up
        float mute = 1; // 0 when muted
    };

    void adoptPendingSettings();
    Gains targetGains(int frames);
    bool atRest() const;

    mutable std::mutex settingsMutex_;
    EffectSettings pending_; // guarded by settingsMutex_
    std::atomic<bool> settingsChanged_{false};

    // Everything below belongs to the pipeline thread.
    EffectSettings settings_;
    bool started_ = false; // no audio yet: the first block starts at its target gains
    Gains current_;
    HighPassFilter highPass_;
    LoudnessNormaliser normaliser_;
    Compressor compressor_;
    PeakLimiter limiter_;

    LevelMeter inputMeter_;
    LevelMeter outputMeter_;
    LoudnessMeter inputLoudness_;
};

} // namespace veza::audio
