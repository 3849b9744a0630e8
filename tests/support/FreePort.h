#pragma once

namespace veza::testing {

// A loopback port free right now, for a server a harness starts (0 when none). The port is
// released before that server binds it; the window is tiny and tests own the machine, which is
// good enough for a harness.
int freeLoopbackPort();

} // namespace veza::testing
