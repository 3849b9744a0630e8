#pragma once

// Internal to veza_storage (not for users of Database): the worker pool behind Database.

#include "storage/Database.h"
#include "storage/StorageError.h"

#include <QThread>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace veza::storage {

// Database::Pool: a job queue shared by N worker threads, each with its own named connection
// (QtSql connections are per thread). Queue and counters are shared and guarded by m_mutex or
// atomic; each worker is the only user of its connection. Created on the main thread.
//
// A job wakes the worker that went idle last (a stack, not a queue): under a steady load the
// same few workers, and so the same few database sessions, do the work while the others
// sleep. Waking them in turn spread 1,000 commits a second over all 32 PostgreSQL sessions,
// each cold in the caches and each a process the database host has to schedule.
class Database::Pool
{
public:
    Pool(const DatabaseOptions &options, int workers)
        : m_options(options)
        , m_workers(workers)
        , m_wake(std::size_t(workers))
    {
        static std::atomic<int> instances{0};
        m_instance = ++instances;
    }

    ~Pool() { stop(); }

    void start()
    {
        std::lock_guard lock(m_mutex);
        if (!m_threads.empty() || m_stopping)
            return;
        for (int i = 0; i < m_workers; ++i) {
            std::unique_ptr<QThread> thread(QThread::create([this, i] { workerMain(i); }));
            thread->setObjectName(QStringLiteral("veza-db-%1").arg(i));
            thread->start();
            m_threads.push_back(std::move(thread));
        }
    }

    // Drains the queue (nothing accepted is dropped), then joins the workers.
    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        for (auto &wake : m_wake)
            wake.notify_all();
        for (auto &thread : m_threads)
            thread->wait();
        m_threads.clear();
        // Only reachable when the workers never started (open() not called): fail what was
        // queued rather than leaving futures that never finish.
        std::deque<Job> leftover;
        {
            std::lock_guard lock(m_mutex);
            leftover.swap(m_queue);
            m_pending = 0;
        }
        for (Job &job : leftover) {
            job.fail(std::make_exception_ptr(StorageError(
                QStringLiteral("database was never opened"), QSqlError::ConnectionError)));
        }
        m_idle.notify_all();
    }

    enum class Admission { Queued, Stopping, Full };

    // `maxPending`: jobs queued or running past which new ones are refused (0: no bound).
    Admission enqueue(Job &job, int maxPending)
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return Admission::Stopping;
            if (maxPending > 0 && m_pending >= maxPending)
                return Admission::Full;
            m_queue.push_back(std::move(job));
            ++m_pending;
            if (!m_idleWorkers.empty()) {
                m_wake[std::size_t(m_idleWorkers.back())].notify_one();
                m_idleWorkers.pop_back();
            }
        }
        return Admission::Queued;
    }

    bool waitForIdle(int msecs)
    {
        std::unique_lock lock(m_mutex);
        const auto idle = [this] { return m_pending == 0; };
        if (msecs < 0) {
            m_idle.wait(lock, idle);
            return true;
        }
        return m_idle.wait_for(lock, std::chrono::milliseconds(msecs), idle);
    }

    int pending() const
    {
        std::lock_guard lock(m_mutex);
        return m_pending;
    }

    int workers() const { return m_workers; }
    std::atomic<int> open{0};
    std::atomic<int> busy{0};

    // Observers may be replaced while workers run; each call works on a snapshot.
    void setObservers(QueryObserver *query, PoolObserver *pool)
    {
        std::lock_guard lock(m_observerMutex);
        if (query)
            m_queryObserver = std::make_shared<const QueryObserver>(std::move(*query));
        if (pool)
            m_poolObserver = std::make_shared<const PoolObserver>(std::move(*pool));
    }

    void setWorkerObserver(WorkerObserver observer)
    {
        std::lock_guard lock(m_observerMutex);
        m_workerObserver = std::make_shared<const WorkerObserver>(std::move(observer));
    }

private:
    void workerMain(int index);
    bool openConnection(QSqlDatabase &db, bool &counted, QString *error);
    static bool alive(QSqlDatabase &db);
    void closeConnection(QSqlDatabase &db, bool &counted);
    void notifyPool()
    {
        std::shared_ptr<const PoolObserver> observer;
        {
            std::lock_guard lock(m_observerMutex);
            observer = m_poolObserver;
        }
        if (observer && *observer)
            (*observer)(open.load(), busy.load());
    }
    void notifyWorker(int index, bool busy)
    {
        std::shared_ptr<const WorkerObserver> observer;
        {
            std::lock_guard lock(m_observerMutex);
            observer = m_workerObserver;
        }
        if (observer && *observer)
            (*observer)(index, busy);
    }
    void notifyQuery(double seconds, bool ok)
    {
        std::shared_ptr<const QueryObserver> observer;
        {
            std::lock_guard lock(m_observerMutex);
            observer = m_queryObserver;
        }
        if (observer && *observer)
            (*observer)(seconds, ok);
    }

    const DatabaseOptions m_options;
    const int m_workers;
    int m_instance = 0;
    mutable std::mutex m_mutex;
    std::vector<std::condition_variable> m_wake; // one per worker
    std::vector<int> m_idleWorkers;              // waiting for a job, the last to go idle last
    std::condition_variable m_idle;
    std::deque<Job> m_queue;
    int m_pending = 0; // queued + running
    bool m_stopping = false;
    std::vector<std::unique_ptr<QThread>> m_threads;
    // Bumped whenever a worker finds the server unreachable: the other workers then check
    // their own connection before their next job instead of failing that job.
    std::atomic<quint64> m_brokenEpoch{0};
    std::mutex m_observerMutex;
    std::shared_ptr<const QueryObserver> m_queryObserver;
    std::shared_ptr<const PoolObserver> m_poolObserver;
    std::shared_ptr<const WorkerObserver> m_workerObserver;
};

} // namespace veza::storage
