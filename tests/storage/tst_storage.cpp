// Integration tests of the persistence layer; every data-driven case runs on SQLite and on
// a throwaway PostgreSQL (see StorageTestBase.h).
#include "StorageTestBase.h"
#include "storage/Migrator.h"
#include "storage/Sql.h"
#include "storage/StorageError.h"
#include "storage/Transaction.h"

#include <QDateTime>
#include <QMetaType>
#include <QSet>
#include <QSqlQuery>
#include <QThread>
#include <tuple>

using namespace veza::storage;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 count(Database &db, const QString &table)
{
    return db
        .run([table](QSqlDatabase &c) {
            return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM ") + table).toLongLong();
        })
        .result();
}

QList<int> versions(Database &db)
{
    return db
        .run([](QSqlDatabase &c) {
            QList<int> result;
            auto q = sql::exec(c, QStringLiteral("SELECT version FROM schema_version "
                                                 "ORDER BY version"));
            while (q.next())
                result << q.value(0).toInt();
            return result;
        })
        .result();
}

qint64 insertUser(QSqlDatabase &c, const QString &name)
{
    return sql::scalar(c,
                       QStringLiteral("INSERT INTO users (name, created_at) VALUES (?, ?) "
                                      "RETURNING id"),
                       {name, now()})
        .toLongLong();
}

} // namespace

