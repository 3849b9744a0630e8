#pragma once

#include "metrics/Gauge.h"

#include <QMutex>
#include <atomic>
#include <deque>

namespace veza::metrics {

class MetricsRegistry;

// A gauge holding successes / attempts over a trailing window (e.g. deliveries written to
// sockets over deliveries attempted in the last 5 minutes). Counting is two relaxed atomic
// increments from any thread; the ratio is computed when the registry renders, from samples
// kept one per render, so no timer is needed. 1 when nothing was attempted in the window.
class WindowedRatio
{
public:
    WindowedRatio(MetricsRegistry &registry, const QString &name, const QString &help,
                  qint64 windowMs);

    void recordAttempt(quint64 count = 1)
    {
        m_attempts.fetch_add(count, std::memory_order_relaxed);
    }
    void recordSuccess(quint64 count = 1)
    {
        m_successes.fetch_add(count, std::memory_order_relaxed);
    }

    // Updates the gauge for `nowMs` (monotonic); called by the registry's collector.
    void refresh(qint64 nowMs);

private:
    struct Sample
    {
        qint64 atMs;
        quint64 attempts;
        quint64 successes;
    };

    Gauge &m_gauge;
    const qint64 m_windowMs;
    std::atomic<quint64> m_attempts{0};
    std::atomic<quint64> m_successes{0};
    QMutex m_mutex; // guards m_samples (renders may come from several threads)
    std::deque<Sample> m_samples;
};

} // namespace veza::metrics
