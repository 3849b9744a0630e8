// A database that stalls (its SQLite lock held from outside) against the real binary with a
// small DATABASE_QUEUE_LIMIT: once that many jobs wait, API requests are answered 503
// database_unavailable with Retry-After at once instead of queueing, a chat request that
// needs the database gets `internal` with retry_after_ms, /health/ready names the full queue,
// and everything answers again once the database moves.
#include "ChatTestClient.h"
#include "HttpProbe.h"
#include "IngestTools.h"
#include "ServerProcess.h"
#include "SqliteWriteLock.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace veza::testing;

class TestDatabaseQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFullQueueAnswersUnavailableAtOnce()
    {
        ServerProcess server;
        server.setEnv(QStringLiteral("DATABASE_QUEUE_LIMIT"), QStringLiteral("4"));
        server.setEnv(QStringLiteral("DATABASE_TIMEOUT_MS"), QStringLiteral("30000"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        const quint16 port = server.httpPort();
        const QByteArray bearer =
            "Authorization: Bearer " +
            server.token(QStringLiteral("dj"), QStringLiteral("broadcaster")) + "\r\n";
        ChatTestClient chat;
        chat.open(server.webSocketPort(), server.token(QStringLiteral("ana")));
        QVERIFY(chat.waitConnected());

        SqliteWriteLock lock(server.dataDir() + QStringLiteral("/veza.db"));
        QVERIFY2(lock.isHeld(), qPrintable(lock.error()));
        // A write the one SQLite worker takes and cannot finish, then reads queued behind it.
        const QByteArray body = R"({"name":"stuck"})";
        std::vector<std::unique_ptr<RawClient>> waiting;
        waiting.push_back(std::make_unique<RawClient>(port));
        waiting.back()->send("POST /api/streams HTTP/1.1\r\nHost: x\r\n" + bearer +
                             "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
                             body);
        QElapsedTimer answered;
        HttpReply refused;
        for (int i = 0; i < 8 && refused.status != 503; ++i) {
            QTest::qWait(100);
            answered.start();
            refused = HttpProbe(port).get("/api/streams", 3000, bearer);
        }
        QCOMPARE(refused.status, 503);
        QVERIFY2(answered.elapsed() < 1000, "refused at once, not after a wait");
        QCOMPARE(refused.json().value(u"reason").toString(), QStringLiteral("database_unavailable"));
        QVERIFY(refused.headers.contains("Retry-After: 1"));

        const QJsonObject join =
            chat.answerTo(chat.request(QStringLiteral("join"),
                                       {{QStringLiteral("room"), QStringLiteral("lobby")}}),
                          3000);
        QCOMPARE(join.value(u"code").toString(), QStringLiteral("internal"));
        QCOMPARE(join.value(u"retry_after_ms").toInt(), 1000);

        QTRY_VERIFY_WITH_TIMEOUT(
            HttpProbe(port).get("/health/ready", 3000).body.contains("job queue full"), 5000);
        QVERIFY(scrapeMetric(server.metricsPort(), "db_jobs_refused_total") >= 2);

        lock.release();
        QTRY_COMPARE_WITH_TIMEOUT(HttpProbe(port).get("/api/streams", 3000, bearer).status, 200,
                                  15000);
        QTRY_COMPARE_WITH_TIMEOUT(HttpProbe(port).get("/health/ready", 3000).status, 200, 10000);
        QCOMPARE(waiting.front()->read(5000, 4096, "\r\n").left(12), QByteArray("HTTP/1.1 201"));
    }
};

QTEST_MAIN(TestDatabaseQueue)
#include "tst_database_queue.moc"
