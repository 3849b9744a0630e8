#pragma once

#include "MonotonicClock.h"
#include "audio/input/SourceBuffer.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QThread>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

// Test stand-ins for the network side of a source: a thread that pushes bytes the way a socket
// delivers them, and a timer that aborts the buffer.
namespace veza::audio::test {

// Pushes `bytes` from its own thread in random-sized chunks (1..4000 bytes, seeded so every run
// cuts them the same way) with a short pause now and then, and an optional long pause (a stalled
// source) once pauseAtByte bytes are in. Closes the buffer at the end unless told not to.
class SourceFeeder
{
public:
    struct Plan
    {
        QByteArray bytes;
        bool closeAtEnd = true;
        quint32 seed = 1;
        qsizetype pauseAtByte = -1;
        int pauseMs = 0;
    };

    SourceFeeder(SourceBuffer &buffer, Plan plan)
        : m_buffer(buffer)
        , m_plan(std::move(plan))
        , m_thread([this] { run(); })
    {
    }
    ~SourceFeeder()
    {
        m_stop = true;
        m_thread.join();
    }
    SourceFeeder(const SourceFeeder &) = delete;
    SourceFeeder &operator=(const SourceFeeder &) = delete;

private:
    void run()
    {
        QRandomGenerator random(m_plan.seed);
        const QByteArrayView all(m_plan.bytes);
        qsizetype pos = 0;
        bool paused = false;
        while (pos < all.size() && !m_stop) {
            if (!paused && m_plan.pauseAtByte >= 0 && pos >= m_plan.pauseAtByte) {
                QThread::msleep(m_plan.pauseMs);
                paused = true;
            }
            qsizetype chunk = qMin<qsizetype>(random.bounded(1, 4001), all.size() - pos);
            if (!paused && m_plan.pauseAtByte > pos)
                chunk = qMin(chunk, m_plan.pauseAtByte - pos);
            if (!m_buffer.push(all.sliced(pos, chunk), monotonicNs())) {
                QThread::msleep(1); // full: the reader is behind, wait like a socket would
                continue;
            }
            pos += chunk;
            if (random.bounded(10) == 0)
                QThread::msleep(random.bounded(1, 10));
        }
        if (m_plan.closeAtEnd && !m_stop)
            m_buffer.close();
    }

    SourceBuffer &m_buffer;
    const Plan m_plan;
    std::atomic<bool> m_stop{false};
    std::thread m_thread; // last: starts once the members above exist
};

// Aborts the buffer after `ms` unless destroyed first: a shutdown in the abort tests, a
// safety net against hangs in the others.
class AbortTimer
{
public:
    AbortTimer(SourceBuffer &buffer, int ms)
        : m_thread([this, &buffer, ms] {
            std::unique_lock lock(m_mutex);
            if (!m_cancelled.wait_for(lock, std::chrono::milliseconds(ms),
                                      [this] { return m_done; })) {
                m_abortedAtNs = monotonicNs();
                buffer.abort();
            }
        })
    {
    }
    ~AbortTimer()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_cancelled.notify_all();
        m_thread.join();
    }
    AbortTimer(const AbortTimer &) = delete;
    AbortTimer &operator=(const AbortTimer &) = delete;

    qint64 abortedAtNs() const { return m_abortedAtNs; } // 0: not (yet) aborted

private:
    std::mutex m_mutex;
    std::condition_variable m_cancelled;
    bool m_done = false;
    std::atomic<qint64> m_abortedAtNs{0};
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace veza::audio::test
