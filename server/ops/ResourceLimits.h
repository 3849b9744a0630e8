#pragma once

namespace veza::ops {

// Raises the soft RLIMIT_NOFILE to the hard limit (each connection is a descriptor) and
// returns the effective soft limit.
long raiseOpenFileLimit();

} // namespace veza::ops
