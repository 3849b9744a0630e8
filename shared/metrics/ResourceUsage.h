#pragma once

#include <QString>

namespace veza::metrics {

// Where ResourceUsage reads: the real files by default; tests point it at files they write.
struct ResourceSources
{
    QString cgroupRoot = QStringLiteral("/sys/fs/cgroup");
    QString procRoot = QStringLiteral("/proc");
    int cpus = 0; // CPUs this process may run on; 0: ask the kernel (its affinity mask)
};

// What the server's container uses of the CPU and memory it may use, as cpu_usage_percent and
// memory_usage_percent report it: the cgroup v2 the process runs in, relative to the cgroup's
// limits when one is set (else the machine's CPUs and memory); without cgroup v2, the whole
// machine's use (/proc/stat, /proc/meminfo) relative to the machine.
// sample() reads a few small files; any thread.
class ResourceUsage
{
public:
    struct Sample
    {
        bool cgroup = false;    // from the process's cgroup v2, else the machine
        double cpuSeconds = 0;  // CPU time used so far (cgroup: its processes; machine: all)
        double cpuCores = 0;    // the CPU it may use, in cores
        double memoryBytes = 0; // in use (cgroup: working set; machine: total - available)
        double memoryLimitBytes = 0;
    };

    explicit ResourceUsage(ResourceSources sources = {});

    Sample sample() const;

    // CPU use between two samples `wallSeconds` apart, as a percentage of what may be used
    // (100: every allowed core busy the whole time); 0 without an interval or a capacity.
    static double cpuPercent(const Sample &before, const Sample &after, double wallSeconds);
    static double memoryPercent(const Sample &sample);

    // Where the figures come from, for the start-up log: "cgroup v2 /sys/fs/cgroup/..." or
    // "machine".
    QString describe() const;

private:
    Sample machineSample() const;
    double allowedCpus() const;

    ResourceSources m_sources;
};

} // namespace veza::metrics
