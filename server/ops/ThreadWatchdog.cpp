#include "ops/ThreadWatchdog.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcLiveness, "veza.health")

namespace veza::ops {

ThreadWatchdog::ThreadWatchdog(qint64 stallMs)
    : m_stallMs(stallMs)
{
}

std::shared_ptr<ThreadHeartbeat> ThreadWatchdog::add(const QString &name)
{
    auto heartbeat = std::make_shared<ThreadHeartbeat>(name);
    QMutexLocker lock(&m_mutex);
    m_threads.push_back({heartbeat, false});
    return heartbeat;
}

QStringList ThreadWatchdog::stalled() const
{
    const qint64 now = monotonicMs();
    QStringList stalled;
    QMutexLocker lock(&m_mutex);
    for (Watched &thread : m_threads) {
        const qint64 silent = thread.heartbeat->silentMs(now);
        const bool stuck = silent > m_stallMs;
        const QString &name = thread.heartbeat->name();
        if (stuck) {
            stalled.append(QStringLiteral("%1: no progress for %2 s").arg(name).arg(silent / 1000));
            if (!thread.reported)
                qCWarning(lcLiveness).noquote() << "thread" << name << "has made no progress for"
                                                << silent / 1000 << "s - /health/live answers 503";
        } else if (thread.reported) {
            qCInfo(lcLiveness).noquote() << "thread" << name << "makes progress again";
        }
        thread.reported = stuck;
    }
    return stalled;
}

int ThreadWatchdog::size() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_threads.size());
}

} // namespace veza::ops
