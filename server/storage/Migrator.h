#pragma once

#include "storage/DatabaseUrl.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

namespace veza::storage {

// Migrator: brings a database's schema up to date from numbered SQL files
// (":/veza/sql/<backend>/NNN_name.sql", see resources/sql/README.md).
// Each migration runs in its own transaction and is recorded in schema_version in that same
// transaction, so an interrupted upgrade resumes at the first migration not recorded.
// A database whose version is newer than the binary's latest migration is refused.
// Runs inside a database job, on the worker thread that owns the connection.
class Migrator
{
public:
    struct Migration
    {
        int version = 0;
        QString name;
        QStringList statements;
    };

    // Loads the migrations compiled in for `backend`; check loadError() afterwards.
    explicit Migrator(DatabaseUrl::Backend backend);
    // Uses the given migrations instead (tests); they are sorted by version.
    explicit Migrator(QList<Migration> migrations);

    QString loadError() const { return m_loadError; }
    const QList<Migration> &migrations() const { return m_migrations; }
    int latestVersion() const;

    // Applies what is missing. Returns an error message, or nullopt on success; `version`
    // receives the schema version the database is at afterwards (also on failure).
    std::optional<QString> migrate(QSqlDatabase &db, int *version = nullptr) const;

    // Highest recorded version (0 for an empty database); throws StorageError.
    static int currentVersion(QSqlDatabase &db);

    // Splits a migration file into statements: a statement ends at a line whose text ends
    // with ';'. Lines that are only "--" comments are dropped.
    static QStringList splitStatements(const QString &sql);

    // Reads every "NNN_name.sql" file in `directory`; returns an error message on failure.
    static std::optional<QString> loadDirectory(const QString &directory,
                                                QList<Migration> *migrations);

private:
    QList<Migration> m_migrations;
    QString m_loadError;
};

} // namespace veza::storage
