#pragma once

namespace veza {
// The commit the binary was built from (12 hex digits), or "unknown" when the build could not
// tell (no git, not a checkout); -DVEZA_COMMIT=... sets it for builds from a source archive.
// Defined in a file generated at every build (shared/GitCommit.cmake).
extern const char kCommit[];
} // namespace veza
