#include "cli/BackupCommand.h"

#include "cli/KeyMaterial.h"
#include "config/ServerConfig.h"
#include "storage/DatabaseUrl.h"
#include "storage/SqliteBackup.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace veza::cli {
namespace {

void print(FILE *stream, const QString &line)
{
    std::fprintf(stream, "%s\n", qPrintable(line));
    std::fflush(stream);
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 2);
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 1);
}

} // namespace

QString BackupCommand::usage()
{
    return QStringLiteral("usage: veza-server backup DEST (a file, or a folder to hold "
                          "veza-<UTC time>.db)");
}

std::optional<BackupCommand> BackupCommand::parse(const QStringList &arguments, QString *error)
{
    if (arguments.size() != 1 || arguments.first().isEmpty()) {
        *error = arguments.isEmpty() ? QStringLiteral("DEST is required; %1").arg(usage())
                                     : QStringLiteral("expected one DEST; %1").arg(usage());
        return std::nullopt;
    }
    if (arguments.first().startsWith(u'-')) {
        *error = QStringLiteral("unknown option \"%1\"; %2").arg(arguments.first(), usage());
        return std::nullopt;
    }
    BackupCommand command;
    command.m_destination = arguments.first();
    return command;
}

int BackupCommand::run(const config::ServerConfig &config, FILE *out, FILE *err) const
{
    // The configuration was validated by ConfigLoader: the URL parses.
    const std::optional<storage::DatabaseUrl> url = storage::DatabaseUrl::parse(config.databaseUrl);
    if (!url) {
        print(err, QStringLiteral("veza-server backup: bad DATABASE_URL"));
        return ExitNotSqlite;
    }
    if (url->isPostgresql()) {
        print(err, QStringLiteral("veza-server backup: DATABASE_URL is PostgreSQL (%1): this "
                                  "command copies SQLite only. Back PostgreSQL up with its own "
                                  "tools: pg_basebackup and WAL archiving, for point-in-time "
                                  "recovery (docs/operations.md, \"Backup and restore\")")
                       .arg(url->redacted()));
        return ExitNotSqlite;
    }
    if (url->isMemory()) {
        print(err, QStringLiteral("veza-server backup: DATABASE_URL is sqlite::memory:, which "
                                  "keeps nothing to back up"));
        return ExitNotSqlite;
    }

    QString target = m_destination;
    if (QFileInfo(target).isDir())
        target = QDir(target).filePath(
            QDateTime::currentDateTimeUtc().toString(u"'veza-'yyyyMMdd'T'HHmmss'Z.db'"));
    const storage::SqliteBackupResult result =
        storage::SqliteBackup(url->sqlitePath(), config.databaseTimeoutMs).copyTo(target);
    if (result.error) {
        print(err, QStringLiteral("veza-server backup: %1").arg(*result.error));
        return ExitFailed;
    }
    print(out, QStringLiteral("backup of %1 written to %2: %3 MB, a snapshot copied in %4 s "
                              "while servers may write; PRAGMA integrity_check: ok (%5 s)")
                   .arg(url->redacted(), target, megabytes(result.bytes), seconds(result.copyMs),
                        seconds(result.checkMs)));
    for (const QString &line : keyMaterialReminder(config))
        print(out, line);
    return 0;
}

} // namespace veza::cli
