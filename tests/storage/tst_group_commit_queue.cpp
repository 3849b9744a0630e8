// Group commit (storage/GroupCommitQueue, storage::commitTogether), on SQLite and on a
// throwaway PostgreSQL: a burst of writes shares one transaction, each answered only once
// committed; a write the database refuses fails alone; a queue past its bound refuses at once.
#include "StorageTestBase.h"
#include "storage/BatchTransaction.h"
#include "storage/GroupCommitQueue.h"
#include "storage/Sql.h"

#include <numeric>

using namespace veza::storage;

namespace {

struct Stored
{
    qint64 id = 0; // 0: failed
};

using Queue = GroupCommitQueue<int, Stored>;

// Each value in a row of its own; a value already there breaks its insert (UNIQUE).
Queue::Result insertAll(QSqlDatabase &db, QList<int> values)
{
    return commitTogether<Stored>(db, values, Transaction::Lock::Write, "values", [&db](int v) {
        return Stored{
            sql::scalar(db, QStringLiteral("INSERT INTO t (v) VALUES (?) RETURNING id"), {v})
                .toLongLong()};
    });
}

qint64 rows(Database &db)
{
    return db
        .run([](QSqlDatabase &c) {
            return sql::scalar(c, QStringLiteral("SELECT COUNT(*) FROM t")).toLongLong();
        })
        .result();
}

} // namespace

class TestGroupCommitQueue : public veza::testing::StorageTestBase
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(ensurePostgres(), qPrintable(m_pg.errorString())); }

    // The first write of a burst goes at once, alone; the rest wait for it and go together in
    // the next transaction. Every answer comes after its row is committed, in order.
    void aBurstSharesOneCommit_data() { addBackendRows(); }
    void aBurstSharesOneCommit()
    {
        QFETCH(QString, backend);
        auto db = openTable(backend);
        QVERIFY(db);
        QList<int> commits;
        Queue queue(*db, this, {1, 256, 1000}, &insertAll, [&](int n) { commits.append(n); });
        QList<int> answered;
        bool allVisible = true;
        for (int v = 1; v <= 100; ++v)
            queue.submit(
                v,
                [&, v](const Stored &stored) {
                    answered.append(stored.id > 0 ? v : -v);
                    allVisible = allVisible && rows(*db) >= answered.size();
                },
                0);
        QTRY_COMPARE(answered.size(), 100);
        // [1, 99]; [1, 1, 98] when the first commit was done before its answer was awaited.
        QCOMPARE(std::accumulate(commits.cbegin(), commits.cend(), 0), 100);
        QVERIFY2(commits.size() <= 3, qPrintable(QString::number(commits.size())));
        QCOMPARE(commits.first(), 1);
        QList<int> inOrder;
        for (int v = 1; v <= 100; ++v)
            inOrder.append(v);
        QCOMPARE(answered, inOrder);
        QVERIFY(allVisible);
        QCOMPARE(rows(*db), 100);
    }

    // A write the database refuses (a duplicate) is rolled back alone and answered as failed;
    // the others of its batch are committed.
    void aRefusedWriteFailsAlone_data() { addBackendRows(); }
    void aRefusedWriteFailsAlone()
    {
        QFETCH(QString, backend);
        auto db = openTable(backend);
        QVERIFY(db);
        Queue queue(*db, this, {1, 256, 1000}, &insertAll);
        QHash<int, qint64> ids;
        int answers = 0;
        for (int v : {1, 2, 3, 2, 4}) {
            queue.submit(
                v,
                [&, v](const Stored &stored) {
                    ++answers;
                    if (stored.id > 0)
                        ids.insert(v, stored.id);
                },
                0);
        }
        QTRY_COMPARE(answers, 5);
        QCOMPARE(rows(*db), 4);
        QCOMPARE(ids.size(), 4); // the second 2 failed, the first 2 and the others stand
    }

    // Past maxWaiting, a write fails at once instead of queueing without end.
    void aFullQueueRefusesAtOnce_data() { addBackendRows(); }
    void aFullQueueRefusesAtOnce()
    {
        QFETCH(QString, backend);
        auto db = openTable(backend);
        QVERIFY(db);
        Queue queue(*db, this, {1, 256, 10}, &insertAll);
        int refusedAtOnce = 0;
        int answers = 0;
        for (int v = 1; v <= 30; ++v) {
            bool inCall = true;
            queue.submit(
                v,
                [&](const Stored &stored) {
                    ++answers;
                    if (inCall && stored.id == 0)
                        ++refusedAtOnce;
                },
                0);
            inCall = false;
        }
        // One in flight, ten waiting: the rest are refused in submit itself (fewer when a quick
        // database finished the first commit while the loop ran, its answer then coming at once).
        QVERIFY2(refusedAtOnce >= 1 && refusedAtOnce <= 19,
                 qPrintable(QString::number(refusedAtOnce)));
        QTRY_COMPARE(answers, 30);
        QCOMPARE(rows(*db), 30 - refusedAtOnce);
    }

private:
    std::unique_ptr<Database> openTable(const QString &backend)
    {
        auto db = openFresh(backend);
        if (!db)
            return nullptr;
        const QString idColumn = backend == u"sqlite" ? QStringLiteral("INTEGER PRIMARY KEY")
                                                      : QStringLiteral("BIGSERIAL PRIMARY KEY");
        db->run([idColumn](QSqlDatabase &c) {
              sql::exec(c, QStringLiteral("CREATE TABLE t (id %1, v INTEGER UNIQUE NOT NULL)")
                               .arg(idColumn));
          }).waitForFinished();
        return db;
    }
};

QTEST_GUILESS_MAIN(TestGroupCommitQueue)
#include "tst_group_commit_queue.moc"
