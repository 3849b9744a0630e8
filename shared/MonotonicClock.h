#pragma once

#include <QtGlobal>
#include <chrono>

namespace veza {

// steady_clock readings: for deadlines, heartbeats and latencies, never for wall time.
inline qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

inline qint64 monotonicMs()
{
    return monotonicNs() / 1000000;
}

} // namespace veza
