#include "storage/DatabasePool.h"

#include "storage/Sql.h"
#include "storage/StatementCache.h"
#include "storage/StorageError.h"
#include "storage/StorageLog.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>

namespace veza::storage {

bool Database::Pool::openConnection(QSqlDatabase &db, bool &counted, QString *error)
{
    const DatabaseUrl &url = m_options.url;
    if (url.isSqlite()) {
        if (!url.isMemory())
            QDir().mkpath(QFileInfo(url.sqlitePath()).absolutePath());
        db.setDatabaseName(url.sqlitePath());
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.timeoutMs));
    } else {
        db.setHostName(url.host());
        db.setPort(url.port());
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setDatabaseName(url.databaseName());
        // libpq's connect_timeout is in whole seconds (and at least 2); statement_timeout
        // bounds every statement on the server side.
        const int connectSeconds = std::max(2, (m_options.timeoutMs + 999) / 1000);
        QString options = QStringLiteral("connect_timeout=%1;application_name=veza-server;"
                                         "options='-c statement_timeout=%2'")
                              .arg(connectSeconds)
                              .arg(m_options.timeoutMs);
        if (!url.connectOptions().isEmpty())
            options += QLatin1Char(';') + url.connectOptions();
        db.setConnectOptions(options);
    }
    if (!db.open()) {
        *error =
            QStringLiteral("cannot connect to %1: %2").arg(url.redacted(), db.lastError().text());
        return false;
    }
    try {
        if (url.isSqlite()) {
            if (!url.isMemory())
                sql::exec(db, QStringLiteral("PRAGMA journal_mode=WAL"));
            // NORMAL (WAL): a commit survives a crash of the process, not a power loss.
            // FULL adds an fdatasync per commit so that it survives that too.
            sql::exec(db, m_options.sqliteFullSync ? QStringLiteral("PRAGMA synchronous=FULL")
                                                   : QStringLiteral("PRAGMA synchronous=NORMAL"));
            sql::exec(db, QStringLiteral("PRAGMA foreign_keys=ON"));
            sql::exec(db, QStringLiteral("PRAGMA busy_timeout=%1").arg(m_options.timeoutMs));
        }
    } catch (const StorageError &e) {
        db.close();
        *error = QStringLiteral("cannot configure %1: %2").arg(url.redacted(), e.message());
        return false;
    }
    if (!counted) {
        counted = true;
        ++open;
        notifyPool();
    }
    return true;
}

bool Database::Pool::alive(QSqlDatabase &db)
{
    QSqlQuery query(db);
    return query.exec(QStringLiteral("SELECT 1")) && query.next();
}

// `counted` tracks this worker's share of `open` separately from db.isOpen(): QPSQL marks a
// connection closed by itself when it notices the server went away.
void Database::Pool::closeConnection(QSqlDatabase &db, bool &counted)
{
    // Prepared statements belong to the server session that ends here.
    if (StatementCache *cache = StatementCache::current(db))
        cache->clear();
    if (db.isOpen())
        db.close();
    if (counted) {
        counted = false;
        --open;
        notifyPool();
    }
}

void Database::Pool::workerMain(int index)
{
    const QString name = QStringLiteral("veza-storage-%1-%2").arg(m_instance).arg(index);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(m_options.url.driverName(), name);
        StatementCache statements(name); // this thread's, gone before the connection is
        bool counted = false;
        quint64 epochSeen = m_brokenEpoch.load();
        for (;;) {
            Job job;
            {
                std::unique_lock lock(m_mutex);
                while (!m_stopping && m_queue.empty()) {
                    m_idleWorkers.push_back(index);
                    m_wake[std::size_t(index)].wait(lock);
                    // Woken by enqueue(), which took this worker off the stack, or spuriously.
                    std::erase(m_idleWorkers, index);
                }
                if (m_queue.empty())
                    break; // stopping and drained
                job = std::move(m_queue.front());
                m_queue.pop_front();
            }
            ++busy;
            notifyWorker(index, true);
            notifyPool();
            QElapsedTimer timer;
            timer.start();

            const quint64 epoch = m_brokenEpoch.load();
            if (epoch != epochSeen) {
                epochSeen = epoch;
                if (db.isOpen() && !alive(db))
                    closeConnection(db, counted);
            }
            bool ok = false;
            QString error;
            if (!db.isOpen() && !openConnection(db, counted, &error)) {
                qCWarning(lcStorage).noquote() << error;
                closeConnection(db, counted);
                epochSeen = ++m_brokenEpoch;
                job.fail(std::make_exception_ptr(StorageError(error, QSqlError::ConnectionError)));
            } else {
                try {
                    job.run(db);
                    ok = true;
                } catch (...) {
                    job.fail(std::current_exception());
                }
                // A failed job may mean a dead connection (server restarted): check it now
                // so the next job gets a fresh one.
                if (!ok && (!db.isOpen() || !alive(db))) {
                    qCWarning(lcStorage) << "connection" << name << "lost; reopening on next use";
                    closeConnection(db, counted);
                    epochSeen = ++m_brokenEpoch;
                }
            }
            job = {}; // release the promise and captures before reporting idle
            notifyQuery(timer.nsecsElapsed() / 1e9, ok);
            --busy;
            notifyWorker(index, false);
            notifyPool();
            {
                std::lock_guard lock(m_mutex);
                if (--m_pending == 0)
                    m_idle.notify_all();
            }
        }
        closeConnection(db, counted);
    }
    // Only after the last QSqlDatabase handle for it is gone, and on the thread that used it.
    QSqlDatabase::removeDatabase(name);
}

} // namespace veza::storage
