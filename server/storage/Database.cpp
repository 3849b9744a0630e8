#include "storage/Database.h"

#include "storage/DatabasePool.h"
#include "storage/Migrator.h"
#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/StorageLog.h"

#include <QSqlError>

namespace veza::storage {

Database::Database(DatabaseOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    const int workers = m_options.url.isSqlite()
                            ? 1 // one writer: SQLite serializes writers anyway
                            : std::max(1, std::min(m_options.poolSize, m_options.maxThreads));
    m_pool = std::make_unique<Pool>(m_options, workers);
}

Database::~Database()
{
    m_pool->stop();
}

std::optional<QString> Database::open()
{
    qCInfo(lcStorage).noquote() << "opening" << m_options.url.redacted() << "with"
                                << m_pool->workers() << "worker connection(s)";
    m_pool->start();
    const Migrator migrator(m_options.url.backend());
    QFuture<std::optional<QString>> result = run([this, &migrator](QSqlDatabase &db) {
        int version = 0;
        auto error = migrator.migrate(db, &version);
        m_schemaVersion = version;
        return error;
    });
    try {
        // Startup only: the main thread has nothing to serve before the schema is ready.
        if (auto error = result.result())
            return error;
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    qCInfo(lcStorage) << "schema version" << m_schemaVersion.load();
    return std::nullopt;
}

QFuture<bool> Database::ping()
{
    return run([](QSqlDatabase &db) {
               sql::exec(db, QStringLiteral("SELECT 1"));
               return true;
           })
        .onFailed([](const std::exception &e) {
            qCWarning(lcStorage) << "ping failed:" << e.what();
            return false;
        });
}

bool Database::waitForIdle(int msecs)
{
    return m_pool->waitForIdle(msecs);
}

int Database::latestSchemaVersion() const
{
    static const int sqlite = Migrator(DatabaseUrl::Backend::Sqlite).latestVersion();
    static const int postgres = Migrator(DatabaseUrl::Backend::Postgresql).latestVersion();
    return m_options.url.isSqlite() ? sqlite : postgres;
}

int Database::workerCount() const
{
    return m_pool->workers();
}

int Database::openConnections() const
{
    return m_pool->open.load();
}

int Database::busyConnections() const
{
    return m_pool->busy.load();
}

int Database::pendingJobs() const
{
    return m_pool->pending();
}

void Database::setQueryObserver(QueryObserver observer)
{
    m_pool->setObservers(&observer, nullptr);
}

void Database::setPoolObserver(PoolObserver observer)
{
    m_pool->setObservers(nullptr, &observer);
}

void Database::setWorkerObserver(WorkerObserver observer)
{
    m_pool->setWorkerObserver(std::move(observer));
}

void Database::enqueue(Job job)
{
    switch (m_pool->enqueue(job, m_options.maxQueuedJobs)) {
    case Pool::Admission::Queued:
        return;
    case Pool::Admission::Stopping:
        return job.fail(std::make_exception_ptr(
            StorageError(QStringLiteral("database is shut down"), QSqlError::ConnectionError)));
    case Pool::Admission::Full:
        m_refusedJobs.fetch_add(1, std::memory_order_relaxed);
        return job.fail(std::make_exception_ptr(StorageError(
            QStringLiteral("database busy: %1 jobs waiting").arg(m_options.maxQueuedJobs),
            QSqlError::ConnectionError)));
    }
}

bool Database::queueIsFull() const
{
    return m_options.maxQueuedJobs > 0 && pendingJobs() >= m_options.maxQueuedJobs;
}

} // namespace veza::storage
