#include "ops/LoopHeartbeat.h"

#include <QTimer>

namespace veza::ops {

LoopHeartbeat::LoopHeartbeat(std::shared_ptr<ThreadHeartbeat> heartbeat, int intervalMs,
                             QObject *parent)
    : QObject(parent)
    , m_heartbeat(std::move(heartbeat))
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(intervalMs);
    connect(m_timer, &QTimer::timeout, this, [this] { m_heartbeat->beat(); });
    // Queued: it runs on the thread this object lives on by then, where the timer must start.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_heartbeat->beat();
            m_timer->start();
        },
        Qt::QueuedConnection);
}

LoopHeartbeat::~LoopHeartbeat()
{
    m_heartbeat->rest();
}

} // namespace veza::ops
