#pragma once

#include "metrics/MetricsRegistry.h"

#include <QByteArray>
#include <memory>
#include <optional>

namespace veza::metrics {

// ProcessMetrics: registers the process_* metrics (CPU seconds, resident and virtual memory,
// open and maximum file descriptors, start time) on a registry, and refreshes them from /proc
// through a registry collector at every scrape. Linux only. (cpu_usage_percent and
// memory_usage_percent are the container's: ResourceMetrics.)
// Thread-safety: construct once; the refresh runs inside MetricsRegistry::render(), which
// serialises collectors. The collector owns its state, so the registry may outlive this object.
class ProcessMetrics
{
public:
    explicit ProcessMetrics(MetricsRegistry &registry);
    ~ProcessMetrics();
    ProcessMetrics(const ProcessMetrics &) = delete;
    ProcessMetrics &operator=(const ProcessMetrics &) = delete;

    // The /proc/<pid>/stat fields used here (proc(5) numbering in comments).
    struct StatFields
    {
        quint64 utimeTicks = 0;     // 14
        quint64 stimeTicks = 0;     // 15
        quint64 startTimeTicks = 0; // 22, since boot
        quint64 virtualBytes = 0;   // 23
        qint64 residentPages = 0;   // 24
    };
    // Parses one /proc/<pid>/stat line. Fields are counted after the last ')' because the
    // command name in parentheses may itself contain spaces and parentheses.
    static std::optional<StatFields> parseStat(const QByteArray &statLine);

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace veza::metrics
