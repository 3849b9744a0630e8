#pragma once

#include <QString>
#include <QStringList>
#include <cstdio>
#include <optional>

namespace veza::config {
struct ServerConfig;
}

// `veza-server backup DEST`: an online, consistent copy of the configured SQLite database
// (DATABASE_URL) into DEST, or into DEST/veza-<UTC time>.db when DEST is a folder, while
// servers keep serving: written beside it as DEST.tmp, checked with PRAGMA integrity_check,
// renamed into place only then (storage::SqliteBackup). Prints what it copied and where the
// key material the copy needs lives (it is not in the database). PostgreSQL is refused: its
// own tools do that job (docs/operations.md, "Backup and restore").
// Parsed before the configuration is loaded; run on the main thread, no server started.
namespace veza::cli {

class BackupCommand
{
public:
    // Exit statuses besides 0 (the copy is in place and passed the check) and 2 (usage or
    // configuration error, PostgreSQL or an in-memory database included).
    static constexpr int ExitFailed = 1; // nothing was written at DEST
    static constexpr int ExitNotSqlite = 2;

    // The arguments after "backup". Returns nothing and sets *error (one line) when they are
    // not acceptable.
    static std::optional<BackupCommand> parse(const QStringList &arguments, QString *error);
    static QString usage();

    // Copies the configured database; the result on `out`, failures on `err`. Returns the exit
    // status.
    int run(const config::ServerConfig &config, FILE *out, FILE *err) const;

    QString destination() const { return m_destination; }

private:
    BackupCommand() = default;

    QString m_destination;
};

} // namespace veza::cli
