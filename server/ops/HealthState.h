#pragma once

#include <QElapsedTimer>
#include <QMutex>
#include <QStringList>
#include <atomic>

namespace veza::ops {

// What /health/live and /health/ready report. Written by the readiness probe and the
// shutdown sequence on the main thread, read by every network thread.
class HealthState
{
public:
    HealthState();

    void setMigrationsApplied(bool applied) { m_migrationsApplied.store(applied); }
    void setDatabaseProblem(const QString &problem); // empty: the database answers
    void setShuttingDown() { m_shuttingDown.store(true); }
    bool shuttingDown() const { return m_shuttingDown.load(); }

    // The main event loop calls this on a timer; liveness fails if it stops ticking.
    void mainLoopHeartbeat();
    qint64 millisSinceMainLoopHeartbeat() const;

    // Empty when ready; otherwise one entry per failing check.
    QStringList readinessProblems() const;
    qint64 uptimeSeconds() const { return m_started.elapsed() / 1000; }

private:
    QElapsedTimer m_started;
    std::atomic<bool> m_migrationsApplied{false};
    std::atomic<bool> m_shuttingDown{false};
    std::atomic<qint64> m_lastHeartbeatMs{0};
    mutable QMutex m_mutex; // guards m_databaseProblem (read only by /health/ready)
    QString m_databaseProblem = QStringLiteral("database: not checked yet");
};

} // namespace veza::ops
