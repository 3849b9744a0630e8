#include "storage/SqliteBackup.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

namespace veza::storage {
namespace {

constexpr int kBusyRetrySleepMs = 50;
constexpr int kIntegrityLinesShown = 5;

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// One sqlite3 connection, closed when it goes out of scope.
class Connection
{
public:
    Connection() = default;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection() { close(); }

    std::optional<QString> open(const QString &path, int flags, int busyTimeoutMs)
    {
        const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, flags, nullptr);
        if (rc != SQLITE_OK)
            return lastError(rc);
        sqlite3_extended_result_codes(m_db, 1);
        sqlite3_busy_timeout(m_db, busyTimeoutMs);
        return std::nullopt;
    }

    void close()
    {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }

    sqlite3 *handle() const { return m_db; }

    // SQLite's message, with the system's when a read or write failed ("disk I/O error (File
    // too large)").
    QString lastError(int rc) const
    {
        QString message =
            m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString::fromUtf8(sqlite3_errstr(rc));
        const int errorNumber = m_db ? sqlite3_system_errno(m_db) : 0;
        if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ||
            (rc & 0xff) == SQLITE_CANTOPEN) {
            if (errorNumber != 0)
                message += QStringLiteral(" (%1)").arg(systemError(errorNumber));
        }
        return message;
    }

    // The first column of every row of `sql`, or the error.
    std::optional<QStringList> query(const char *sql, QString *error) const
    {
        sqlite3_stmt *statement = nullptr;
        int rc = sqlite3_prepare_v2(m_db, sql, -1, &statement, nullptr);
        QStringList rows;
        while (rc == SQLITE_OK || rc == SQLITE_ROW) {
            rc = sqlite3_step(statement);
            if (rc == SQLITE_ROW)
                rows.append(QString::fromUtf8(
                    reinterpret_cast<const char *>(sqlite3_column_text(statement, 0))));
        }
        sqlite3_finalize(statement);
        if (rc != SQLITE_DONE) {
            *error = lastError(rc);
            return std::nullopt;
        }
        return rows;
    }

private:
    sqlite3 *m_db = nullptr;
};

bool flushToDisk(const QString &path, int openFlags, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), openFlags | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        *error = QStringLiteral("cannot flush %1: %2").arg(path, systemError(errno));
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    ::close(fd);
    return true;
}

void removeTemporary(const QString &temporary)
{
    // The journal too: a rollback journal left beside a removed file would apply to the next.
    QFile::remove(temporary);
    QFile::remove(temporary + QStringLiteral("-journal"));
}

// The path as it will be reached, whether or not it exists yet.
QString resolved(const QString &path)
{
    const QFileInfo info(path);
    const QString folder = info.absoluteDir().canonicalPath();
    return folder.isEmpty() ? info.absoluteFilePath() : QDir(folder).filePath(info.fileName());
}

} // namespace

SqliteBackup::SqliteBackup(QString databasePath, int busyTimeoutMs)
    : m_databasePath(std::move(databasePath))
    , m_busyTimeoutMs(busyTimeoutMs)
{
}

QString SqliteBackup::temporaryPathFor(const QString &target)
{
    return target + QStringLiteral(".tmp");
}

SqliteBackupResult SqliteBackup::copyTo(const QString &target) const
{
    SqliteBackupResult result;
    const QString temporary = temporaryPathFor(target);
    const auto failed = [&result, &temporary](const QString &error) {
        removeTemporary(temporary);
        result.error = error;
        return result;
    };

    if (!QFileInfo(m_databasePath).isFile()) {
        result.error = QStringLiteral("no database at %1: nothing to back up").arg(m_databasePath);
        return result;
    }
    // Renaming over the live database, or over its write-ahead log, would destroy it.
    const QString live = resolved(m_databasePath);
    for (const QString &path : {target, temporary}) {
        for (const char *suffix : {"", "-wal", "-shm", "-journal"}) {
            if (resolved(path) == live + QLatin1String(suffix)) {
                result.error =
                    QStringLiteral("%1 is the live database's own file: choose another target")
                        .arg(path);
                return result;
            }
        }
    }
    removeTemporary(temporary); // what an interrupted run left

    Connection source;
    if (auto error = source.open(m_databasePath, SQLITE_OPEN_READWRITE, m_busyTimeoutMs))
        return failed(QStringLiteral("cannot open %1: %2").arg(m_databasePath, *error));
    Connection copy;
    if (auto error =
            copy.open(temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, m_busyTimeoutMs))
        return failed(QStringLiteral("cannot create %1: %2").arg(temporary, *error));

    QElapsedTimer timer;
    timer.start();
    sqlite3_backup *backup = sqlite3_backup_init(copy.handle(), "main", source.handle(), "main");
    if (!backup)
        return failed(QStringLiteral("cannot copy into %1: %2")
                          .arg(temporary, copy.lastError(sqlite3_errcode(copy.handle()))));
    // -1: every page in one step, under one read transaction, so the copy is one snapshot.
    // Copied in several steps, any write by the server in between would restart it from the
    // first page, and under steady chat traffic it would never end.
    const QDeadlineTimer deadline(3 * qint64(m_busyTimeoutMs));
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(kBusyRetrySleepMs);
    } while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && !deadline.hasExpired());
    sqlite3_backup_finish(backup);
    result.copyMs = timer.elapsed();
    if (rc != SQLITE_DONE) {
        // sqlite3_backup_finish() leaves the step's error on the destination's connection.
        return failed(QStringLiteral("copy into %1 failed: %2").arg(temporary, copy.lastError(rc)));
    }
    source.close();

    // The backup API copies the live header, which says "WAL"; a rollback-journal file is
    // complete by itself. (A restored server puts it back in WAL mode as it opens it.)
    QString error;
    if (!copy.query("PRAGMA journal_mode=DELETE", &error))
        return failed(QStringLiteral("cannot finish %1: %2").arg(temporary, error));
    copy.close();
    if (!flushToDisk(temporary, O_RDONLY, &error))
        return failed(error);

    timer.start();
    Connection check;
    if (auto openError = check.open(temporary, SQLITE_OPEN_READONLY, m_busyTimeoutMs))
        return failed(QStringLiteral("cannot open the copy %1: %2").arg(temporary, *openError));
    // integrity_check looks every row up in each of its indexes: with SQLite's default 2 MB
    // cache that is mostly system calls on a large file (a quarter less CPU with this).
    (void)check.query("PRAGMA cache_size=-262144", &error); // up to 256 MB, as pages are read
    const std::optional<QStringList> verdict = check.query("PRAGMA integrity_check", &error);
    check.close();
    result.checkMs = timer.elapsed();
    if (!verdict)
        return failed(QStringLiteral("PRAGMA integrity_check on %1: %2").arg(temporary, error));
    if (*verdict != QStringList{QStringLiteral("ok")})
        return failed(QStringLiteral("the copy fails PRAGMA integrity_check: %1")
                          .arg(verdict->mid(0, kIntegrityLinesShown).join(u"; ")));

    if (::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(target).constData()) !=
        0)
        return failed(QStringLiteral("cannot rename %1 to %2: %3")
                          .arg(temporary, target, systemError(errno)));
    // The rename itself is on the disk only once the folder is.
    if (!flushToDisk(QFileInfo(target).absolutePath(), O_RDONLY | O_DIRECTORY, &error)) {
        result.error = error;
        return result;
    }
    result.bytes = QFileInfo(target).size();
    return result;
}

} // namespace veza::storage
