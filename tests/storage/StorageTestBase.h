#pragma once

// Shared fixture for the storage tests: every data-driven case gets a row per backend
// ("sqlite": a file in a temp dir; "postgresql": a fresh database on a PostgresHarness),
// and every call to fresh() hands out a new, empty database. Main (test) thread only.

#include "storage/Database.h"
#include "storage/Sql.h"
#include "support/PostgresHarness.h"

#include <QTemporaryDir>
#include <QtTest>
#include <memory>

namespace veza::testing {

// A bare user row (what the chat and streaming stores refer to); returns its id.
inline qint64 insertUser(storage::Database &db, const QString &name, qint64 createdAtMs)
{
    return db
        .run([name, createdAtMs](QSqlDatabase &c) {
            return storage::sql::scalar(
                       c,
                       QStringLiteral("INSERT INTO users (name, created_at) VALUES (?, ?) "
                                      "RETURNING id"),
                       {name, createdAtMs})
                .toLongLong();
        })
        .result();
}

class StorageTestBase : public QObject
{
    Q_OBJECT

protected:
    // Adds the "backend" column with one row per backend.
    static void addBackendRows()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    // Options for a new empty database on `backend`; fails the test (returns nullopt) if the
    // database cannot be created.
    std::optional<storage::DatabaseOptions> fresh(const QString &backend, int poolSize = 4)
    {
        QString url;
        const QString name = QStringLiteral("t%1").arg(++m_counter);
        if (backend == QLatin1String("sqlite")) {
            url = QStringLiteral("sqlite://") + m_dir.filePath(name + QStringLiteral(".db"));
        } else {
            const auto created = m_pg.createDatabase(name);
            if (!created) {
                qWarning("%s", qPrintable(m_pg.errorString()));
                return std::nullopt;
            }
            url = *created;
        }
        QString error;
        const auto parsed = storage::DatabaseUrl::parse(url, &error);
        if (!parsed) {
            qWarning("%s", qPrintable(error));
            return std::nullopt;
        }
        storage::DatabaseOptions options;
        options.url = *parsed;
        options.poolSize = poolSize;
        options.maxThreads = 8;
        options.timeoutMs = 5000;
        return options;
    }

    // Opens a Database on a fresh database; nullptr (with a warning) on failure.
    std::unique_ptr<storage::Database> openFresh(const QString &backend, int poolSize = 4)
    {
        const auto options = fresh(backend, poolSize);
        if (!options)
            return nullptr;
        auto db = std::make_unique<storage::Database>(*options);
        if (const auto error = db->open()) {
            qWarning("open failed: %s", qPrintable(*error));
            return nullptr;
        }
        return db;
    }

    // Starts PostgreSQL once; a missing installation fails loudly (no skip).
    bool ensurePostgres()
    {
        if (m_pg.isRunning())
            return true;
        return m_pg.start(); // the harness logs why it failed
    }

    PostgresHarness m_pg;
    QTemporaryDir m_dir;
    int m_counter = 0;
};

} // namespace veza::testing
