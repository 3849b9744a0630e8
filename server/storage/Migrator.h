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
// transaction, with its name and whether it is additive (schema 13), so an interrupted upgrade
// resumes at the first migration not recorded.
// Expand/contract: a database with migrations this binary does not know (a newer release's) is
// used as it is when every one of them is recorded additive (the binary's queries still work on
// it: a rollback), and refused otherwise, naming the first that is not.
// Runs inside a database job, on the worker thread that owns the connection.
class Migrator
{
public:
    struct Migration
    {
        int version = 0;
        QString name;
        QStringList statements;
        // Only adds what a binary of the previous schema ignores (its file's marker line,
        // `-- veza:additive`, against `-- veza:not-additive`).
        bool additive = false;
    };
    // A migration recorded in schema_version that this binary does not have.
    struct Unknown
    {
        int version = 0;
        QString name;          // empty when not recorded
        bool additive = false; // false also when not recorded
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
    // The recorded migrations this binary does not have, in version order; throws StorageError.
    QList<Unknown> unknownMigrations(QSqlDatabase &db) const;

    // Whether a migration file is marked additive: true or false from its marker line, which
    // must come before the first statement; nullopt when it has none.
    static std::optional<bool> additiveMarker(const QString &sql);

    // Splits a migration file into statements: a statement ends at a line whose text ends
    // with ';'. Lines that are only "--" comments are dropped.
    static QStringList splitStatements(const QString &sql);

    // Reads every "NNN_name.sql" file in `directory`; returns an error message on failure.
    static std::optional<QString> loadDirectory(const QString &directory,
                                                QList<Migration> *migrations);

private:
    // Refuses a database with unknown migrations unless all are additive (then logs them).
    std::optional<QString> checkUnknown(QSqlDatabase &db) const;
    // Fills the name and additive flag of rows recorded before schema 13 (known versions only).
    void completeRecords(QSqlDatabase &db) const;

    QList<Migration> m_migrations;
    QString m_loadError;
};

} // namespace veza::storage
