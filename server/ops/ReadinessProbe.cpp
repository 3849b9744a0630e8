#include "ops/ReadinessProbe.h"

#include "storage/Database.h"

#include <QFuture>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcReadiness, "veza.health")

namespace veza::ops {

ReadinessProbe::ReadinessProbe(storage::Database &database, HealthState &health, int timeoutMs,
                               int intervalMs, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_health(health)
    , m_timeoutMs(timeoutMs)
{
    m_interval.setInterval(intervalMs);
    connect(&m_interval, &QTimer::timeout, this, &ReadinessProbe::probe);
}

void ReadinessProbe::start()
{
    probe();
    m_interval.start();
}

void ReadinessProbe::probe()
{
    // A full queue would refuse the ping: say so (a ping in flight meanwhile is overtaken).
    if (m_database.queueIsFull()) {
        settle(++m_probeId, QStringLiteral("database: job queue full (%1 jobs waiting)")
                                .arg(m_database.pendingJobs()));
        return;
    }
    // A ping that hangs must not pile up new ones behind it; the deadline below reports it.
    if (m_inFlight)
        return;
    m_inFlight = true;
    const quint64 id = ++m_probeId;
    QTimer::singleShot(m_timeoutMs, this, [this, id] {
        settle(id, QStringLiteral("database: no answer within %1 ms").arg(m_timeoutMs));
    });
    m_database.ping().then(this, [this, id](bool ok) {
        m_inFlight = false;
        settle(id, ok ? QString() : QStringLiteral("database: query failed"));
    });
}

void ReadinessProbe::settle(quint64 probeId, const QString &problem)
{
    if (probeId != m_probeId)
        return;
    m_health.setDatabaseProblem(problem);
    Q_EMIT settled();
    // Log transitions only: a probe every second must not flood the log.
    const bool failing = !problem.isEmpty();
    if (failing == m_failing)
        return;
    m_failing = failing;
    if (failing)
        qCWarning(lcReadiness).noquote() << problem << "- /health/ready answers 503";
    else
        qCInfo(lcReadiness) << "database answers again - /health/ready answers 200";
}

} // namespace veza::ops
