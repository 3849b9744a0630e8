// The chat tool's additions to the RESULT lines (ResultLine.h): failure counts.
#pragma once

#include "ResultLine.h"

#include <string>

namespace chatbench {

struct FleetStats;

// "refused=... failed=... closed=... close_codes=... errors=..." for Result::addFields.
std::string failureFields(const FleetStats &stats);

// One human-readable line about failures and closes (nothing when all went well).
void printFailures(const char *scenario, const FleetStats &stats);

} // namespace chatbench
