#pragma once

#include <QString>
#include <optional>

namespace veza::metrics {

// CgroupV2: what the kernel's cgroup v2 files say about the cgroup this process runs in (a
// container's, or a systemd service's): CPU time used, memory in use, and the CPU and memory
// limits set on it or on any cgroup above it (the tightest one applies).
// Reads a few small files per call; any thread.
class CgroupV2
{
public:
    // The process's cgroup under `mountRoot` (normally /sys/fs/cgroup), from the "0::PATH" line
    // of `selfCgroupFile` (normally /proc/self/cgroup); the mount root itself when that path
    // is not under it (a container's private cgroup namespace shows "/"). Empty when
    // `mountRoot` is not a cgroup v2 hierarchy (cgroup v1, or nothing mounted).
    static std::optional<CgroupV2> locate(const QString &mountRoot, const QString &selfCgroupFile);

    const QString &directory() const { return m_directory; }

    // cpu.stat usage_usec, in seconds: the CPU time of every process of the cgroup.
    std::optional<double> cpuSeconds() const;
    // The smallest cpu.max quota / period of the cgroup and its parents, in cores; empty when
    // none sets one ("max").
    std::optional<double> cpuLimitCores() const;
    // memory.current less the inactive file cache of memory.stat (which the kernel reclaims
    // before it runs out): the working set, as the kubelet counts it against the limit.
    std::optional<double> memoryWorkingSetBytes() const;
    // The smallest memory.max of the cgroup and its parents; empty when none sets one.
    std::optional<double> memoryLimitBytes() const;

    // One value of a "key value" file (cpu.stat, memory.stat).
    static std::optional<double> keyedValue(const QByteArray &text, const QByteArray &key);

private:
    CgroupV2(QString mountRoot, QString directory);
    // The cgroup's directory, then each parent up to the mount root (which has no limits).
    QStringList limitDirectories() const;

    QString m_mountRoot;
    QString m_directory;
};

} // namespace veza::metrics
