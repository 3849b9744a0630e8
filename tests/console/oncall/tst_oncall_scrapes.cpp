// Figures from two scrapes, as Prometheus' rate() and histogram_quantile() would compute them
// over the interval between the scrapes: counters, resets, histogram P99 from the buckets'
// increases, and figures the server does not export staying unknown.
#include "FigureCatalog.h"
#include "PrometheusText.h"
#include "ScrapeDelta.h"
#include "ScrapeFigures.h"

#include <QTest>
#include <cmath>

using namespace veza::oncall;

namespace {

// QStringBuilder expressions become one QByteArray first.
Exposition parse(const QByteArray &text)
{
    return PrometheusText::parse(text);
}

constexpr qint64 kT0 = 1'700'000'000'000;

// Buckets of a histogram as the server exposes them: cumulative counts per `le`.
QByteArray histogram(const QByteArray &name, const QByteArray &labels,
                     const QList<std::pair<const char *, int>> &buckets, bool withType = true)
{
    QByteArray out = withType ? "# TYPE " + name + " histogram\n" : QByteArray();
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
    for (const auto &[le, count] : buckets)
        out +=
            name + "_bucket{" + prefix + "le=\"" + le + "\"} " + QByteArray::number(count) + '\n';
    return out;
}

} // namespace

