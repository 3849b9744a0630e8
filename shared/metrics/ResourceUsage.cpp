#include "metrics/ResourceUsage.h"

#include "metrics/CgroupV2.h"
#include "metrics/SmallFile.h"

#include <QList>
#include <algorithm>
#include <sched.h>
#include <unistd.h>

namespace veza::metrics {

namespace {

// "MemTotal:  24683784 kB" -> bytes.
double meminfoBytes(const QByteArray &meminfo, const QByteArray &key)
{
    for (const QByteArray &line : meminfo.split('\n')) {
        if (line.startsWith(QByteArray(key + ':')))
            return line.mid(key.size() + 1).simplified().split(' ').value(0).toDouble() * 1024.0;
    }
    return 0;
}

double clockTicksPerSecond()
{
    const long ticks = ::sysconf(_SC_CLK_TCK);
    return ticks > 0 ? double(ticks) : 100.0;
}

} // namespace

ResourceUsage::ResourceUsage(ResourceSources sources)
    : m_sources(std::move(sources))
{
}

double ResourceUsage::allowedCpus() const
{
    if (m_sources.cpus > 0)
        return m_sources.cpus;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
}

ResourceUsage::Sample ResourceUsage::sample() const
{
    const std::optional<CgroupV2> cgroup =
        CgroupV2::locate(m_sources.cgroupRoot, m_sources.procRoot + QStringLiteral("/self/cgroup"));
    if (!cgroup)
        return machineSample();
    const double machineMemory =
        meminfoBytes(readSmallFile(m_sources.procRoot + QStringLiteral("/meminfo")), "MemTotal");
    Sample s;
    s.cgroup = true;
    s.cpuSeconds = cgroup->cpuSeconds().value_or(0);
    // A quota above the CPUs the process may use cannot be used whole.
    s.cpuCores = std::min(cgroup->cpuLimitCores().value_or(allowedCpus()), allowedCpus());
    s.memoryBytes = cgroup->memoryWorkingSetBytes().value_or(0);
    const std::optional<double> limit = cgroup->memoryLimitBytes();
    s.memoryLimitBytes = limit && machineMemory > 0 ? std::min(*limit, machineMemory)
                                                    : limit.value_or(machineMemory);
    return s;
}

ResourceUsage::Sample ResourceUsage::machineSample() const
{
    Sample s;
    // The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ... in clock
    // ticks, summed over every CPU; busy is all but idle and iowait (guest time is in user).
    const QByteArray stat = readSmallFile(m_sources.procRoot + QStringLiteral("/stat"));
    int cpus = 0;
    for (const QByteArray &line : stat.split('\n')) {
        if (line.startsWith("cpu ")) {
            const QList<QByteArray> ticks = line.simplified().split(' ');
            double busy = 0;
            for (int field : {1, 2, 3, 6, 7, 8})
                busy += ticks.value(field).toDouble();
            s.cpuSeconds = busy / clockTicksPerSecond();
        } else if (line.startsWith("cpu")) {
            ++cpus;
        }
    }
    s.cpuCores = cpus;
    const QByteArray meminfo = readSmallFile(m_sources.procRoot + QStringLiteral("/meminfo"));
    s.memoryLimitBytes = meminfoBytes(meminfo, "MemTotal");
    s.memoryBytes = std::max(0.0, s.memoryLimitBytes - meminfoBytes(meminfo, "MemAvailable"));
    return s;
}

double ResourceUsage::cpuPercent(const Sample &before, const Sample &after, double wallSeconds)
{
    if (wallSeconds <= 0 || after.cpuCores <= 0)
        return 0;
    return std::max(0.0, after.cpuSeconds - before.cpuSeconds) / (wallSeconds * after.cpuCores) *
           100.0;
}

double ResourceUsage::memoryPercent(const Sample &sample)
{
    return sample.memoryLimitBytes > 0 ? sample.memoryBytes / sample.memoryLimitBytes * 100.0 : 0;
}

QString ResourceUsage::describe() const
{
    const std::optional<CgroupV2> cgroup =
        CgroupV2::locate(m_sources.cgroupRoot, m_sources.procRoot + QStringLiteral("/self/cgroup"));
    return cgroup ? QStringLiteral("cgroup v2 ") + cgroup->directory() : QStringLiteral("machine");
}

} // namespace veza::metrics
