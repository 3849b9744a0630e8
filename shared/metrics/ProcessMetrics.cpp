#include "metrics/ProcessMetrics.h"

#include "metrics/SmallFile.h"

#include <QList>
#include <dirent.h>
#include <limits>
#include <sys/resource.h>
#include <unistd.h>

namespace veza::metrics {

namespace {

QByteArray readProcFile(const char *path)
{
    return readSmallFile(QString::fromLatin1(path));
}

// Entries of /proc/self/fd, not counting the descriptor the listing itself holds open.
double countOpenFds()
{
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return 0;
    int entries = 0;
    while (const dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.')
            ++entries;
    }
    ::closedir(dir);
    return entries > 0 ? entries - 1 : 0;
}

double maxFds()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur == RLIM_INFINITY)
        return std::numeric_limits<double>::infinity();
    return static_cast<double>(limit.rlim_cur);
}

// Boot time in unix seconds, the "btime" line of /proc/stat.
std::optional<quint64> bootTime()
{
    const QByteArray stat = readProcFile("/proc/stat");
    for (const QByteArray &line : stat.split('\n')) {
        if (line.startsWith("btime ")) {
            bool ok = false;
            const quint64 value = line.mid(6).trimmed().toULongLong(&ok);
            if (ok)
                return value;
        }
    }
    return std::nullopt;
}

} // namespace

struct ProcessMetrics::State
{
    Counter *cpuSeconds = nullptr;
    Gauge *residentBytes = nullptr;
    Gauge *virtualBytes = nullptr;
    Gauge *openFds = nullptr;
    Gauge *maxFds = nullptr;
    Gauge *startTime = nullptr;

    double ticksPerSecond = 100;
    double pageSize = 4096;

    void collect()
    {
        const std::optional<StatFields> stat = parseStat(readProcFile("/proc/self/stat"));
        if (stat) {
            const double cpu = double(stat->utimeTicks + stat->stimeTicks) / ticksPerSecond;
            // The counter tracks the kernel's figure by adding the difference; the kernel value
            // never decreases, so this keeps the counter exactly equal to it.
            const double delta = cpu - cpuSeconds->value();
            if (delta > 0)
                cpuSeconds->inc(delta);

            const double rss = double(stat->residentPages) * pageSize;
            residentBytes->set(rss);
            virtualBytes->set(double(stat->virtualBytes));
        }
        openFds->set(countOpenFds());
        maxFds->set(metrics::maxFds());
    }
};

std::optional<ProcessMetrics::StatFields> ProcessMetrics::parseStat(const QByteArray &statLine)
{
    const qsizetype close = statLine.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    // After ")": field 3 (state) onwards, separated by single spaces.
    const QList<QByteArray> fields = statLine.mid(close + 1).simplified().split(' ');
    auto field = [&fields](int number) { return fields.value(number - 3); };
    constexpr int lastNeeded = 24;
    if (fields.size() < lastNeeded - 2)
        return std::nullopt;
    StatFields out;
    bool ok[5] = {};
    out.utimeTicks = field(14).toULongLong(&ok[0]);
    out.stimeTicks = field(15).toULongLong(&ok[1]);
    out.startTimeTicks = field(22).toULongLong(&ok[2]);
    out.virtualBytes = field(23).toULongLong(&ok[3]);
    out.residentPages = field(24).toLongLong(&ok[4]);
    for (bool b : ok) {
        if (!b)
            return std::nullopt;
    }
    return out;
}

ProcessMetrics::ProcessMetrics(MetricsRegistry &registry)
    : m_state(std::make_shared<State>())
{
    State &s = *m_state;
    s.cpuSeconds = &registry.counter(QStringLiteral("process_cpu_seconds_total"),
                                     QStringLiteral("User and system CPU time used, in seconds."));
    s.residentBytes = &registry.gauge(QStringLiteral("process_resident_memory_bytes"),
                                      QStringLiteral("Resident memory size in bytes."));
    s.virtualBytes = &registry.gauge(QStringLiteral("process_virtual_memory_bytes"),
                                     QStringLiteral("Virtual memory size in bytes."));
    s.openFds = &registry.gauge(QStringLiteral("process_open_fds"),
                                QStringLiteral("Number of open file descriptors."));
    s.maxFds = &registry.gauge(QStringLiteral("process_max_fds"),
                               QStringLiteral("Maximum number of open file descriptors."));
    s.startTime =
        &registry.gauge(QStringLiteral("process_start_time_seconds"),
                        QStringLiteral("Start time of the process since unix epoch in seconds."));

    const long ticks = ::sysconf(_SC_CLK_TCK);
    if (ticks > 0)
        s.ticksPerSecond = double(ticks);
    const long page = ::sysconf(_SC_PAGESIZE);
    if (page > 0)
        s.pageSize = double(page);

    // The start time never changes: computed once, not at every scrape.
    const std::optional<StatFields> stat = parseStat(readProcFile("/proc/self/stat"));
    const std::optional<quint64> boot = bootTime();
    if (stat && boot)
        s.startTime->set(double(*boot) + double(stat->startTimeTicks) / s.ticksPerSecond);

    // First sample now, so the gauges are meaningful before the first scrape.
    s.collect();
    registry.addCollector([state = m_state] { state->collect(); });
}

ProcessMetrics::~ProcessMetrics() = default;

} // namespace veza::metrics
