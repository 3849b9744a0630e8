#pragma once

#include "ops/ThreadWatchdog.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QStringList>
#include <atomic>

namespace veza::ops {

// What /health/live and /health/ready report. Written by the readiness probe and the
// shutdown sequence on the main thread, the threads' heartbeats by their threads, read by
// every network thread.
class HealthState
{
public:
    explicit HealthState(qint64 stallMs = ThreadWatchdog::kStallMs);

    void setMigrationsApplied(bool applied) { m_migrationsApplied.store(applied); }
    void setDatabaseProblem(const QString &problem); // empty: the database answers
    // Redis (REDIS_URL) unreachable: this instance still serves its own connections, so it
    // stays ready, but says it is degraded. Empty: reachable, or no Redis.
    void setRedisProblem(const QString &problem);
    void setShuttingDown() { m_shuttingDown.store(true); }
    bool shuttingDown() const { return m_shuttingDown.load(); }

    // The threads that serve users: liveness fails while one of them makes no progress.
    ThreadWatchdog &threads() { return m_threads; }
    const ThreadWatchdog &threads() const { return m_threads; }
    // Empty when alive; otherwise one entry per stalled thread, naming it.
    QStringList livenessProblems() const { return m_threads.stalled(); }

    // Empty when ready; otherwise one entry per failing check.
    QStringList readinessProblems() const;
    // What works less well without making the instance unready ("redis: ...").
    QStringList degradations() const;
    qint64 uptimeSeconds() const { return m_started.elapsed() / 1000; }

private:
    QElapsedTimer m_started;
    std::atomic<bool> m_migrationsApplied{false};
    std::atomic<bool> m_shuttingDown{false};
    ThreadWatchdog m_threads;
    mutable QMutex m_mutex; // guards the problems (read by /health/ready)
    QString m_databaseProblem = QStringLiteral("database: not checked yet");
    QString m_redisProblem;
};

} // namespace veza::ops
