#pragma once

#include "MonotonicClock.h"

#include <QString>
#include <algorithm>
#include <atomic>
#include <limits>

namespace veza::ops {

// The progress mark of one thread that serves users, for /health/live: the thread beats when
// it makes progress (an event loop from a timer, a database worker as it takes a job) and
// rests while it waits for work, which is not being stuck however long it lasts. Written by
// its thread, read by any (the network threads answering /health/live); lock-free.
class ThreadHeartbeat
{
public:
    explicit ThreadHeartbeat(QString name)
        : m_name(std::move(name))
    {
        beat();
    }

    const QString &name() const { return m_name; }
    void beat() { m_lastBeatMs.store(monotonicMs(), std::memory_order_relaxed); }
    void rest() { m_lastBeatMs.store(kResting, std::memory_order_relaxed); }

    // How long the thread has gone without progress at `nowMs` (monotonic ms); 0 at rest.
    qint64 silentMs(qint64 nowMs) const
    {
        const qint64 last = m_lastBeatMs.load(std::memory_order_relaxed);
        return last == kResting ? 0 : std::max<qint64>(0, nowMs - last);
    }

private:
    static constexpr qint64 kResting = std::numeric_limits<qint64>::min();

    const QString m_name;
    std::atomic<qint64> m_lastBeatMs{kResting};
};

} // namespace veza::ops
