#pragma once

#include "ops/HealthState.h"

#include <QObject>
#include <QTimer>

namespace veza::storage {
class Database;
}

namespace veza::ops {

// Asks the database "SELECT 1" every interval and records in HealthState whether it answered
// within DATABASE_TIMEOUT_MS, so /health/ready answers at once from the last result instead of
// waiting on the database from a network thread. Main thread.
class ReadinessProbe : public QObject
{
    Q_OBJECT

public:
    ReadinessProbe(storage::Database &database, HealthState &health, int timeoutMs, int intervalMs,
                   QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    // A probe's result was recorded in HealthState (every interval).
    void settled();

private:
    void probe();
    void settle(quint64 probeId, const QString &problem);

    storage::Database &m_database;
    HealthState &m_health;
    const int m_timeoutMs;
    QTimer m_interval;
    quint64 m_probeId = 0;
    bool m_inFlight = false;
    bool m_failing = false;
};

} // namespace veza::ops
