#include "audio/effects/EffectsChain.h"

#include "audio/effects/Decibels.h"
#include "audio/effects/GainRamp.h"

#include <algorithm>

namespace veza::audio {

EffectsChain::EffectsChain()
{
    compressor_.configure(settings_.compressor);
    limiter_.configure(settings_.limiter.ceilingDb);
}

void EffectsChain::setSettings(const EffectSettings &settings)
{
    std::lock_guard lock(settingsMutex_);
    pending_ = settings;
    settingsChanged_.store(true, std::memory_order_release);
}

EffectSettings EffectsChain::settings() const
{
    std::lock_guard lock(settingsMutex_);
    return pending_;
}

void EffectsChain::adoptPendingSettings()
{
    if (!settingsChanged_.exchange(false, std::memory_order_acquire))
        return;
    EffectSettings next;
    {
        std::lock_guard lock(settingsMutex_);
        next = pending_;
    }
    if (next.highPassHz != settings_.highPassHz) {
        if (next.highPassHz > 0)
            highPass_.configure(next.highPassHz);
        if (settings_.highPassHz <= 0) // switched on: start from rest, not from old state
            highPass_.reset();
    }
    if (next.compressor.enabled && !settings_.compressor.enabled)
        compressor_.reset();
    if (!next.compressor.enabled && settings_.compressor.enabled) {
        // Release the compressor's gain reduction through the ramped post gain, not in a step.
        current_.post *= compressor_.gain();
    }
    compressor_.configure(next.compressor);
    limiter_.configure(next.limiter.ceilingDb);
    if (next.limiter.enabled && !settings_.limiter.enabled)
        limiter_.reset();
    if (!next.loudness.enabled)
        normaliser_.reset();
    settings_ = next;
}

EffectsChain::Gains EffectsChain::targetGains(int frames)
{
    double preDb = settings_.gainDb;
    if (settings_.loudness.enabled)
        preDb += normaliser_.update(inputLoudness_.shortTermLufs(), settings_.loudness.targetLufs,
                                    settings_.gainDb, static_cast<double>(frames) / kSampleRate);
    Gains target;
    target.pre = static_cast<float>(dbToGain(preDb));
    target.post = settings_.compressor.enabled
                      ? static_cast<float>(dbToGain(settings_.compressor.makeupDb))
                      : 1;
    target.mute = settings_.mute ? 0 : 1;
    return target;
}

bool EffectsChain::atRest() const
{
    return !settings_.active() && current_.pre == 1 && current_.post == 1 && current_.mute == 1;
}

void EffectsChain::process(PcmBlock &block)
{
    inputMeter_.add(block);
    inputLoudness_.add(block);
    adoptPendingSettings();

    const int frames = block.frames();
    const Gains target = targetGains(frames);
    if (!started_ && frames > 0) {
        current_ = target;
        started_ = true;
    }
    if (atRest() || frames == 0) {
        outputMeter_.add(block);
        return;
    }

    float *samples = block.samples.data();
    if (settings_.highPassHz > 0)
        highPass_.process(samples, frames);
    applyGainRamp(samples, frames, current_.pre, target.pre);
    if (settings_.compressor.enabled)
        compressor_.process(samples, frames);
    applyGainRamp(samples, frames, current_.post, target.post);
    if (settings_.limiter.enabled)
        limiter_.process(samples, frames);
    if (current_.mute == 0 && target.mute == 0)
        std::fill(block.samples.begin(), block.samples.end(), 0.0f); // exact zeros, not -0
    else
        applyGainRamp(samples, frames, current_.mute, target.mute);
    current_ = target;

    outputMeter_.add(block);
}

} // namespace veza::audio
