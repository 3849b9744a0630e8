// One steady open-loop run over a RoomTraffic that is set up: publish at a fixed rate for
// --duration seconds, drain for --drain seconds, print the figures (fanout and rooms).
#pragma once

#include "Options.h"
#include "RoomTraffic.h"

#include <cstdint>
#include <functional>

namespace chatbench {

int runSteady(const Options &options, RoomTraffic &traffic, const char *figure, double rate,
              const std::function<uint32_t(uint64_t)> &senderOf);

// Prints the set-up outcome; false when nothing useful can be measured.
bool reportSetUp(const char *figure, RoomTraffic &traffic, bool complete, int64_t startNs);

} // namespace chatbench