class TestScrapes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketQuantile_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("expected");
        // 3 observations <= 5 ms, 4 in (5, 10] ms, 1 above 10 ms.
        QTest::newRow("median, interpolated") << 0.5 << 0.00625;
        QTest::newRow("p99 in +Inf: the highest finite bound") << 0.99 << 0.01;
        QTest::newRow("first bucket from 0") << 0.25 << 0.005 * (2.0 / 3.0);
    }

    void bucketQuantile()
    {
        QFETCH(double, q);
        QFETCH(double, expected);
        const double got = ScrapeDelta::bucketQuantile(q, {{qInf(), 8}, {0.005, 3}, {0.01, 7}});
        QVERIFY2(std::abs(got - expected) < 1e-12, qPrintable(QString::number(got, 'g', 17)));
    }

    void bucketQuantileWithoutObservationsIsUnknown()
    {
        QVERIFY(std::isnan(ScrapeDelta::bucketQuantile(0.99, {{0.1, 0}, {qInf(), 0}})));
        QVERIFY(std::isnan(ScrapeDelta::bucketQuantile(0.99, {{0.1, 5}}))); // no +Inf bucket
    }

    // 1000 fast requests before the first scrape, 100 slow ones between the two: the P99 of
    // the interval is the slow ones' (199 ms), not the all-time one (189 ms).
    void p99ComesFromTheIncreaseBetweenScrapes()
    {
        const Exposition before =
            parse(histogram("http_request_duration_seconds", "route=\"/a\"",
                            {{"0.05", 600}, {"0.1", 600}, {"0.2", 600}, {"+Inf", 600}}) +
                  histogram("http_request_duration_seconds", "route=\"/b\"",
                            {{"0.05", 400}, {"0.1", 400}, {"0.2", 400}, {"+Inf", 400}}, false));
        const Exposition after =
            parse(histogram("http_request_duration_seconds", "route=\"/a\"",
                            {{"0.05", 600}, {"0.1", 600}, {"0.2", 660}, {"+Inf", 660}}) +
                  histogram("http_request_duration_seconds", "route=\"/b\"",
                            {{"0.05", 400}, {"0.1", 400}, {"0.2", 440}, {"+Inf", 440}}, false));
        QVERIFY(after.errors.isEmpty());
        const ScrapeDelta delta(&before, kT0, after, kT0 + 5000);
        const double p99 = delta.quantile(0.99, QStringLiteral("http_request_duration_seconds"));
        QVERIFY2(std::abs(p99 - 0.199) < 1e-9, qPrintable(QString::number(p99)));

        const auto figures = ScrapeFigures::compute(&before, kT0, after, kT0 + 5000);
        QVERIFY(std::abs(figures.value(QStringLiteral("http_p99_ms")).value - 199) < 1e-6);
        // Nothing observed between the scrapes: no P99 rather than an invented one.
        const auto idle = ScrapeFigures::compute(&after, kT0, after, kT0 + 5000);
        QVERIFY(std::isnan(idle.value(QStringLiteral("http_p99_ms")).value));
    }

    void ratesFollowCountersAndTheirResets()
    {
        const Exposition before = parse("# TYPE c counter\n"
                                        "c{k=\"steady\"} 100\n"
                                        "c{k=\"restarted\"} 500\n");
        const Exposition after = parse("# TYPE c counter\n"
                                       "c{k=\"steady\"} 160\n"
                                       "c{k=\"restarted\"} 20\n"
                                       "c{k=\"new\"} 10\n");
        const ScrapeDelta delta(&before, kT0, after, kT0 + 30000);
        QCOMPARE(delta.seconds(), 30.0);
        // 60 + 20 (reset: its whole value) + 10 (born since) over 30 s.
        QCOMPARE(delta.rate(QStringLiteral("c")), 3.0);
        QCOMPARE(delta.rate(QStringLiteral("c"),
                            [](const MetricSample &s) { return s.label(u"k") == u"steady"; }),
                 2.0);
        QVERIFY(std::isnan(delta.rate(QStringLiteral("not_exported"))));
        const ScrapeDelta first(nullptr, 0, after, kT0);
        QVERIFY(std::isnan(first.rate(QStringLiteral("c"))));
        QCOMPARE(first.gauge(QStringLiteral("c")), 190.0);
    }

    void figuresFromTwoScrapes()
    {
        const QByteArray common = "# TYPE websocket_connections_active gauge\n"
                                  "websocket_connections_active 1234\n"
                                  "active_users_total 987\n"
                                  "memory_usage_percent 42.5\n"
                                  "cpu_usage_percent 37.5\n"
                                  "streams_active 3\n"
                                  "listeners_active 17\n"
                                  "stream_quality_degraded_percent 6.25\n"
                                  "message_delivery_success_rate 0.9995\n"
                                  "process_open_fds 64\n";
        const Exposition before =
            parse(common +
                  "# TYPE http_requests_total counter\n"
                  "http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"} 100\n"
                  "chat_messages_total{result=\"stored\"} 1000\n"
                  "chat_messages_total{result=\"rate_limited\"} 50\n"
                  "process_cpu_seconds_total 10\n"
                  "websocket_slow_consumer_disconnects_total 4\n");
        const Exposition after =
            parse(common +
                  "# TYPE http_requests_total counter\n"
                  "http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"} 190\n"
                  "http_requests_total{method=\"GET\",route=\"/health/ready\",status=\"503\"} 10\n"
                  "chat_messages_total{result=\"stored\"} 1050\n"
                  "chat_messages_total{result=\"rate_limited\"} 450\n"
                  "process_cpu_seconds_total 12\n"
                  "websocket_slow_consumer_disconnects_total 6\n");
        const auto f = ScrapeFigures::compute(&before, kT0, after, kT0 + 4000);
        const auto value = [&f](const char *key) {
            return f.value(QString::fromLatin1(key)).value;
        };
        QCOMPARE(value("connections"), 1234.0);
        QCOMPARE(value("active_users"), 987.0);
        QCOMPARE(value("messages_per_second"), 12.5); // stored only: 50 in 4 s
        QCOMPARE(value("error_rate_percent"), 10.0);  // 10 of 100 requests were 5xx
        QCOMPARE(value("cpu_percent"), 37.5);         // the server's, of the container's limit
        QCOMPARE(value("memory_percent"), 42.5);
        QCOMPARE(value("streams"), 3.0);
        QCOMPARE(value("listeners"), 17.0);
        QCOMPARE(value("stream_degraded_percent"), 6.25);
        QVERIFY(std::abs(value("delivery_success_percent") - 99.95) < 1e-9);
        QCOMPARE(value("slow_consumer_disconnects_per_minute"), 30.0); // 2 in 4 s
        QCOMPARE(value("open_files"), 64.0);
        // Not in the exposition: unknown, never 0.
        QVERIFY(std::isnan(value("message_p99_ms")));
        QVERIFY(std::isnan(value("db_query_p99_ms")));
        QVERIFY(std::isnan(value("http_p99_ms")));
    }

    void nothingExportedLeavesEveryFigureUnknown()
    {
        const Exposition empty = parse("# nothing here\n");
        const auto f = ScrapeFigures::compute(&empty, kT0, empty, kT0 + 5000);
        for (const FigureDefinition &figure : FigureCatalog::all())
            QVERIFY2(std::isnan(f.value(figure.key).value), qPrintable(figure.key));
    }

    // A family the server exports without the child asked for yet: 0, not unknown.
    void declaredFamilyWithoutTheChildIsZero()
    {
        const Exposition before =
            parse("# TYPE chat_messages_total counter\n# TYPE http_requests_total counter\n"
                  "http_requests_total{status=\"200\"} 5\n");
        const Exposition after =
            parse("# TYPE chat_messages_total counter\n# TYPE http_requests_total counter\n"
                  "http_requests_total{status=\"200\"} 9\n");
        const auto f = ScrapeFigures::compute(&before, kT0, after, kT0 + 2000);
        QCOMPARE(f.value(QStringLiteral("messages_per_second")).value, 0.0);
        QCOMPARE(f.value(QStringLiteral("error_rate_percent")).value, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestScrapes)
#include "tst_oncall_scrapes.moc"
