#include "audio/effects/LoudnessNormaliser.h"

#include <algorithm>
#include <cmath>

namespace veza::audio {

double LoudnessNormaliser::update(double measuredLufs, double targetLufs, double precedingGainDb,
                                  double seconds)
{
    double wanted =
        std::clamp(targetLufs - (measuredLufs + precedingGainDb), -kMaxGainDb, kMaxGainDb);
    if (measuredLufs < kGateLufs)
        wanted = std::min(wanted, gainDb_);

    // First-order approach, with the speed capped in each direction.
    const double difference = wanted - gainDb_;
    double change = difference * (1.0 - std::exp(-seconds / kTimeConstantS));
    change = std::clamp(change, -kFallDbPerSecond * seconds, kRiseDbPerSecond * seconds);
    gainDb_ += change;
    return gainDb_;
}

} // namespace veza::audio
