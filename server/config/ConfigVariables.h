#pragma once

#include <QLatin1StringView>
#include <span>

namespace veza::config {

// Whether the running binary acts on a variable today, or only parses and validates it
// because the feature arrives in a later release.
// NotNeeded: a variable of the production guide this server has no use for (the meaning says
// why); parsed and validated like the others, so a guide's environment file works unchanged.
enum class Activity { Active, NotActiveYet, NotNeeded };

// One environment variable the server reads: the single source for parsing, `--help`,
// `--check-config` and docs/configuration.md (a test keeps the doc in step with this table).
struct ConfigVariable
{
    QLatin1StringView group;
    QLatin1StringView name;
    QLatin1StringView defaultValue; // empty: unset by default
    QLatin1StringView meaning;
    Activity activity = Activity::Active;
    bool secret = false;
};

std::span<const ConfigVariable> configVariables();
const ConfigVariable *findConfigVariable(QLatin1StringView name);

} // namespace veza::config
