#include "storage/Migrator.h"

#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/StorageLog.h"
#include "storage/Transaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QSqlRecord>
#include <algorithm>

namespace veza::storage {

namespace {

void sortByVersion(QList<Migrator::Migration> &migrations)
{
    std::sort(migrations.begin(), migrations.end(),
              [](const auto &a, const auto &b) { return a.version < b.version; });
}

QSet<int> appliedVersions(QSqlDatabase &db)
{
    QSet<int> versions;
    sql::Query query = sql::exec(db, QStringLiteral("SELECT version FROM schema_version"));
    while (query.next())
        versions.insert(query.value(0).toInt());
    return versions;
}

// Whether schema_version records names and additive flags (schema 13 on).
bool recordsMarking(QSqlDatabase &db)
{
    return db.record(QStringLiteral("schema_version")).contains(QStringLiteral("additive"));
}

QString describe(const Migrator::Unknown &migration)
{
    return migration.name.isEmpty()
               ? QString::number(migration.version)
               : QStringLiteral("%1 (%2)").arg(migration.version).arg(migration.name);
}

} // namespace

Migrator::Migrator(DatabaseUrl::Backend backend)
{
    const QString dir = backend == DatabaseUrl::Backend::Sqlite
                            ? QStringLiteral(":/veza/sql/sqlite")
                            : QStringLiteral(":/veza/sql/postgresql");
    if (auto error = loadDirectory(dir, &m_migrations))
        m_loadError = *error;
}

Migrator::Migrator(QList<Migration> migrations)
    : m_migrations(std::move(migrations))
{
    sortByVersion(m_migrations);
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.last().version;
}

QStringList Migrator::splitStatements(const QString &sql)
{
    QStringList statements;
    QString current;
    const QStringList lines = sql.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1String("--")))
            continue;
        current += line + QLatin1Char('\n');
        if (trimmed.endsWith(QLatin1Char(';'))) {
            QString statement = current.trimmed();
            statement.chop(1); // the ';' (QPSQL and QSQLITE take one statement without it)
            statements << statement.trimmed();
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        statements << current.trimmed(); // last statement without ';'
    return statements;
}

std::optional<QString> Migrator::loadDirectory(const QString &directory,
                                               QList<Migration> *migrations)
{
    static const QRegularExpression namePattern(QStringLiteral("^(\\d+)_([A-Za-z0-9_]+)\\.sql$"));
    const QDir dir(directory);
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return QStringLiteral("no migrations found in %1").arg(directory);
    QSet<int> seen;
    for (const QString &fileName : files) {
        const auto match = namePattern.match(fileName);
        if (!match.hasMatch())
            return QStringLiteral("migration file %1 is not named NNN_name.sql").arg(fileName);
        QFile file(dir.filePath(fileName));
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read migration %1: %2").arg(fileName, file.errorString());
        const QString sql = QString::fromUtf8(file.readAll());
        const std::optional<bool> additive = additiveMarker(sql);
        if (!additive)
            return QStringLiteral("migration %1 has no \"-- veza:additive\" or "
                                  "\"-- veza:not-additive\" line before its first statement")
                .arg(fileName);
        Migration migration;
        migration.version = match.captured(1).toInt();
        migration.name = match.captured(2);
        migration.statements = splitStatements(sql);
        migration.additive = *additive;
        if (migration.version <= 0 || seen.contains(migration.version))
            return QStringLiteral("migration %1 has a duplicate or zero version").arg(fileName);
        seen.insert(migration.version);
        migrations->append(migration);
    }
    sortByVersion(*migrations);
    return std::nullopt;
}

std::optional<bool> Migrator::additiveMarker(const QString &sql)
{
    static const QRegularExpression marker(
        QStringLiteral("^--\\s*veza:\\s*(additive|not-additive)\\s*$"));
    const QStringList lines = sql.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        if (!trimmed.startsWith(QLatin1String("--")))
            return std::nullopt; // the first statement came first
        const QRegularExpressionMatch match = marker.match(trimmed);
        if (match.hasMatch())
            return match.captured(1) == QLatin1String("additive");
    }
    return std::nullopt;
}

QList<Migrator::Unknown> Migrator::unknownMigrations(QSqlDatabase &db) const
{
    QSet<int> known;
    for (const Migration &migration : m_migrations)
        known.insert(migration.version);
    const bool marked = recordsMarking(db);
    sql::Query query = sql::exec(
        db, marked ? QStringLiteral("SELECT version, name, additive FROM schema_version "
                                    "ORDER BY version")
                   : QStringLiteral("SELECT version FROM schema_version ORDER BY version"));
    QList<Unknown> unknown;
    while (query.next()) {
        Unknown migration;
        migration.version = query.value(0).toInt();
        if (known.contains(migration.version))
            continue;
        if (marked) {
            migration.name = query.value(1).toString();
            migration.additive = !query.value(2).isNull() && query.value(2).toBool();
        }
        unknown.append(migration);
    }
    return unknown;
}

