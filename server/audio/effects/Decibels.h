#pragma once

#include <algorithm>
#include <cmath>

namespace veza::audio {

// Floor for every level we report: silence reads -120 instead of -inf, so JSON stays valid.
constexpr double kSilenceDbfs = -120.0;

inline double dbToGain(double db)
{
    return std::pow(10.0, db / 20.0);
}

// Amplitude (peak, linear) to dBFS, floored at kSilenceDbfs.
inline double amplitudeToDbfs(double amplitude)
{
    if (!(amplitude > 0.0))
        return kSilenceDbfs;
    return std::max(kSilenceDbfs, 20.0 * std::log10(amplitude));
}

// Mean square (power, linear) to dBFS, floored at kSilenceDbfs.
inline double powerToDbfs(double meanSquare)
{
    if (!(meanSquare > 0.0))
        return kSilenceDbfs;
    return std::max(kSilenceDbfs, 10.0 * std::log10(meanSquare));
}

} // namespace veza::audio
