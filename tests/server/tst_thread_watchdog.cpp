// The liveness watchdog in process, with real threads made stuck for real: an event-loop
// thread (as the network and chat threads are) blocked in a handler, and a database worker
// held in one job by a SQLite lock taken from outside. Each is named once it has made no
// progress for the stall limit (short here), and cleared once it moves again; a thread that
// waits for work is not stuck.
#include "SqliteWriteLock.h"
#include "eventloop/EpollEventDispatcher.h"
#include "ops/DatabaseHeartbeats.h"
#include "ops/LoopHeartbeat.h"
#include "ops/ThreadWatchdog.h"
#include "storage/Database.h"
#include "storage/Sql.h"

#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace veza;

namespace {

constexpr qint64 kStallMs = 400;
constexpr int kBeatMs = 50;

// Whether `problems` names `thread` as stalled.
bool names(const QStringList &problems, const QString &thread)
{
    return problems.size() == 1 &&
           problems.first().startsWith(thread + QStringLiteral(": no progress for "));
}

} // namespace

class TestThreadWatchdog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blockedEventLoopIsNamedThenCleared()
    {
        ops::ThreadWatchdog watchdog(kStallMs);
        QThread thread;
        thread.setObjectName(QStringLiteral("veza-net-0"));
        thread.setEventDispatcher(new eventloop::EpollEventDispatcher);
        auto *heartbeat = new ops::LoopHeartbeat(watchdog.add(thread.objectName()), kBeatMs);
        heartbeat->moveToThread(&thread);
        connect(&thread, &QThread::finished, heartbeat, &QObject::deleteLater);
        thread.start();

        // Idle but turning: alive for several times the stall limit.
        QTest::qWait(3 * kStallMs);
        QCOMPARE(watchdog.stalled(), QStringList());

        // A handler that does not return holds the loop, as a stuck network thread would.
        QSemaphore release;
        QMetaObject::invokeMethod(
            heartbeat, [&release] { release.acquire(); }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(names(watchdog.stalled(), QStringLiteral("veza-net-0")),
                                 5 * kStallMs);
        release.release();
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.stalled(), QStringList(), 5 * kStallMs);

        // A thread that ended is not stuck.
        thread.quit();
        QVERIFY(thread.wait(5000));
        QTest::qWait(2 * kStallMs);
        QCOMPARE(watchdog.stalled(), QStringList());
    }

    void restingIsNotStalling()
    {
        ops::ThreadWatchdog watchdog(kStallMs);
        const std::shared_ptr<ops::ThreadHeartbeat> worker =
            watchdog.add(QStringLiteral("veza-db-3"));
        worker->rest();
        QTest::qWait(2 * kStallMs);
        QCOMPARE(watchdog.stalled(), QStringList());
        worker->beat(); // took a job, and never finishes it
        QTest::qWait(2 * kStallMs);
        QVERIFY(names(watchdog.stalled(), QStringLiteral("veza-db-3")));
        QCOMPARE(watchdog.size(), 1);
    }

    void databaseWorkerHeldInOneJobIsNamed()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("veza.db"));
        QString urlError;
        const auto url = storage::DatabaseUrl::parse(QStringLiteral("sqlite://") + file, &urlError);
        QVERIFY2(url, qPrintable(urlError));
        // The busy timeout: how long a write waits for the lock before it fails.
        storage::Database database({*url, 1, 1, 10000, false});
        ops::ThreadWatchdog watchdog(kStallMs);
        ops::watchDatabaseWorkers(watchdog, database);
        const auto opened = database.open();
        QVERIFY2(!opened, qPrintable(opened.value_or(QString())));

        // Idle workers are not stuck, however long they wait.
        QTest::qWait(2 * kStallMs);
        QCOMPARE(watchdog.stalled(), QStringList());

        testing::SqliteWriteLock lock(file);
        QVERIFY2(lock.isHeld(), qPrintable(lock.error()));
        QFuture<void> write = database.run([](QSqlDatabase &db) {
            storage::sql::exec(db, QStringLiteral("CREATE TABLE held (x INTEGER)"));
        });
        QTRY_VERIFY_WITH_TIMEOUT(names(watchdog.stalled(), QStringLiteral("veza-db-0")), 5000);
        lock.release();
        write.waitForFinished();
        // The worker marks itself resting just after the job's result is handed over.
        QTRY_COMPARE_WITH_TIMEOUT(watchdog.stalled(), QStringList(), 5 * kStallMs);
    }
};

QTEST_GUILESS_MAIN(TestThreadWatchdog)
#include "tst_thread_watchdog.moc"
