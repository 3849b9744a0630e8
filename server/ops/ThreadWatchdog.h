#pragma once

#include "ops/ThreadHeartbeat.h"

#include <QMutex>
#include <QStringList>
#include <memory>
#include <vector>

namespace veza::ops {

// ThreadWatchdog: the heartbeats of the threads that serve users (the main thread, the network
// threads, the chat thread, the database workers) and which of them made no progress for
// longer than the stall limit: what /health/live fails on. add() at start-up; stalled() from
// any thread (the network threads answer /health/live). A thread's stall and its recovery are
// logged once each, when stalled() sees them.
class ThreadWatchdog
{
public:
    // Long enough for any job the server runs on those threads (statements are bounded by
    // DATABASE_TIMEOUT_MS, 5 s by default), short next to the guide's liveness probe (3 failed
    // checks 30 s apart).
    static constexpr qint64 kStallMs = 10000;

    explicit ThreadWatchdog(qint64 stallMs = kStallMs);

    // The heartbeat of a thread named `name`; the watchdog keeps it for its lifetime, the
    // thread's side (a LoopHeartbeat, a database observer) may keep it longer.
    std::shared_ptr<ThreadHeartbeat> add(const QString &name);

    // "veza-chat: no progress for 12 s", one entry per stalled thread, in the order added.
    QStringList stalled() const;
    int size() const;
    qint64 stallMs() const { return m_stallMs; }

private:
    struct Watched
    {
        std::shared_ptr<ThreadHeartbeat> heartbeat;
        bool reported = false; // its stall was logged
    };

    const qint64 m_stallMs;
    mutable QMutex m_mutex;
    mutable std::vector<Watched> m_threads;
};

} // namespace veza::ops
