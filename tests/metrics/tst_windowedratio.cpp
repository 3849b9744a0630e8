// message_delivery_success_rate's arithmetic: a ratio over a trailing window, with time under
// test control.
#include "metrics/Gauge.h"
#include "metrics/MetricsRegistry.h"
#include "metrics/WindowedRatio.h"

#include <QTest>

using namespace veza::metrics;

class TestWindowedRatio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ratioCoversOnlyTheWindow()
    {
        MetricsRegistry registry;
        WindowedRatio ratio(registry, QStringLiteral("delivery_ratio"), QStringLiteral("test"),
                            1000);
        Gauge &gauge = registry.gauge(QStringLiteral("delivery_ratio"), QStringLiteral("test"));
        const qint64 t0 = 1'000'000'000'000;
        ratio.refresh(t0);
        QCOMPARE(gauge.value(), 1.0); // nothing attempted

        for (int i = 0; i < 10; ++i)
            ratio.recordAttempt();
        for (int i = 0; i < 5; ++i)
            ratio.recordSuccess();
        ratio.refresh(t0 + 100);
        QCOMPARE(gauge.value(), 0.5);

        // 10 more, all delivered; the first ten are still inside the window.
        for (int i = 0; i < 10; ++i) {
            ratio.recordAttempt();
            ratio.recordSuccess();
        }
        ratio.refresh(t0 + 500);
        QCOMPARE(gauge.value(), 0.75);

        // Later, the bad period has left the window: only the recent deliveries count.
        ratio.refresh(t0 + 1200);
        for (int i = 0; i < 4; ++i) {
            ratio.recordAttempt();
            ratio.recordSuccess();
        }
        ratio.refresh(t0 + 1700);
        QCOMPARE(gauge.value(), 1.0);
    }

    void renderedWithTheRegistry()
    {
        MetricsRegistry registry;
        WindowedRatio ratio(registry, QStringLiteral("delivery_ratio"), QStringLiteral("test"),
                            300000);
        ratio.recordAttempt();
        QVERIFY(registry.render().contains("\ndelivery_ratio 0\n"));
        ratio.recordSuccess();
        QVERIFY(registry.render().contains("\ndelivery_ratio 1\n"));
    }
};

QTEST_GUILESS_MAIN(TestWindowedRatio)
#include "tst_windowedratio.moc"
