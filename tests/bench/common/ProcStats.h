// The benchmarked server's resident memory and CPU time, read from /proc/<pid>, and the
// tool's own CPU time (to tell when the tool, not the server, is the limit).
#pragma once

// Shared by the benchmark tools, compiled into each tool's own namespace.
#ifndef BENCH_NAMESPACE
#error "define BENCH_NAMESPACE, the namespace of the tool this is compiled into"
#endif

#include <cstdint>

namespace BENCH_NAMESPACE {

struct ProcSample
{
    bool ok = false;
    int64_t atNs = 0;
    int64_t rssKb = 0;    // VmRSS, kB
    int64_t cpuTicks = 0; // utime + stime, clock ticks
    // When the process is pinned to one core: that core's busy and total time (/proc/stat,
    // ticks), which also shows kernel work on the process's behalf not charged to it.
    int core = -1;
    int64_t coreBusy = 0;
    int64_t coreTotal = 0;
};

ProcSample sampleProcess(int pid);

// VmRSS of a sample, -1 if it failed (the process is gone).
inline double rssKbOf(const ProcSample &sample)
{
    return sample.ok ? double(sample.rssKb) : -1;
}

// CPU used between two samples, in percent of one core; -1 if a sample failed.
double cpuPercent(const ProcSample &from, const ProcSample &to);
// Busy time of the process's core between two samples, percent; -1 if not pinned to one.
double corePercent(const ProcSample &from, const ProcSample &to);

// The tool's own user + system CPU time, nanoseconds.
int64_t selfCpuNs();

// Tracks the maximum RSS of a process, sampling at most every `periodNs`.
class RssWatch
{
public:
    RssWatch(int pid, int64_t periodNs)
        : m_pid(pid)
        , m_periodNs(periodNs)
    {
    }
    void poll(int64_t now);
    int64_t maxKb() const { return m_maxKb > 0 ? m_maxKb : -1; }

private:
    int m_pid;
    int64_t m_periodNs;
    int64_t m_nextNs = 0;
    int64_t m_maxKb = 0;
};

} // namespace BENCH_NAMESPACE
