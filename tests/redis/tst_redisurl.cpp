// REDIS_URL as operators write it: redis:// or rediss://, an ACL user, a database number;
// anything else is refused with a reason, and the password never shows in what is logged.
#include "redis/RedisUrl.h"

#include <QTest>

using veza::redis::RedisUrl;

class TestRedisUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsWhatOperatorsWrite()
    {
        const auto plain = RedisUrl::parse(QStringLiteral("redis://cache.internal"), nullptr);
        QVERIFY(plain);
        QCOMPARE(plain->host, QStringLiteral("cache.internal"));
        QCOMPARE(plain->port, quint16(6379));
        QCOMPARE(plain->database, 0);
        QVERIFY(!plain->tls);

        const auto full =
            RedisUrl::parse(QStringLiteral("rediss://veza:p%40ss%3Aword@10.0.0.5:6380/3"), nullptr);
        QVERIFY(full);
        QVERIFY(full->tls);
        QCOMPARE(full->user, QStringLiteral("veza"));
        QCOMPARE(full->password, QStringLiteral("p@ss:word"));
        QCOMPARE(full->port, quint16(6380));
        QCOMPARE(full->database, 3);
        QCOMPARE(full->redacted(), QStringLiteral("rediss://veza:***@10.0.0.5:6380/3"));

        const auto legacy = RedisUrl::parse(QStringLiteral("redis://:secret@[::1]:7000"), nullptr);
        QVERIFY(legacy);
        QVERIFY(legacy->user.isEmpty());
        QCOMPARE(legacy->password, QStringLiteral("secret"));
        QCOMPARE(legacy->redacted(), QStringLiteral("redis://:***@[::1]:7000/0"));
    }

    void refusesWithAReason_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::newRow("scheme") << "http://x"
                                << "the scheme must be redis:// or rediss://";
        QTest::newRow("no host") << "redis://"
                                 << "no host";
        QTest::newRow("database") << "redis://x/abc"
                                  << "the path must be a database number (/0)";
        QTest::newRow("user alone") << "redis://veza@x"
                                    << "a user needs a password (redis://user:password@host)";
    }

    void refusesWithAReason()
    {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!RedisUrl::parse(url, &error));
        QCOMPARE(error, reason);
    }
};

QTEST_GUILESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
