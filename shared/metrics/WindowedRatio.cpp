#include "metrics/WindowedRatio.h"

#include "metrics/MetricsRegistry.h"

#include <QElapsedTimer>

namespace veza::metrics {

WindowedRatio::WindowedRatio(MetricsRegistry &registry, const QString &name, const QString &help,
                             qint64 windowMs)
    : m_gauge(registry.gauge(name, help))
    , m_windowMs(windowMs)
{
    m_gauge.set(1);
    QElapsedTimer clock; // monotonic milliseconds since boot
    clock.start();
    m_samples.push_back({clock.msecsSinceReference(), 0, 0}); // counts start at zero here
    registry.addCollector([this] {
        QElapsedTimer now;
        now.start();
        refresh(now.msecsSinceReference());
    });
}

void WindowedRatio::refresh(qint64 nowMs)
{
    const Sample now{nowMs, m_attempts.load(std::memory_order_relaxed),
                     m_successes.load(std::memory_order_relaxed)};
    QMutexLocker lock(&m_mutex);
    m_samples.push_back(now);
    // Keep the newest sample at or before the window's start, as the baseline.
    while (m_samples.size() > 2 && m_samples[1].atMs <= nowMs - m_windowMs)
        m_samples.pop_front();
    const Sample &base = m_samples.front();
    const quint64 attempts = now.attempts - base.attempts;
    const quint64 successes = now.successes - base.successes;
    m_gauge.set(attempts == 0 ? 1.0 : double(successes) / double(attempts));
}

} // namespace veza::metrics
