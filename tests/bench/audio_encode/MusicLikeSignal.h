#pragma once

#include "audio/AudioFormat.h"

#include <vector>

namespace veza::audio::bench {

// `seconds` of deterministic stereo audio that keeps an encoder about as busy as music does:
// a bass line and a chord changing every half second, tremolo, a hi-hat of noise bursts and a
// noise floor, panned differently left and right. Cut into blocks of `blockMs`.
std::vector<PcmBlock> musicLikeBlocks(int seconds, int blockMs);

} // namespace veza::audio::bench
