#pragma once

#include "storage/DatabaseUrl.h"

#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QSqlDatabase>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace veza::storage {

struct DatabaseOptions
{
    DatabaseUrl url;
    int poolSize = 4;            // PostgreSQL worker connections wanted
    int maxThreads = 16;         // cap on worker threads (e.g. the BLOCKING_THREADS setting)
    int timeoutMs = 5000;        // statement/connect timeout (PostgreSQL), busy timeout (SQLite)
    bool sqliteFullSync = false; // SQLite synchronous=FULL instead of NORMAL
    // Jobs queued or running past which run() refuses new ones at once (their future fails
    // with "database busy"), so a stalled database costs bounded memory and callers answer
    // "unavailable" instead of waiting without end. 0: no bound.
    int maxQueuedJobs = 10000;
};

// Database: the persistence entry point. Created, opened and destroyed on the main thread.
//
// It owns worker threads, each holding its own QSqlDatabase connection (QtSql connections
// must stay on the thread that opened them). Jobs queued with run() execute on a worker, so
// database work never blocks a network thread; results and exceptions come back through the
// returned QFuture (use QFuture::then(context, ...) to continue on the caller's thread).
//
// Pool: PostgreSQL uses min(poolSize, maxThreads) workers; SQLite uses exactly one writer
// worker (WAL, synchronous=NORMAL or FULL, busy_timeout, foreign_keys=ON), which serializes
// writes.
// A connection that fails is closed and reopened on its next job, so a PostgreSQL restart
// heals without restarting the server. run(), ping(), waitForIdle() and the accessors are
// thread-safe; open() and the destructor belong to the main thread.
class Database : public QObject
{
    Q_OBJECT

public:
    using QueryObserver = std::function<void(double seconds, bool ok)>;
    using PoolObserver = std::function<void(int open, int busy)>;
    using WorkerObserver = std::function<void(int worker, bool busy)>;

    explicit Database(DatabaseOptions options, QObject *parent = nullptr);
    // Runs every queued job, then closes the connections on their threads.
    ~Database() override;

    // Starts the workers, connects and applies migrations; blocks (startup only).
    // Returns an error message on failure. Jobs queued before open() wait for it.
    std::optional<QString> open();

    // Queues `job(QSqlDatabase &)` on a worker connection. The future carries the job's
    // return value, or the exception it threw (StorageError when the connection could not
    // be opened or the database is shut down).
    template <typename F> auto run(F job) -> QFuture<std::invoke_result_t<F &, QSqlDatabase &>>;

    // "SELECT 1" on a worker, bounded by the timeouts; never blocks the caller. Resolves to
    // false on any failure (the connection is then reopened on its next use). It waits in
    // the queue behind earlier jobs, so callers still guard it with their own timer.
    QFuture<bool> ping();

    // Blocks until every job accepted so far has run, or `msecs` passed (-1: forever).
    // Returns true when idle. For graceful shutdown.
    bool waitForIdle(int msecs);

    int schemaVersion() const { return m_schemaVersion.load(); }
    int latestSchemaVersion() const;
    const DatabaseOptions &options() const { return m_options; }
    int workerCount() const;     // threads (and at most that many connections)
    int openConnections() const; // thread-safe
    int busyConnections() const; // thread-safe
    int pendingJobs() const;     // queued plus running, thread-safe
    bool queueIsFull() const;    // run() refuses new jobs now (DatabaseOptions::maxQueuedJobs)
    qint64 refusedJobs() const { return m_refusedJobs.load(std::memory_order_relaxed); }

    // Observers are called on worker threads, after each job (query: duration, and whether
    // it completed without exception) or whenever the number of open or busy connections
    // changes (pool). They may be set or cleared at any time; they must be thread-safe.
    void setQueryObserver(QueryObserver observer);
    void setPoolObserver(PoolObserver observer);
    // Called on worker `worker`'s own thread (0 .. workerCount() - 1) as it takes a job (busy)
    // and when it is done with it: a worker busy for long is stuck, an idle one is not.
    void setWorkerObserver(WorkerObserver observer);

private:
    struct Job
    {
        std::function<void(QSqlDatabase &)> run;      // sets the result; may throw
        std::function<void(std::exception_ptr)> fail; // reports an exception instead
    };
    class Pool;

    void enqueue(Job job);

    DatabaseOptions m_options;
    std::unique_ptr<Pool> m_pool;
    std::atomic<int> m_schemaVersion{0};
    std::atomic<qint64> m_refusedJobs{0};
};

template <typename F>
auto Database::run(F job) -> QFuture<std::invoke_result_t<F &, QSqlDatabase &>>
{
    using T = std::invoke_result_t<F &, QSqlDatabase &>;
    // std::function needs copyable callables; QPromise and some jobs are move-only.
    auto promise = std::make_shared<QPromise<T>>();
    auto callable = std::make_shared<F>(std::move(job));
    QFuture<T> future = promise->future();
    promise->start();
    enqueue(Job{[promise, callable](QSqlDatabase &db) {
                    if constexpr (std::is_void_v<T>) {
                        (*callable)(db);
                    } else {
                        promise->addResult((*callable)(db));
                    }
                    promise->finish();
                },
                [promise](std::exception_ptr error) {
                    promise->setException(error);
                    promise->finish();
                }});
    return future;
}

} // namespace veza::storage
