#include "audio/pipeline/EncodeStrand.h"

#include <QWaitCondition>

namespace veza::audio {

EncodeStrand::EncodeStrand(QThreadPool &pool)
    : m_pool(pool)
{
}

EncodeStrand::~EncodeStrand()
{
    QMutexLocker lock(&m_mutex);
    m_closing = true;
    m_jobs.clear();
    QWaitCondition idle;
    m_idle = &idle;
    while (m_scheduled)
        idle.wait(&m_mutex);
}

void EncodeStrand::post(std::function<void()> job)
{
    QMutexLocker lock(&m_mutex);
    if (m_closing)
        return;
    m_jobs.push_back(std::move(job));
    if (m_scheduled)
        return;
    m_scheduled = true;
    lock.unlock();
    m_pool.start([this] { drain(); });
}

qsizetype EncodeStrand::queued() const
{
    QMutexLocker lock(&m_mutex);
    return qsizetype(m_jobs.size());
}

bool EncodeStrand::idle() const
{
    QMutexLocker lock(&m_mutex);
    return !m_scheduled;
}

void EncodeStrand::drain()
{
    QMutexLocker lock(&m_mutex);
    while (!m_jobs.empty()) {
        std::function<void()> job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        job();
        lock.relock();
    }
    m_scheduled = false;
    if (m_idle)
        m_idle->wakeAll();
}

} // namespace veza::audio
