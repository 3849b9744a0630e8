#pragma once

#include "audio/AudioFormat.h"

#include <span>
#include <vector>

namespace veza::audio::test {

// A stereo sine (same on both channels, amplitude 0.5) cut into blocks whose lengths cycle
// through `blockMs`; block i has captureNs = i + 1 so tests can tell blocks apart.
std::vector<PcmBlock> sineBlocks(double frequency, double seconds, std::span<const int> blockMs);

// The strongest frequency (Hz) between 50 Hz and 4 kHz in mono 48 kHz audio, from a Goertzel
// sweep over one second in the middle: coarse with a short window, then fine around the peak.
double dominantFrequency(std::span<const float> mono);

} // namespace veza::audio::test
