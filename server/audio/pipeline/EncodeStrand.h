#pragma once

#include <QMutex>
#include <QThreadPool>
#include <QWaitCondition>
#include <deque>
#include <functional>

namespace veza::audio {

// Runs its jobs one at a time and in order on a shared thread pool: one rendition's encoder
// state is touched by one job at a time, while the renditions of every stream share the pool's
// threads (a thread per rendition would be thousands of mostly idle threads).
class EncodeStrand
{
public:
    explicit EncodeStrand(QThreadPool &pool);
    ~EncodeStrand(); // waits for the job running now, drops the queued ones

    EncodeStrand(const EncodeStrand &) = delete;
    EncodeStrand &operator=(const EncodeStrand &) = delete;

    // Any thread.
    void post(std::function<void()> job);
    qsizetype queued() const;
    // No job queued nor running.
    bool idle() const;

private:
    void drain();

    QThreadPool &m_pool;
    mutable QMutex m_mutex;
    std::deque<std::function<void()>> m_jobs;
    bool m_scheduled = false;
    bool m_closing = false;
    QWaitCondition *m_idle = nullptr;
};

} // namespace veza::audio