class TestStorage : public veza::testing::StorageTestBase
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }
    void init() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }

    void migrationsApplyFromEmpty_data() { addBackendRows(); }
    void migrationsApplyFromEmpty()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        QVERIFY(db->latestSchemaVersion() >= 1);
        QCOMPARE(db->schemaVersion(), db->latestSchemaVersion());
        QList<int> expected;
        for (int v = 1; v <= db->latestSchemaVersion(); ++v)
            expected << v;
        QCOMPARE(versions(*db), expected);
        const QStringList tables = db->run([](QSqlDatabase &c) { return c.tables(); }).result();
        for (const char *table : {"users", "rooms", "room_members", "messages", "streams",
                                  "stream_sessions", "moderation_actions", "schema_version"})
            QVERIFY2(tables.contains(QLatin1String(table)), table);
    }

    void reopenIsNoop_data() { addBackendRows(); }
    void reopenIsNoop()
    {
        QFETCH(QString, backend);
        const auto options = fresh(backend);
        QVERIFY(options);
        const auto appliedAt = [](Database &db) {
            return db
                .run([](QSqlDatabase &c) {
                    QList<qint64> result;
                    auto q = sql::exec(c, QStringLiteral("SELECT applied_at FROM "
                                                         "schema_version ORDER BY version"));
                    while (q.next())
                        result << q.value(0).toLongLong();
                    return result;
                })
                .result();
        };
        QList<qint64> first;
        {
            Database db(*options);
            QCOMPARE(db.open(), std::nullopt);
            first = appliedAt(db);
        }
        Database again(*options);
        QCOMPARE(again.open(), std::nullopt);
        QCOMPARE(again.schemaVersion(), again.latestSchemaVersion());
        QCOMPARE(appliedAt(again), first);
    }

    // Every applied migration is recorded with its name and marking, also those applied before
    // the marking existed (schema 13).
    void migrationsAreRecordedWithTheirMarking_data() { addBackendRows(); }
    void migrationsAreRecordedWithTheirMarking()
    {
        QFETCH(QString, backend);
        const auto options = fresh(backend);
        QVERIFY(options);
        Database db(*options);
        QCOMPARE(db.open(), std::nullopt);
        const auto recorded =
            db.run([](QSqlDatabase &c) {
                  QList<std::tuple<int, QString, bool>> rows;
                  auto q = sql::exec(c, QStringLiteral("SELECT version, name, additive "
                                                       "FROM schema_version ORDER BY version"));
                  while (q.next())
                      rows.append({q.value(0).toInt(), q.value(1).toString(), q.value(2).toBool()});
                  return rows;
              }).result();
        const QList<Migrator::Migration> migrations = Migrator(options->url.backend()).migrations();
        QCOMPARE(recorded.size(), migrations.size());
        for (qsizetype i = 0; i < migrations.size(); ++i) {
            QCOMPARE(std::get<0>(recorded[i]), migrations[i].version);
            QCOMPARE(std::get<1>(recorded[i]), migrations[i].name);
            QCOMPARE(std::get<2>(recorded[i]), migrations[i].additive);
        }
    }

    // A database whose migrations this binary does not know (a newer release's, after a rollback
    // of the binary): refused unless all are recorded additive, naming the first that is not.
    void newerDatabase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QVariantList>("additive"); // per newer migration; null: not recorded
        QTest::addColumn<int>("refusedAt");         // index of the one named, -1: opens
        for (const char *backend : {"sqlite", "postgresql"}) {
            const QString name = QLatin1String(backend);
            QTest::addRow("%s: additive", backend) << name << QVariantList{true, true} << -1;
            QTest::addRow("%s: not additive", backend) << name << QVariantList{true, false} << 1;
            QTest::addRow("%s: not recorded", backend) << name << QVariantList{QVariant()} << 0;
        }
    }
    void newerDatabase()
    {
        QFETCH(QString, backend);
        QFETCH(QVariantList, additive);
        QFETCH(int, refusedAt);
        const auto options = fresh(backend);
        QVERIFY(options);
        const int latest = Migrator(options->url.backend()).latestVersion();
        {
            Database db(*options);
            QCOMPARE(db.open(), std::nullopt);
            db.run([latest, additive](QSqlDatabase &c) {
                  for (qsizetype i = 0; i < additive.size(); ++i) {
                      const bool recorded = !additive[i].isNull();
                      sql::exec(c,
                                QStringLiteral("INSERT INTO schema_version (version, applied_at, "
                                               "name, additive) VALUES (?, ?, ?, ?)"),
                                {int(latest + 1 + i), now(),
                                 recorded ? QVariant(QStringLiteral("next_%1").arg(i))
                                          : QVariant(QMetaType::fromType<QString>()),
                                 recorded ? additive[i] : QVariant(QMetaType::fromType<bool>())});
                  }
              }).waitForFinished();
        }
        Database db(*options);
        const auto error = db.open();
        const int newest = latest + int(additive.size());
        if (refusedAt < 0) {
            QCOMPARE(error, std::nullopt);
            QCOMPARE(db.schemaVersion(), newest);
            QCOMPARE(count(db, QStringLiteral("users")), 0); // usable
            return;
        }
        QVERIFY(error);
        const QString expected = QStringLiteral("database schema version %1 is newer than this "
                                                "binary supports (%2)")
                                     .arg(newest)
                                     .arg(latest);
        QVERIFY2(error->contains(expected), qPrintable(*error));
        const QString named =
            additive[refusedAt].isNull()
                ? QStringLiteral("migration %1 is not recorded as additive").arg(latest + 1)
                : QStringLiteral("migration %1 (next_%2) is not additive")
                      .arg(latest + 1 + refusedAt)
                      .arg(refusedAt);
        QVERIFY2(error->contains(named), qPrintable(*error));
    }

    void interruptedUpgradeResumes_data() { addBackendRows(); }
    void interruptedUpgradeResumes()
    {
        QFETCH(QString, backend);
        const auto options = fresh(backend);
        QVERIFY(options);
        Database db(*options);
        // Start from an empty database: real migrations plus a broken next one whose first
        // statement succeeds, so its rollback is visible.
        QList<Migrator::Migration> migrations = Migrator(options->url.backend()).migrations();
        const int latest = migrations.last().version;
        Migrator::Migration next{latest + 1,
                                 QStringLiteral("extra"),
                                 {QStringLiteral("CREATE TABLE extra (id BIGINT)"),
                                  QStringLiteral("INSERT INTO no_such_table VALUES (1)")}};
        QCOMPARE(db.open(), std::nullopt); // schema at `latest`
        const auto migrate = [&db](QList<Migrator::Migration> list) {
            return db
                .run([list](QSqlDatabase &c) {
                    int version = -1;
                    const auto error = Migrator(list).migrate(c, &version);
                    return std::make_pair(error.value_or(QString()), version);
                })
                .result();
        };
        auto [error, version] = migrate(migrations + QList{next});
        QVERIFY2(error.contains(QStringLiteral("no_such_table")), qPrintable(error));
        QCOMPARE(version, latest);
        QVERIFY(!db.run([](QSqlDatabase &c) { return c.tables(); })
                     .result()
                     .contains(QStringLiteral("extra")));

        next.statements[1] = QStringLiteral("INSERT INTO extra VALUES (1)");
        std::tie(error, version) = migrate(migrations + QList{next});
        QCOMPARE(error, QString());
        QCOMPARE(version, latest + 1);
        QCOMPARE(count(db, QStringLiteral("extra")), 1);
        QCOMPARE(versions(db).size(), latest + 1);
        // Everything recorded: running again applies nothing (would fail on existing tables).
        QCOMPARE(migrate(migrations + QList{next}).first, QString());
    }

    void partialIndexExists_data() { addBackendRows(); }
    void partialIndexExists()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const QString definition =
            db->run([backend](QSqlDatabase &c) {
                  const QString query =
                      backend == QLatin1String("sqlite")
                          ? QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                           "AND name = ?")
                          : QStringLiteral("SELECT indexdef FROM pg_indexes WHERE indexname = ?");
                  return sql::scalar(c, query, {QStringLiteral("idx_messages_room_created")})
                      .toString();
              }).result();
        QVERIFY2(definition.contains(QStringLiteral("deleted_at IS NULL")), qPrintable(definition));
        QVERIFY2(definition.contains(QStringLiteral("DESC")), qPrintable(definition));
    }

    void idempotentInsert_data() { addBackendRows(); }
    void idempotentInsert()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        const auto ids =
            db->run([](QSqlDatabase &c) {
                  const qint64 user = insertUser(c, QStringLiteral("alice"));
                  const qint64 room =
                      sql::scalar(
                          c,
                          QStringLiteral("INSERT INTO rooms (name, created_at) VALUES (?, ?) "
                                         "RETURNING id"),
                          {QStringLiteral("lobby"), now()})
                          .toLongLong();
                  return std::make_pair(user, room);
              }).result();
        // What the chat module does on a (possibly retried) send: allocate the next seq and
        // insert, in one transaction; a duplicate client_msg_id inserts nothing and the
        // transaction is dropped so seq stays gap-free.
        const auto send = [&](const QString &clientId) {
            return db
                ->run([ids, clientId](QSqlDatabase &c) {
                    Transaction tx(c);
                    const qint64 seq =
                        sql::scalar(
                            c,
                            QStringLiteral("UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? "
                                           "RETURNING last_seq"),
                            {ids.second})
                            .toLongLong();
                    auto q =
                        sql::exec(c,
                                  QStringLiteral(
                                      "INSERT INTO messages (room_id, seq, sender_id, "
                                      "client_msg_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                                      "ON CONFLICT (room_id, sender_id, client_msg_id) DO NOTHING"),
                                  {ids.second, seq, ids.first, clientId,
                                   QByteArray("\x00\x01ciph", 6), now()});
                    if (q.numRowsAffected() != 1)
                        return false; // tx rolls back
                    tx.commit();
                    return true;
                })
                .result();
        };
        QCOMPARE(send(QStringLiteral("c-1")), true);
        QCOMPARE(send(QStringLiteral("c-1")), false);
        QCOMPARE(send(QStringLiteral("c-2")), true);
        QCOMPARE(count(*db, QStringLiteral("messages")), 2);
        const auto stored =
            db->run([](QSqlDatabase &c) {
                  auto q =
                      sql::exec(c, QStringLiteral("SELECT seq, body FROM messages ORDER BY seq"));
                  QList<QPair<qint64, QByteArray>> rows;
                  while (q.next())
                      rows.append({q.value(0).toLongLong(), q.value(1).toByteArray()});
                  return rows;
              }).result();
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[0].first, 1);
        QCOMPARE(stored[1].first, 2);
        QCOMPARE(stored[0].second, QByteArray("\x00\x01ciph", 6));
        // Without ON CONFLICT the unique constraint rejects the duplicate.
        auto duplicate = db->run([ids](QSqlDatabase &c) {
            sql::exec(c,
                      QStringLiteral("INSERT INTO messages (room_id, seq, sender_id, "
                                     "client_msg_id, body, created_at) "
                                     "VALUES (?, 99, ?, 'c-1', ?, ?)"),
                      {ids.second, ids.first, QByteArray("x"), now()});
        });
        QVERIFY_THROWS_EXCEPTION(StorageError, duplicate.waitForFinished());
    }

    void jobsRunOffCallerThread_data() { addBackendRows(); }
    void jobsRunOffCallerThread()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        QThread *const caller = QThread::currentThread();
        QThread *worker = db->run([](QSqlDatabase &) { return QThread::currentThread(); }).result();
        QVERIFY(worker);
        QVERIFY(worker != caller);
        // The documented way back: a continuation with a context object runs on its thread.
        QThread *continuedOn = nullptr;
        db->run([](QSqlDatabase &) { return 1; }).then(this, [&continuedOn](int) {
            continuedOn = QThread::currentThread();
        });
        QTRY_VERIFY(continuedOn);
        QCOMPARE(continuedOn, caller);
    }

    // One job at a time wakes the worker that went idle last: a steady trickle keeps one
    // PostgreSQL session busy instead of spreading over every session of the pool (each cold,
    // each a process for the database host to schedule).
    void aTrickleOfJobsStaysOnOneWorker()
    {
        auto db = openFresh(QStringLiteral("postgresql"), 8);
        QVERIFY(db);
        QSet<QThread *> workers;
        for (int i = 0; i < 40; ++i) {
            workers << db->run([](QSqlDatabase &) { return QThread::currentThread(); }).result();
            QThread::msleep(2); // the worker is back waiting before the next job comes
        }
        QCOMPARE(workers.size(), 1);
    }

    void connectionSettings_data() { addBackendRows(); }
    void connectionSettings()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend, 8);
        QVERIFY(db);
        QCOMPARE(db->workerCount(), backend == QLatin1String("sqlite") ? 1 : 8);
        QVERIFY(db->ping().result());
        const QStringList settings =
            db->run([backend](QSqlDatabase &c) {
                  const QStringList queries =
                      backend == QLatin1String("sqlite")
                          ? QStringList{"PRAGMA journal_mode", "PRAGMA busy_timeout",
                                        "PRAGMA foreign_keys", "PRAGMA synchronous"}
                          : QStringList{"SHOW statement_timeout", "SHOW application_name"};
                  QStringList values;
                  for (const QString &q : queries)
                      values << sql::scalar(c, q).toString();
                  return values;
              }).result();
        if (backend == QLatin1String("sqlite"))
            QCOMPARE(settings, (QStringList{"wal", "5000", "1", "1"}));
        else
            QCOMPARE(settings, (QStringList{"5s", "veza-server"}));
    }

    void sqliteFullSyncReachesTheConnection()
    {
        auto options = fresh(QStringLiteral("sqlite"), 1);
        QVERIFY(options);
        options->sqliteFullSync = true; // SQLITE_SYNCHRONOUS=full
        Database db(*options);
        QVERIFY(!db.open());
        const int synchronous =
            db.run([](QSqlDatabase &c) {
                  return sql::scalar(c, QStringLiteral("PRAGMA synchronous")).toInt();
              }).result();
        QCOMPARE(synchronous, 2); // FULL; the default (connectionSettings) is 1, NORMAL
    }

    void transactionsAndErrors_data() { addBackendRows(); }
    void transactionsAndErrors()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        auto aborted = db->run([](QSqlDatabase &c) {
            Transaction tx(c);
            insertUser(c, QStringLiteral("bob"));
            throw std::runtime_error("job gave up");
        });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, aborted.waitForFinished());
        QCOMPARE(count(*db, QStringLiteral("users")), 0);
        db->run([](QSqlDatabase &c) {
              Transaction tx(c);
              insertUser(c, QStringLiteral("bob"));
              tx.commit();
          }).waitForFinished();
        QCOMPARE(count(*db, QStringLiteral("users")), 1);
        auto bad = db->run([](QSqlDatabase &c) { sql::exec(c, QStringLiteral("SELEC 1")); });
        QVERIFY_THROWS_EXCEPTION(StorageError, bad.waitForFinished());
        QVERIFY(db->ping().result()); // the connection survived the failures
    }

    // A store function that guards its own change is also one step of its caller's: an inner
    // Transaction is a savepoint, and only the outermost commit makes anything durable.
    void transactionsNest_data() { addBackendRows(); }
    void transactionsNest()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        auto abandoned = db->run([](QSqlDatabase &c) {
            Transaction outer(c);
            insertUser(c, QStringLiteral("outer"));
            {
                Transaction inner(c);
                insertUser(c, QStringLiteral("inner"));
                inner.commit(); // released into the outer transaction, not durable yet
            }
            throw std::runtime_error("the caller's next step failed");
        });
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, abandoned.waitForFinished());
        QCOMPARE(count(*db, QStringLiteral("users")), 0);

        db->run([](QSqlDatabase &c) {
              Transaction outer(c);
              insertUser(c, QStringLiteral("kept"));
              {
                  Transaction inner(c);
                  insertUser(c, QStringLiteral("undone"));
              } // not committed: only the inner step is rolled back
              outer.commit();
          }).waitForFinished();
        QCOMPARE(count(*db, QStringLiteral("users")), 1);
        db->run([](QSqlDatabase &c) {
              Transaction again(c); // the depth went back to zero: a real transaction again
              insertUser(c, QStringLiteral("after"));
              again.commit();
          }).waitForFinished();
        QCOMPARE(count(*db, QStringLiteral("users")), 2);
    }

    void waitForIdleFlushesQueuedWrites_data() { addBackendRows(); }
    void waitForIdleFlushesQueuedWrites()
    {
        QFETCH(QString, backend);
        auto db = openFresh(backend);
        QVERIFY(db);
        // open()'s migration job reports to the observer just after its result is delivered.
        QVERIFY(db->waitForIdle(10000));
        std::atomic<int> observed{0};
        std::atomic<int> failed{0};
        db->setQueryObserver([&](double seconds, bool ok) {
            ++observed;
            failed += ok ? 0 : 1;
            Q_ASSERT(seconds >= 0);
        });
        for (int i = 0; i < 1000; ++i)
            db->run([i](QSqlDatabase &c) { insertUser(c, QStringLiteral("user%1").arg(i)); });
        QVERIFY(db->waitForIdle(120000));
        QCOMPARE(db->pendingJobs(), 0);
        QCOMPARE(db->busyConnections(), 0);
        QCOMPARE(observed.load(), 1000);
        QCOMPARE(failed.load(), 0);
        QVERIFY(db->openConnections() >= 1);
        db->setQueryObserver(nullptr);
        QCOMPARE(count(*db, QStringLiteral("users")), 1000);
    }

    void shutdownRunsQueuedJobs_data() { addBackendRows(); }
    void shutdownRunsQueuedJobs()
    {
        QFETCH(QString, backend);
        const auto options = fresh(backend);
        QVERIFY(options);
        {
            Database db(*options);
            QCOMPARE(db.open(), std::nullopt);
            for (int i = 0; i < 200; ++i)
                db.run([i](QSqlDatabase &c) { insertUser(c, QStringLiteral("u%1").arg(i)); });
        } // destructor: drains the queue before closing
        Database db(*options);
        QCOMPARE(db.open(), std::nullopt);
        QCOMPARE(count(db, QStringLiteral("users")), 200);
    }

    // A worker keeps its statements prepared across jobs (on PostgreSQL, one PREPARE per
    // statement and connection instead of PREPARE, EXECUTE and DEALLOCATE per use).
    void statementsStayPreparedOnTheConnection()
    {
        auto db = openFresh(QStringLiteral("postgresql"), 1); // one worker, one connection
        QVERIFY(db);
        const QString statement = QStringLiteral("SELECT count(*) FROM users WHERE name = ?");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(db->run([&](QSqlDatabase &c) {
                           return sql::scalar(c, statement, {QStringLiteral("nobody")}).toInt();
                       }).result(),
                     0);
        const int prepared =
            db->run([](QSqlDatabase &c) {
                  return sql::scalar(c,
                                     QStringLiteral("SELECT count(*) FROM pg_prepared_statements "
                                                    "WHERE statement LIKE ?"),
                                     {QStringLiteral("%FROM users WHERE name = $1")})
                      .toInt();
              }).result();
        QCOMPARE(prepared, 1);
    }

    // The same statement run again while its own rows are being read (a look-up per row):
    // the inner run gets a query of its own, so the outer reading goes on undisturbed.
    // SQLite only: on PostgreSQL, Qt reads forward-only results row by row and drops the
    // unread rows of a query when another one runs on the connection, cached or not, so the
    // server never nests queries.
    void statementRunInsideItsOwnLoop()
    {
        auto db = openFresh(QStringLiteral("sqlite"), 1);
        QVERIFY(db);
        const auto counts = db->run([](QSqlDatabase &c) {
                                  for (const char *name : {"ann", "ben", "cid"})
                                      insertUser(c, QString::fromLatin1(name));
                                  const QString statement = QStringLiteral(
                                      "SELECT id FROM users WHERE id > ? ORDER BY id");
                                  int outerRows = 0;
                                  int innerRows = 0;
                                  sql::Query outer = sql::exec(c, statement, {0});
                                  while (outer.next()) {
                                      ++outerRows;
                                      sql::Query inner = sql::exec(c, statement, {outer.value(0)});
                                      while (inner.next())
                                          ++innerRows;
                                  }
                                  return std::make_pair(outerRows, innerRows);
                              }).result();
        QCOMPARE(counts.first, 3);
        QCOMPARE(counts.second, 3); // 2 + 1 + 0
    }

    // Last: stops PostgreSQL under a running Database (init() restarts it if needed).
    void pingHealsAfterPostgresRestart()
    {
        auto db = openFresh(QStringLiteral("postgresql"), 3);
        QVERIFY(db);
        std::atomic<int> poolOpen{-1};
        db->setPoolObserver([&](int open, int) { poolOpen = open; });
        const auto allWorkersQuery = [&db] {
            QList<QFuture<int>> futures;
            for (int i = 0; i < 6; ++i)
                futures << db->run([](QSqlDatabase &c) {
                    // Bound, so prepared and kept by the worker: a restart must not leave it
                    // pointing at the old session's statement.
                    return sql::scalar(c,
                                       QStringLiteral("SELECT CAST(? AS INTEGER) FROM "
                                                      "pg_sleep(0.1)"),
                                       {1})
                        .toInt();
                });
            int ok = 0;
            for (auto &f : futures) {
                try {
                    ok += f.result();
                } catch (const StorageError &) {
                }
            }
            return ok;
        };
        QCOMPARE(allWorkersQuery(), 6);
        QCOMPARE(db->openConnections(), 3);

        QVERIFY2(m_pg.stop(), qPrintable(m_pg.errorString()));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(db->ping().result(), false);
        QCOMPARE(allWorkersQuery(), 0);

        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
        QVERIFY(db->ping().result());
        QCOMPARE(allWorkersQuery(), 6); // every worker reconnected, no failed job
        QCOMPARE(db->openConnections(), 3);
        QCOMPARE(poolOpen.load(), 3);
    }
};

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
