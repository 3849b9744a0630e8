// The Redis client against a real redis-server: answers in order, ACL users and databases,
// TLS, pub/sub across reconnects, and what callers see when Redis is down or stuck: an answer
// at once, never a wait.
#include "redis/RedisConnection.h"
#include "redis/RedisSubscriber.h"
#include "support/RedisHarness.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace veza::redis;
using veza::testing::RedisHarness;

namespace {

RedisConnection::Options optionsFor(const QString &url)
{
    RedisConnection::Options options;
    options.url = *RedisUrl::parse(url, nullptr);
    options.clientName = "veza-test";
    options.answerTimeoutMs = 1000;
    return options;
}

// The reply to one command, waiting on the event loop.
RedisReply ask(RedisConnection &connection, const QByteArrayList &args)
{
    std::optional<RedisReply> answer;
    connection.command(args, [&answer](const RedisReply &reply) { answer = reply; });
    (void)QTest::qWaitFor([&answer] { return answer.has_value(); }, 5000);
    return answer.value_or(RedisReply::localError("test: no answer"));
}

} // namespace

class TestRedisConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pipelinedCommandsAreAnsweredInOrder()
    {
        RedisHarness redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        RedisConnection connection(optionsFor(redis.url()));
        connection.start();
        QTRY_VERIFY(connection.isReady());
        QList<qint64> answers;
        for (int i = 0; i < 1000; ++i)
            connection.command({"INCR", "counter"}, [&answers](const RedisReply &reply) {
                answers.append(reply.integer);
            });
        QTRY_COMPARE(answers.size(), 1000);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(answers[i], qint64(i + 1));
        QCOMPARE(ask(connection, {"SET", "k", QByteArray("a\r\nb\0c", 6)}).text, QByteArray("OK"));
        QCOMPARE(ask(connection, {"GET", "k"}).text, QByteArray("a\r\nb\0c", 6));
        QCOMPARE(ask(connection, {"GET", "missing"}).type, RedisReply::Type::Nil);
        QVERIFY(ask(connection, {"NOSUCHCOMMAND"}).isError());
        QVERIFY(connection.isReady()); // an error answer is no connection problem
        QVERIFY(redis.cli({QStringLiteral("CLIENT"), QStringLiteral("LIST")})
                    .contains("name=veza-test"));
    }

    void aclUserAndDatabaseAreUsed()
    {
        // redis-server reads the words after --user as one ACL rule.
        RedisHarness redis(
            QStringLiteral("--user veza on >s3cret ~* &* +@all --user default off").split(u' '));
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        const QString base = QStringLiteral("redis://veza:s3cret@127.0.0.1:%1/").arg(redis.port());
        RedisConnection three(optionsFor(base + QStringLiteral("3")));
        three.start();
        QTRY_VERIFY(three.isReady());
        QCOMPARE(ask(three, {"SET", "where", "three"}).text, QByteArray("OK"));
        RedisConnection zero(optionsFor(base + QStringLiteral("0")));
        zero.start();
        QTRY_VERIFY(zero.isReady());
        QCOMPARE(ask(zero, {"GET", "where"}).type, RedisReply::Type::Nil);

        // A wrong password: never ready, the reason says so without the password.
        RedisConnection wrong(
            optionsFor(QStringLiteral("redis://veza:guess@127.0.0.1:%1/0").arg(redis.port())));
        wrong.start();
        QTRY_VERIFY(wrong.problem().startsWith(QStringLiteral("AUTH refused: WRONGPASS")));
        QVERIFY(!wrong.problem().contains(QStringLiteral("guess")));
        QVERIFY(!wrong.isReady());
    }

    // rediss:// with a certificate the system does not know, trusted by the connection's CA
    // list (REDIS_TLS_CA_FILE); without it, the connection refuses the server.
    void tlsIsSpoken()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
        RedisHarness redis({}, RedisHarness::TlsFiles{cert, key});
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));

        RedisConnection::Options options = optionsFor(redis.url());
        options.caCertificates = QSslCertificate::fromPath(cert);
        RedisConnection trusted(options);
        trusted.start();
        QTRY_VERIFY(trusted.isReady());
        QCOMPARE(ask(trusted, {"PING"}).text, QByteArray("PONG"));

        RedisConnection untrusted(optionsFor(redis.url()));
        untrusted.start();
        QTRY_VERIFY(!untrusted.problem().isEmpty() &&
                    untrusted.problem() != QStringLiteral("not connected yet"));
        QTest::qWait(300);
        QVERIFY(!untrusted.isReady());
    }

    // Redis killed: what was waiting is answered with an error at once, new commands too, and
    // the connection comes back by itself when Redis does.
    void aDeadRedisAnswersAtOnceThenComesBack()
    {
        RedisHarness redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        RedisConnection connection(optionsFor(redis.url()));
        QSignalSpy lost(&connection, &RedisConnection::lost);
        connection.start();
        QTRY_VERIFY(connection.isReady());
        std::optional<RedisReply> waiting;
        connection.command({"BLPOP", "nothing", "0"},
                           [&waiting](const RedisReply &reply) { waiting = reply; });
        redis.kill();
        QTRY_VERIFY(waiting.has_value());
        QVERIFY(waiting->isError());
        QCOMPARE(lost.size(), 1);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(ask(connection, {"PING"}).isError());
        QVERIFY(timer.elapsed() < 50);

        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(connection.isReady(), 10000);
        QCOMPARE(ask(connection, {"PING"}).text, QByteArray("PONG"));
    }

    // A stuck Redis (SIGSTOP): a command unanswered for answerTimeoutMs drops the connection,
    // its caller is answered, and the connection is made again once Redis moves.
    void aStuckRedisIsLeft()
    {
        RedisHarness redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        RedisConnection connection(optionsFor(redis.url()));
        connection.start();
        QTRY_VERIFY(connection.isReady());
        redis.pause();
        std::optional<RedisReply> waiting;
        connection.command({"PING"}, [&waiting](const RedisReply &reply) { waiting = reply; });
        QTRY_VERIFY_WITH_TIMEOUT(waiting.has_value(), 3000);
        QVERIFY(waiting->isError());
        QCOMPARE(connection.problem(), QStringLiteral("no answer within 1000 ms"));
        redis.resume();
        QTRY_VERIFY_WITH_TIMEOUT(connection.isReady(), 10000);
    }

    // A subscriber only listens; if its Redis freezes (SIGSTOP, a vanished host), the pings
    // of a quiet connection notice it within two answer timeouts.
    void aFrozenRedisIsNoticedByAQuietSubscriber()
    {
        RedisHarness redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        RedisSubscriber subscriber(optionsFor(redis.url()),
                                   [](const QByteArray &, const QByteArray &) {});
        QSignalSpy lost(&subscriber, &RedisSubscriber::lost);
        subscriber.subscribe("quiet");
        subscriber.start();
        QTRY_VERIFY(subscriber.isReady());
        redis.pause();
        QTRY_VERIFY_WITH_TIMEOUT(!lost.isEmpty(), 3500);
        QCOMPARE(subscriber.problem(), QStringLiteral("no answer within 1000 ms"));
        redis.resume();
        QTRY_VERIFY_WITH_TIMEOUT(subscriber.isReady(), 10000);
    }

    // Messages published on a channel reach the subscriber; after Redis restarts the channels
    // are subscribed again and `resubscribed` says messages may have been missed.
    void subscriptionsOutliveRestarts()
    {
        RedisHarness redis;
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QList<QByteArray> received;
        RedisSubscriber subscriber(optionsFor(redis.url()), [&received](const QByteArray &channel,
                                                                        const QByteArray &payload) {
            received.append(channel + '=' + payload);
        });
        QSignalSpy resubscribed(&subscriber, &RedisSubscriber::resubscribed);
        subscriber.subscribe("room:1");
        subscriber.start();
        QTRY_COMPARE(resubscribed.size(), 1);
        subscriber.subscribe("room:2");
        RedisConnection publisher(optionsFor(redis.url()));
        publisher.start();
        QTRY_VERIFY(publisher.isReady());
        QTRY_COMPARE(ask(publisher, {"PUBLISH", "room:2", "x"}).integer, 1); // once subscribed
        QCOMPARE(ask(publisher, {"PUBLISH", "room:1", "hello"}).integer, 1);
        QCOMPARE(ask(publisher, {"PUBLISH", "room:3", "not for us"}).integer, 0);
        QTRY_VERIFY(received.contains("room:1=hello"));
        subscriber.unsubscribe("room:1");
        QTRY_COMPARE(ask(publisher, {"PUBLISH", "room:1", "gone"}).integer, 0);

        redis.kill();
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(resubscribed.size() == 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(publisher.isReady(), 10000);
        QCOMPARE(ask(publisher, {"PUBLISH", "room:2", "again"}).integer, 1);
        QTRY_VERIFY(received.contains("room:2=again"));
        QVERIFY(!received.contains("room:1=gone"));
    }
};

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