std::optional<QString> Migrator::checkUnknown(QSqlDatabase &db) const
{
    const QList<Unknown> unknown = unknownMigrations(db);
    if (unknown.isEmpty())
        return std::nullopt;
    const int newest = unknown.last().version;
    const QString situation =
        newest > latestVersion()
            ? QStringLiteral("database schema version %1 is newer than this binary supports (%2)")
                  .arg(newest)
                  .arg(latestVersion())
            : QStringLiteral("the database has migrations this binary does not know");
    QStringList described;
    for (const Unknown &migration : unknown) {
        if (!migration.additive)
            return QStringLiteral("%1, and its migration %2 is not %3additive: run a binary "
                                  "that has it (expand/contract, docs/operations.md)")
                .arg(situation, describe(migration),
                     migration.name.isEmpty() ? QStringLiteral("recorded as ") : QString());
        described << describe(migration);
    }
    qCWarning(lcStorage).noquote()
        << QStringLiteral("%1: running on it, as its migrations unknown to this binary are all "
                          "additive: %2")
               .arg(situation, described.join(QStringLiteral(", ")));
    return std::nullopt;
}

void Migrator::completeRecords(QSqlDatabase &db) const
{
    QSet<int> incomplete;
    sql::Query query =
        sql::exec(db, QStringLiteral("SELECT version FROM schema_version WHERE additive IS NULL"));
    while (query.next())
        incomplete.insert(query.value(0).toInt());
    for (const Migration &migration : m_migrations) {
        if (incomplete.contains(migration.version))
            sql::exec(db,
                      QStringLiteral("UPDATE schema_version SET name = ?, additive = ? "
                                     "WHERE version = ?"),
                      {migration.name, migration.additive, migration.version});
    }
}

int Migrator::currentVersion(QSqlDatabase &db)
{
    if (!db.tables().contains(QStringLiteral("schema_version")))
        return 0;
    return sql::scalar(db, QStringLiteral("SELECT MAX(version) FROM schema_version"), {}, 0)
        .toInt();
}

std::optional<QString> Migrator::migrate(QSqlDatabase &db, int *version) const
{
    int current = 0;
    try {
        if (!m_loadError.isEmpty())
            return m_loadError;
        // Same statement on both backends; it is idempotent, so it needs no migration itself.
        sql::exec(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                     "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"));
        current = currentVersion(db);
        if (version)
            *version = current;
        if (auto refusal = checkUnknown(db))
            return refusal;
        const bool postgres = db.driverName() == QLatin1String("QPSQL");
        bool marked = recordsMarking(db);
        QSet<int> applied = appliedVersions(db);
        for (const Migration &migration : m_migrations) {
            if (applied.contains(migration.version))
                continue;
            Transaction transaction(db);
            if (postgres) {
                // Two servers starting together: the second waits here, then sees the
                // migration recorded by the first and skips it.
                sql::exec(db, QStringLiteral("LOCK TABLE schema_version IN EXCLUSIVE MODE"));
                applied = appliedVersions(db);
                if (applied.contains(migration.version))
                    continue;
            }
            qCInfo(lcStorage).noquote()
                << "applying migration" << migration.version << migration.name;
            for (const QString &statement : migration.statements)
                sql::exec(db, statement);
            marked = marked || recordsMarking(db); // the migration that adds the columns
            if (marked) {
                sql::exec(db,
                          QStringLiteral("INSERT INTO schema_version (version, applied_at, name, "
                                         "additive) VALUES (?, ?, ?, ?)"),
                          {migration.version, QDateTime::currentMSecsSinceEpoch(), migration.name,
                           migration.additive});
            } else {
                sql::exec(db,
                          QStringLiteral(
                              "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)"),
                          {migration.version, QDateTime::currentMSecsSinceEpoch()});
            }
            transaction.commit();
            applied.insert(migration.version);
            current = std::max(current, migration.version);
            if (version)
                *version = current;
        }
        if (marked)
            completeRecords(db);
    } catch (const StorageError &e) {
        return QStringLiteral("migration failed at schema version %1: %2")
            .arg(current)
            .arg(e.message());
    }
    return std::nullopt;
}

} // namespace veza::storage
