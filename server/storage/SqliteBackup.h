#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace veza::storage {

struct SqliteBackupResult
{
    std::optional<QString> error; // set when no copy was made (nothing is left at the target)
    qint64 bytes = 0;             // size of the copy
    qint64 copyMs = 0;            // the read snapshot held on the live database
    qint64 checkMs = 0;           // PRAGMA integrity_check on the copy
};

// SqliteBackup: an online, consistent copy of a live SQLite database (WAL mode) into one
// self-contained file, while servers keep writing to it.
//
// The copy is SQLite's online backup API in one step: it reads every page under a single read
// transaction, a snapshot that in WAL mode blocks no writer (only the WAL's checkpoint waits
// for it to end), and copies the pages as they are, so it costs little more than reading the
// file. It is written to "<target>.tmp", flushed, checked with PRAGMA integrity_check, and only
// then renamed over the target (the folder flushed too): a target that exists is complete. On
// any failure the temporary file is removed. The live database is never created nor migrated.
// Plain value, blocking; used on the main thread of `veza-server backup`.
class SqliteBackup
{
public:
    // `busyTimeoutMs`: how long to wait for a lock (a WAL recovery by another process).
    SqliteBackup(QString databasePath, int busyTimeoutMs);

    SqliteBackupResult copyTo(const QString &target) const;

    static QString temporaryPathFor(const QString &target);

private:
    QString m_databasePath;
    int m_busyTimeoutMs;
};

} // namespace veza::storage
