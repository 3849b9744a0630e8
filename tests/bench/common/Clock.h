// Monotonic clock shared by the tool and the bodies it sends: CLOCK_MONOTONIC nanoseconds.
#pragma once

// Shared by the benchmark tools, compiled into each tool's own namespace.
#ifndef BENCH_NAMESPACE
#error "define BENCH_NAMESPACE, the namespace of the tool this is compiled into"
#endif

#include <cstdint>
#include <ctime>

namespace BENCH_NAMESPACE {

inline constexpr int64_t kNsPerMs = 1000000;
inline constexpr int64_t kNsPerS = 1000000000;
inline constexpr int64_t kNever = INT64_MAX;

inline int64_t nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * kNsPerS + ts.tv_nsec;
}

// The monotonic time of a wall-clock instant (ms since the epoch): several processes given the
// same instant start together, and their CLOCK_MONOTONIC stamps stay comparable.
inline int64_t monotonicNsOfEpochMs(int64_t epochMs)
{
    timespec wall, mono;
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    const int64_t wallNs = int64_t(wall.tv_sec) * kNsPerS + wall.tv_nsec;
    const int64_t monoNs = int64_t(mono.tv_sec) * kNsPerS + mono.tv_nsec;
    return monoNs + (epochMs * kNsPerMs - wallNs);
}

inline int64_t secondsNs(double s)
{
    return int64_t(s * double(kNsPerS));
}

} // namespace BENCH_NAMESPACE
