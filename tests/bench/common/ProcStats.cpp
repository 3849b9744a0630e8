#include "ProcStats.h"

#include "Clock.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

namespace BENCH_NAMESPACE {
namespace {

// Reads a small /proc file into buf (NUL-terminated); false if it cannot be read.
bool readProcFile(const char *path, char *buf, size_t size)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t used = 0;
    while (used + 1 < size) {
        const ssize_t n = ::read(fd, buf + used, size - 1 - used);
        if (n <= 0)
            break;
        used += size_t(n);
    }
    ::close(fd);
    buf[used] = '\0';
    return used > 0;
}

// The one core `pid` may run on, or -1.
int pinnedCore(int pid)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(pid, sizeof set, &set) != 0 || CPU_COUNT(&set) != 1)
        return -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set))
            return cpu;
    }
    return -1;
}

// "cpuN user nice system idle iowait irq softirq steal ..." from /proc/stat.
bool readCore(int core, int64_t &busy, int64_t &total)
{
    char buf[8192];
    if (!readProcFile("/proc/stat", buf, sizeof buf))
        return false;
    char key[24];
    std::snprintf(key, sizeof key, "\ncpu%d ", core);
    const char *p = std::strstr(buf, key);
    if (!p)
        return false;
    p += std::strlen(key);
    int64_t fields[8] = {};
    for (int64_t &field : fields) {
        char *end = nullptr;
        field = std::strtoll(p, &end, 10);
        p = end;
    }
    total = 0;
    for (const int64_t field : fields)
        total += field;
    busy = total - fields[3] - fields[4]; // minus idle and iowait
    return true;
}

} // namespace

ProcSample sampleProcess(int pid)
{
    ProcSample sample;
    if (pid <= 0)
        return sample;
    sample.atNs = nowNs();
    char path[64];
    char buf[4096];

    std::snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (!readProcFile(path, buf, sizeof buf))
        return sample;
    if (const char *rss = std::strstr(buf, "VmRSS:"))
        sample.rssKb = std::strtoll(rss + 6, nullptr, 10);

    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (!readProcFile(path, buf, sizeof buf))
        return sample;
    // Fields after "(comm)": state is field 3, utime 14, stime 15.
    const char *p = std::strrchr(buf, ')');
    if (!p)
        return sample;
    ++p;
    int64_t fields[13] = {};
    for (int field = 3; field <= 15; ++field) {
        while (*p == ' ')
            ++p;
        if (field == 3) {
            ++p; // the state letter
            continue;
        }
        char *end = nullptr;
        fields[field - 3] = std::strtoll(p, &end, 10);
        p = end;
    }
    sample.cpuTicks = fields[11] + fields[12];
    sample.ok = true;
    sample.core = pinnedCore(pid);
    if (sample.core >= 0 && !readCore(sample.core, sample.coreBusy, sample.coreTotal))
        sample.core = -1;
    return sample;
}

double cpuPercent(const ProcSample &from, const ProcSample &to)
{
    if (!from.ok || !to.ok || to.atNs <= from.atNs)
        return -1;
    const double ticksPerS = double(sysconf(_SC_CLK_TCK));
    const double cpuS = double(to.cpuTicks - from.cpuTicks) / ticksPerS;
    return 100.0 * cpuS / (double(to.atNs - from.atNs) / double(kNsPerS));
}

double corePercent(const ProcSample &from, const ProcSample &to)
{
    if (!from.ok || !to.ok || from.core < 0 || from.core != to.core ||
        to.coreTotal <= from.coreTotal)
        return -1;
    return 100.0 * double(to.coreBusy - from.coreBusy) / double(to.coreTotal - from.coreTotal);
}

int64_t selfCpuNs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto ns = [](const timeval &tv) { return int64_t(tv.tv_sec) * kNsPerS + tv.tv_usec * 1000; };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

void RssWatch::poll(int64_t now)
{
    if (m_pid <= 0 || now < m_nextNs)
        return;
    m_nextNs = now + m_periodNs;
    const ProcSample sample = sampleProcess(m_pid);
    if (sample.ok)
        m_maxKb = std::max(m_maxKb, sample.rssKb);
}

} // namespace BENCH_NAMESPACE
