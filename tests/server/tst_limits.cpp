// Per-user rate limits and the bad-frame rule: their arithmetic, with time under test control.
#include "net/BadFrameWindow.h"
#include "net/TokenBucket.h"

#include <QTest>

using namespace veza::net;

class TestLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketAllowsBurstThenRate()
    {
        TokenBucket bucket(100, 20, 0); // 100/s, burst 20
        for (int i = 0; i < 20; ++i)
            QVERIFY(bucket.tryTake(0));
        qint64 retryAfter = 0;
        QVERIFY(!bucket.tryTake(0, &retryAfter));
        QCOMPARE(retryAfter, 10); // one token every 10 ms
        QVERIFY(!bucket.tryTake(9));
        QVERIFY(bucket.tryTake(10));
        // A second at the rate: exactly 100 more pass, the 101st does not.
        int passed = 0;
        for (qint64 t = 11; t <= 1010; ++t)
            passed += bucket.tryTake(t) ? 1 : 0;
        QVERIFY2(passed >= 99 && passed <= 100, qPrintable(QString::number(passed)));
    }

    void bucketNeverExceedsBurstAfterIdling()
    {
        TokenBucket bucket(100, 5, 0);
        QCOMPARE(bucket.available(3600 * 1000), 5.0);
    }

    void retryAfterIsAtLeastOneMillisecond()
    {
        TokenBucket bucket(1e6, 1, 0);
        QVERIFY(bucket.tryTake(0));
        qint64 retryAfter = 0;
        QVERIFY(!bucket.tryTake(0, &retryAfter));
        QCOMPARE(retryAfter, 1);
    }

    void badFramesTripOnlyWhenDenseEnough()
    {
        BadFrameWindow<50> window(10000);
        for (int i = 0; i < 49; ++i)
            QVERIFY(!window.recordAndCheck(i * 100));
        QVERIFY(window.recordAndCheck(4900)); // 50 within 4.9 s

        BadFrameWindow<50> sparse(10000);
        bool tripped = false;
        for (int i = 0; i < 500; ++i)
            tripped |= sparse.recordAndCheck(i * 250); // 40 per 10 s
        QVERIFY(!tripped);
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
