// The four figures of the chat benchmark. Each prints human-readable lines and one or more
// RESULT lines; returns the process exit code (0 when the scenario ran to the end).
#pragma once

#include "Options.h"

namespace chatbench {

int runIdle(const Options &options);   // connections held, accept+auth rate, RSS/connection
int runFanout(const Options &options); // one room, N receivers, fixed publish rate
int runPeak(const Options &options);   // one room, N receivers, stepped publish rate
int runRooms(const Options &options);  // many small rooms, one sender per room

} // namespace chatbench
