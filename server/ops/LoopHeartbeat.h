#pragma once

#include "ops/ThreadHeartbeat.h"

#include <QObject>
#include <memory>

class QTimer;

namespace veza::ops {

// LoopHeartbeat: beats a thread's heartbeat from a timer of the event loop it lives on, so the
// beats stop while that loop is blocked. Create it, move it to its thread (or give it a parent
// there): it starts once that loop runs, and rests the heartbeat when destroyed (the thread
// ended, which is not a stall). Lives on the thread it watches.
class LoopHeartbeat : public QObject
{
    Q_OBJECT

public:
    static constexpr int kIntervalMs = 1000;

    explicit LoopHeartbeat(std::shared_ptr<ThreadHeartbeat> heartbeat, int intervalMs = kIntervalMs,
                           QObject *parent = nullptr);
    ~LoopHeartbeat() override;

private:
    std::shared_ptr<ThreadHeartbeat> m_heartbeat;
    QTimer *m_timer;
};

} // namespace veza::ops
