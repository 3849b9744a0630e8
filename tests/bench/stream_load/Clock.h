// Monotonic clock of the tool: CLOCK_MONOTONIC nanoseconds.
#pragma once

#include <cstdint>
#include <ctime>

namespace streambench {

inline constexpr int64_t kNsPerMs = 1000000;
inline constexpr int64_t kNsPerS = 1000000000;
inline constexpr int64_t kNever = INT64_MAX;

inline int64_t nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}

inline int64_t secondsNs(double s)
{
    return int64_t(s * double(kNsPerS));
}

} // namespace streambench
