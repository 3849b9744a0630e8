// /health/live against the real binary: it watches every thread that serves users (the main
// thread, each network thread, the chat thread, each database worker), and answers 503 naming
// a database worker held in one job for more than 10 s (a SQLite lock taken from outside),
// then 200 again once the worker moves on.
#include "HttpProbe.h"
#include "ServerProcess.h"
#include "SqliteWriteLock.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>
#include <memory>

using namespace veza::testing;

class TestLiveness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<ServerProcess>();
        m_server->setEnv(QStringLiteral("WORKER_THREADS"), QStringLiteral("2"));
        // A write waits this long for a locked database: longer than the 10 s stall limit.
        m_server->setEnv(QStringLiteral("DATABASE_TIMEOUT_MS"), QStringLiteral("30000"));
        QVERIFY2(m_server->start(), qPrintable(m_server->diagnostics()));
    }

    void cleanupTestCase() { m_server.reset(); }

    void everyServingThreadIsWatched()
    {
        const HttpReply live = HttpProbe::getOnce(m_server->httpPort(), "/health/live");
        QCOMPARE(live.status, 200);
        QCOMPARE(live.json().value(QStringLiteral("status")).toString(), QStringLiteral("alive"));
        // main, veza-net-0, veza-net-1, veza-chat and SQLite's one worker, veza-db-0.
        QCOMPARE(live.json().value(QStringLiteral("threads_watched")).toInt(), 5);
    }

    void databaseWorkerStuckInAJobFailsLivenessNamingIt()
    {
        const quint16 port = m_server->httpPort();
        SqliteWriteLock lock(m_server->dataDir() + QStringLiteral("/veza.db"));
        QVERIFY2(lock.isHeld(), qPrintable(lock.error()));

        // A write the worker takes and cannot finish while the lock is held: a stream created.
        const QByteArray token =
            m_server->token(QStringLiteral("dj"), QStringLiteral("broadcaster"));
        const QByteArray body = R"({"name":"stuck"})";
        QTcpSocket writer;
        writer.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(writer.waitForConnected(5000));
        writer.write("POST /api/streams HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + token +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(writer.waitForBytesWritten(5000));

        QElapsedTimer held;
        held.start();
        HttpReply live;
        QTRY_VERIFY_WITH_TIMEOUT((live = HttpProbe::getOnce(port, "/health/live")).status == 503,
                                 20000);
        QVERIFY2(held.elapsed() >= 9000, qPrintable(QString::number(held.elapsed())));
        QCOMPARE(live.json().value(QStringLiteral("status")).toString(), QStringLiteral("stalled"));
        const QJsonArray failing = live.json().value(QStringLiteral("failing")).toArray();
        QCOMPARE(failing.size(), 1);
        QVERIFY2(failing.at(0).toString().startsWith(QStringLiteral("veza-db-0: no progress for ")),
                 qPrintable(failing.at(0).toString()));
        QTRY_VERIFY(
            !m_server->findLog(QStringLiteral("thread veza-db-0 has made no progress")).isEmpty());

        // The lock goes, the write completes, the worker is idle: alive again.
        lock.release();
        QTRY_COMPARE_WITH_TIMEOUT(HttpProbe::getOnce(port, "/health/live").status, 200, 5000);
        QTRY_VERIFY(writer.bytesAvailable() > 0);
        const QByteArray answer = writer.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 201"), answer.constData());
        QTRY_VERIFY(
            !m_server->findLog(QStringLiteral("thread veza-db-0 makes progress again")).isEmpty());
    }

private:
    std::unique_ptr<ServerProcess> m_server;
};

QTEST_MAIN(TestLiveness)
#include "tst_liveness.moc"
