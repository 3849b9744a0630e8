#include "ops/HealthState.h"

namespace veza::ops {

HealthState::HealthState(qint64 stallMs)
    : m_threads(stallMs)
{
    m_started.start();
}

void HealthState::setDatabaseProblem(const QString &problem)
{
    QMutexLocker lock(&m_mutex);
    m_databaseProblem = problem;
}

void HealthState::setRedisProblem(const QString &problem)
{
    QMutexLocker lock(&m_mutex);
    m_redisProblem = problem;
}

QStringList HealthState::degradations() const
{
    QMutexLocker lock(&m_mutex);
    return m_redisProblem.isEmpty() ? QStringList()
                                    : QStringList{QStringLiteral("redis: ") + m_redisProblem};
}

QStringList HealthState::readinessProblems() const
{
    QStringList problems;
    if (m_shuttingDown.load())
        problems.append(QStringLiteral("shutting down"));
    if (!m_migrationsApplied.load())
        problems.append(QStringLiteral("database: migrations not applied"));
    QMutexLocker lock(&m_mutex);
    if (!m_databaseProblem.isEmpty())
        problems.append(m_databaseProblem);
    return problems;
}

} // namespace veza::ops
