#pragma once

namespace veza::audio {

// Decides the loudness-normalisation gain: moves it slowly towards (target - measured
// loudness), so the level rides the programme rather than pumping with it.
class LoudnessNormaliser
{
public:
    static constexpr double kMaxGainDb = 20;      // either way
    static constexpr double kRiseDbPerSecond = 3; // raising is the slow, audible direction
    static constexpr double kFallDbPerSecond = 6; // a sudden loud passage comes down sooner
    static constexpr double kTimeConstantS = 1.5; // close to the target, approach smoothly
    static constexpr double kGateLufs = -50;      // below: silence between songs, never raise

    void reset() { gainDb_ = 0; }
    // measuredLufs: short-term loudness of the chain input; precedingGainDb: the user's gain,
    // applied before this stage; seconds: audio since the last update. Returns the new gain.
    double update(double measuredLufs, double targetLufs, double precedingGainDb, double seconds);
    double gainDb() const { return gainDb_; }

private:
    double gainDb_ = 0;
};

} // namespace veza::audio
