// Unit tests of the metrics module: metric kinds, text format, registry rules, process metrics.

#include "metrics/MetricsRegistry.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/TextFormat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QTest>
#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <limits>
#include <thread>
#include <unistd.h>

using namespace veza::metrics;

namespace {

constexpr double pinf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

// "name{labels}" -> value for every sample line of a render.
QHash<QString, double> parseSamples(const QByteArray &text)
{
    QHash<QString, double> samples;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        const QByteArray value = line.mid(space + 1);
        double v = 0;
        if (value == "+Inf")
            v = pinf;
        else if (value == "-Inf")
            v = -pinf;
        else if (value == "NaN")
            v = qnan;
        else
            v = std::strtod(value.constData(), nullptr);
        samples.insert(QString::fromUtf8(line.left(space)), v);
    }
    return samples;
}

// Child processes started by fatalRegistration(): each performs one programming error that
// must abort. Returns only if it did not.
int runFatalCase(const QByteArray &which)
{
    MetricsRegistry r;
    if (which == "kind") {
        r.counter(QStringLiteral("shared_total"), QStringLiteral("h"));
        r.gauge(QStringLiteral("shared_total"), QStringLiteral("h"));
    } else if (which == "labels") {
        r.counterFamily(QStringLiteral("x_total"), QStringLiteral("h"), {QStringLiteral("a")});
        r.counterFamily(QStringLiteral("x_total"), QStringLiteral("h"), {QStringLiteral("b")});
    } else if (which == "buckets") {
        r.histogram(QStringLiteral("x_seconds"), QStringLiteral("h"), {1, 2});
        r.histogram(QStringLiteral("x_seconds"), QStringLiteral("h"), {1, 3});
    } else if (which == "name") {
        r.gauge(QStringLiteral("bad-name"), QStringLiteral("h"));
    } else if (which == "labelname") {
        r.gaugeFamily(QStringLiteral("x"), QStringLiteral("h"), {QStringLiteral("1abc")});
    } else if (which == "reservedlabel") {
        r.gaugeFamily(QStringLiteral("x"), QStringLiteral("h"), {QStringLiteral("__name")});
    } else if (which == "duplicatelabel") {
        r.gaugeFamily(QStringLiteral("x"), QStringLiteral("h"),
                      {QStringLiteral("a"), QStringLiteral("a")});
    } else if (which == "le") {
        r.histogramFamily(QStringLiteral("x_seconds"), QStringLiteral("h"), {QStringLiteral("le")});
    } else if (which == "series") {
        r.histogram(QStringLiteral("rtt_seconds"), QStringLiteral("h"));
        r.gauge(QStringLiteral("rtt_seconds_count"), QStringLiteral("h"));
    } else if (which == "unsorted") {
        r.histogram(QStringLiteral("x_seconds"), QStringLiteral("h"), {2, 1});
    } else if (which == "labelcount") {
        r.counterFamily(QStringLiteral("x_total"), QStringLiteral("h"), {QStringLiteral("a")})
            .labels({QStringLiteral("1"), QStringLiteral("2")});
    }
    return 0;
}

} // namespace

class TstMetrics : public QObject
{
    Q_OBJECT

private slots:
    void counter_data();
    void counter();
    void counterIgnoresNegativeIncrements();
    void gauge_data();
    void gauge();
    void histogram_data();
    void histogram();
    void histogramBoundsValidation_data();
    void histogramBoundsValidation();
    void defaultLatencyBuckets();
    void labelEscaping_data();
    void labelEscaping();
    void helpEscaping_data();
    void helpEscaping();
    void numberFormatting_data();
    void numberFormatting();
    void nameValidation_data();
    void nameValidation();
    void familyChildIdentity();
    void reRegistrationReturnsSameObject();
    void fatalRegistration_data();
    void fatalRegistration();
    void renderExact();
    void renderOmitsUnusedFamilies();
    void removedChildLeavesTheExposition();
    void collectorsRunOnEachRender();
    void concurrentUpdates();
    void parseStat_data();
    void parseStat();
    void processMetricsPlausible();
    void processMetricsOpenFdsTrackFiles();
    void processMetricsCpuSeconds();
    void processMetricsCollectorOutlivesObject();
};

void TstMetrics::counter_data()
{
    QTest::addColumn<QList<double>>("increments");
    QTest::addColumn<double>("expected");
    QTest::newRow("untouched") << QList<double>{} << 0.0;
    QTest::newRow("ones") << QList<double>{1, 1, 1} << 3.0;
    QTest::newRow("fractions") << QList<double>{0.5, 0.25, 0.125} << 0.875;
    QTest::newRow("zero") << QList<double>{0} << 0.0;
    QTest::newRow("large") << QList<double>{1e12, 1e12} << 2e12;
}

void TstMetrics::counter()
{
    QFETCH(QList<double>, increments);
    QFETCH(double, expected);
    Counter c;
    for (double v : increments)
        c.inc(v);
    QCOMPARE(c.value(), expected);
}

void TstMetrics::counterIgnoresNegativeIncrements()
{
#ifndef QT_NO_DEBUG
    QSKIP("a negative increment asserts in debug builds");
#else
    Counter c;
    c.inc(5);
    c.inc(-2);
    c.inc(qnan);
    QCOMPARE(c.value(), 5.0);
#endif
}

void TstMetrics::gauge_data()
{
    QTest::addColumn<QStringList>("ops"); // "set:x", "inc:x", "dec:x", "inc", "dec"
    QTest::addColumn<double>("expected");
    QTest::newRow("untouched") << QStringList{} << 0.0;
    QTest::newRow("set") << QStringList{"set:42"} << 42.0;
    QTest::newRow("inc dec default") << QStringList{"inc", "inc", "dec"} << 1.0;
    QTest::newRow("negative") << QStringList{"dec:2.5"} << -2.5;
    QTest::newRow("set overrides") << QStringList{"inc:10", "set:3", "inc:0.5"} << 3.5;
}

void TstMetrics::gauge()
{
    QFETCH(QStringList, ops);
    QFETCH(double, expected);
    Gauge g;
    for (const QString &op : ops) {
        const QStringList parts = op.split(u':');
        const double arg = parts.size() > 1 ? parts[1].toDouble() : 1.0;
        if (parts[0] == u"set")
            g.set(arg);
        else if (parts[0] == u"inc")
            parts.size() > 1 ? g.inc(arg) : g.inc();
        else
            parts.size() > 1 ? g.dec(arg) : g.dec();
    }
    QCOMPARE(g.value(), expected);
}

void TstMetrics::histogram_data()
{
    QTest::addColumn<std::vector<double>>("bounds");
    QTest::addColumn<QList<double>>("observations");
    QTest::addColumn<QList<quint64>>("cumulative"); // one per bound, then +Inf
    QTest::addColumn<double>("sum");

    QTest::newRow("empty") << std::vector<double>{1, 2} << QList<double>{}
                           << QList<quint64>{0, 0, 0} << 0.0;
    QTest::newRow("bound is inclusive")
        << std::vector<double>{1, 2} << QList<double>{1, 2} << QList<quint64>{1, 2, 2} << 3.0;
    QTest::newRow("spread") << std::vector<double>{0.25, 1, 4}
                            << QList<double>{0.125, 0.5, 0.75, 3, 100} << QList<quint64>{1, 3, 4, 5}
                            << 104.375;
    QTest::newRow("all above") << std::vector<double>{1} << QList<double>{5, 6}
                               << QList<quint64>{0, 2} << 11.0;
    QTest::newRow("negative values") << std::vector<double>{-1, 0} << QList<double>{-2, -1, -0.5}
                                     << QList<quint64>{2, 3, 3} << -3.5;
    QTest::newRow("only +Inf bucket")
        << std::vector<double>{} << QList<double>{1, 2} << QList<quint64>{2} << 3.0;
    QTest::newRow("trailing +Inf dropped")
        << std::vector<double>{1, pinf} << QList<double>{0.5, 9} << QList<quint64>{1, 2} << 9.5;
}

void TstMetrics::histogram()
{
    QFETCH(std::vector<double>, bounds);
    QFETCH(QList<double>, observations);
    QFETCH(QList<quint64>, cumulative);
    QFETCH(double, sum);

    Histogram h(bounds);
    for (double v : observations)
        h.observe(v);
    QCOMPARE(h.count(), quint64(observations.size()));
    QCOMPARE(h.sum(), sum);
    const Histogram::Snapshot snap = h.snapshot();
    QCOMPARE(QList<quint64>(snap.cumulativeCounts.begin(), snap.cumulativeCounts.end()),
             cumulative);
    QCOMPARE(snap.count, quint64(observations.size()));
    QCOMPARE(snap.sum, sum);
    QCOMPARE(h.upperBounds().size() + 1, std::size_t(cumulative.size()));
    // Cumulative: never decreasing, last equals count.
    for (qsizetype i = 1; i < cumulative.size(); ++i)
        QVERIFY(snap.cumulativeCounts[i] >= snap.cumulativeCounts[i - 1]);
    QCOMPARE(snap.cumulativeCounts.back(), snap.count);
}

void TstMetrics::histogramBoundsValidation_data()
{
    QTest::addColumn<std::vector<double>>("bounds");
    QTest::addColumn<bool>("valid");
    QTest::newRow("defaults") << MetricsRegistry::defaultLatencyBuckets() << true;
    QTest::newRow("empty") << std::vector<double>{} << true;
    QTest::newRow("only +Inf") << std::vector<double>{pinf} << true;
    QTest::newRow("unsorted") << std::vector<double>{2, 1} << false;
    QTest::newRow("duplicate") << std::vector<double>{1, 1} << false;
    QTest::newRow("NaN") << std::vector<double>{1, qnan} << false;
    QTest::newRow("-Inf") << std::vector<double>{-pinf, 1} << false;
    QTest::newRow("+Inf not last") << std::vector<double>{pinf, pinf} << false;
}

void TstMetrics::histogramBoundsValidation()
{
    QFETCH(std::vector<double>, bounds);
    QFETCH(bool, valid);
    QString error;
    Histogram::normalizedBounds(bounds, &error);
    QCOMPARE(error.isEmpty(), valid);
}

void TstMetrics::defaultLatencyBuckets()
{
    const auto buckets = MetricsRegistry::defaultLatencyBuckets();
    QVERIFY(buckets.size() >= 10);
    QCOMPARE(buckets.front(), 0.0005);
    QCOMPARE(buckets.back(), 10.0);
    QString error;
    QCOMPARE(Histogram::normalizedBounds(buckets, &error), buckets);
    QVERIFY(error.isEmpty());
}

void TstMetrics::labelEscaping_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << "GET /api" << QByteArray("GET /api");
    QTest::newRow("quote") << "say \"hi\"" << QByteArray(R"(say \"hi\")");
    QTest::newRow("backslash") << R"(C:\dir)" << QByteArray(R"(C:\\dir)");
    QTest::newRow("newline") << "a\nb" << QByteArray(R"(a\nb)");
    QTest::newRow("all") << "\\\"\n" << QByteArray(R"(\\\"\n)");
    QTest::newRow("tab untouched") << "a\tb" << QByteArray("a\tb");
    QTest::newRow("utf8") << QString::fromUtf8("caf\u00e9 \u266b")
                          << QByteArray("caf\xc3\xa9 \xe2\x99\xab");
    QTest::newRow("empty") << "" << QByteArray();
}

void TstMetrics::labelEscaping()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, escaped);
    QCOMPARE(TextFormat::escapeLabelValue(value), escaped);
    QCOMPARE(TextFormat::formatLabels({QStringLiteral("k")}, {value}), "k=\"" + escaped + '"');
}

void TstMetrics::helpEscaping_data()
{
    QTest::addColumn<QString>("help");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << "Requests served." << QByteArray("Requests served.");
    QTest::newRow("quote kept") << "the \"x\" one" << QByteArray("the \"x\" one");
    QTest::newRow("backslash") << R"(a\b)" << QByteArray(R"(a\\b)");
    QTest::newRow("newline") << "line1\nline2" << QByteArray(R"(line1\nline2)");
}

void TstMetrics::helpEscaping()
{
    QFETCH(QString, help);
    QFETCH(QByteArray, escaped);
    QCOMPARE(TextFormat::escapeHelp(help), escaped);
}

void TstMetrics::numberFormatting_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("negative zero") << -0.0 << QByteArray("0");
    QTest::newRow("one") << 1.0 << QByteArray("1");
    QTest::newRow("minus one") << -1.0 << QByteArray("-1");
    QTest::newRow("million and half") << 1500000.0 << QByteArray("1500000");
    QTest::newRow("2^53 - 1") << 9007199254740991.0 << QByteArray("9007199254740991");
    QTest::newRow("tenth") << 0.1 << QByteArray("0.1");
    QTest::newRow("bucket bound") << 0.0005 << QByteArray("0.0005");
    QTest::newRow("fraction") << -2.5 << QByteArray("-2.5");
    QTest::newRow("sum noise") << 0.1 + 0.2 << QByteArray("0.30000000000000004");
    QTest::newRow("tiny") << 1e-9 << QByteArray("1e-09");
    QTest::newRow("huge") << 1e21 << QByteArray("1e+21");
    QTest::newRow("+Inf") << pinf << QByteArray("+Inf");
    QTest::newRow("-Inf") << -pinf << QByteArray("-Inf");
    QTest::newRow("NaN") << qnan << QByteArray("NaN");
}

void TstMetrics::numberFormatting()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    const QByteArray formatted = TextFormat::formatNumber(value);
    QCOMPARE(formatted, text);
    // Whatever the spelling, it must read back as the same number (Prometheus parses with Go's
    // ParseFloat, which agrees with strtod on these forms).
    if (std::isfinite(value))
        QCOMPARE(std::strtod(formatted.constData(), nullptr), value);
}

void TstMetrics::nameValidation_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("validMetric");
    QTest::addColumn<bool>("validLabel");
    QTest::newRow("snake") << "http_requests_total" << true << true;
    QTest::newRow("leading underscore") << "_x" << true << true;
    QTest::newRow("colon") << "job:rate5m" << true << false;
    QTest::newRow("digits") << "a1_2" << true << true;
    QTest::newRow("leading digit") << "1a" << false << false;
    QTest::newRow("dash") << "a-b" << false << false;
    QTest::newRow("dot") << "a.b" << false << false;
    QTest::newRow("space") << "a b" << false << false;
    QTest::newRow("empty") << "" << false << false;
    QTest::newRow("non-ascii") << QString::fromUtf8("caf\u00e9") << false << false;
    QTest::newRow("reserved label") << "__name__" << true << false;
}

void TstMetrics::nameValidation()
{
    QFETCH(QString, name);
    QFETCH(bool, validMetric);
    QFETCH(bool, validLabel);
    QCOMPARE(TextFormat::isValidMetricName(name), validMetric);
    QCOMPARE(TextFormat::isValidLabelName(name), validLabel);
}

void TstMetrics::familyChildIdentity()
{
    MetricsRegistry r;
    Family<Counter> &f = r.counterFamily(QStringLiteral("calls_total"), QStringLiteral("Calls."),
                                         {QStringLiteral("method"), QStringLiteral("code")});
    Counter &a = f.labels({QStringLiteral("GET"), QStringLiteral("200")});
    Counter &b = f.labels({QStringLiteral("GET"), QStringLiteral("500")});
    QVERIFY(&a != &b);
    QCOMPARE(&f.labels({QStringLiteral("GET"), QStringLiteral("200")}), &a);
    // Order matters: (200, GET) is a different child from (GET, 200).
    QVERIFY(&f.labels({QStringLiteral("200"), QStringLiteral("GET")}) != &a);
    a.inc();
    // Cached references survive many later children (no reallocation moves them).
    for (int i = 0; i < 2000; ++i)
        f.labels({QStringLiteral("PUT"), QString::number(i)});
    a.inc();
    QCOMPARE(&f.labels({QStringLiteral("GET"), QStringLiteral("200")}), &a);
    QCOMPARE(a.value(), 2.0);
    QCOMPARE(f.children().size(), std::size_t(2003));
    QCOMPARE(f.children().front().metric, &a);
    QCOMPARE(*f.children().front().labelText, QByteArray(R"(method="GET",code="200")"));
}

void TstMetrics::reRegistrationReturnsSameObject()
{
    MetricsRegistry r;
    Gauge &g1 = r.gauge(QStringLiteral("websocket_connections_active"), QStringLiteral("Open."));
    Gauge &g2 = r.gauge(QStringLiteral("websocket_connections_active"), QStringLiteral("Open."));
    QCOMPARE(&g1, &g2);
    Counter &c1 = r.counter(QStringLiteral("a_total"), QStringLiteral("A."));
    QCOMPARE(&r.counter(QStringLiteral("a_total"), QStringLiteral("A.")), &c1);
    Histogram &h1 = r.histogram(QStringLiteral("h_seconds"), QStringLiteral("H."));
    QCOMPARE(&r.histogram(QStringLiteral("h_seconds"), QStringLiteral("H.")), &h1);
    auto &f1 = r.histogramFamily(QStringLiteral("hf_seconds"), QStringLiteral("HF."),
                                 {QStringLiteral("x")}, {1, 2});
    QCOMPARE(&r.histogramFamily(QStringLiteral("hf_seconds"), QStringLiteral("HF."),
                                {QStringLiteral("x")}, {1, 2, pinf}),
             &f1);
    auto &gf = r.gaugeFamily(QStringLiteral("g"), QStringLiteral("G."), {QStringLiteral("x")});
    QCOMPARE(&r.gaugeFamily(QStringLiteral("g"), QStringLiteral("G."), {QStringLiteral("x")}), &gf);

    // Different help is tolerated (the first wins) but reported.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("a_total registered again")));
    QCOMPARE(&r.counter(QStringLiteral("a_total"), QStringLiteral("Other help.")), &c1);

    g1.inc();
    const QByteArray text = r.render();
    QCOMPARE(text.count("# TYPE websocket_connections_active gauge"), 1);
    QVERIFY(text.contains("# HELP a_total A.\n"));
}

void TstMetrics::fatalRegistration_data()
{
    QTest::addColumn<QByteArray>("which");
    QTest::addColumn<QString>("message");
    QTest::newRow("kind conflict") << QByteArray("kind") << "shared_total registered twice";
    QTest::newRow("label conflict") << QByteArray("labels") << "x_total registered twice";
    QTest::newRow("bucket conflict") << QByteArray("buckets") << "x_seconds registered twice";
    QTest::newRow("invalid name") << QByteArray("name") << "invalid metric name \"bad-name\"";
    QTest::newRow("invalid label") << QByteArray("labelname") << "invalid label name \"1abc\"";
    QTest::newRow("reserved label")
        << QByteArray("reservedlabel") << "invalid label name \"__name\"";
    QTest::newRow("duplicate label") << QByteArray("duplicatelabel") << "duplicate label name";
    QTest::newRow("le on histogram") << QByteArray("le") << "\"le\" is reserved";
    QTest::newRow("series clash") << QByteArray("series")
                                  << "rtt_seconds_count would expose series rtt_seconds_count";
    QTest::newRow("unsorted buckets") << QByteArray("unsorted") << "strictly increasing";
    QTest::newRow("label count") << QByteArray("labelcount") << "given 2 value(s)";
}

void TstMetrics::fatalRegistration()
{
    QFETCH(QByteArray, which);
    QFETCH(QString, message);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("VEZA_METRICS_FATAL_CASE"), QString::fromLatin1(which));
    // No core dumps or sanitizer reports for the intended aborts.
    env.insert(QStringLiteral("ASAN_OPTIONS"), QStringLiteral("handle_abort=0"));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(30000));
    const QString err = QString::fromUtf8(child.readAllStandardError());
    QVERIFY2(child.exitStatus() == QProcess::CrashExit || child.exitCode() != 0,
             qPrintable(QStringLiteral("registration did not abort; stderr: ") + err));
    QVERIFY2(err.contains(message), qPrintable(err));
}

void TstMetrics::renderExact()
{
    MetricsRegistry r;
    r.counter(QStringLiteral("requests_total"), QStringLiteral("Requests handled.")).inc(3);
    r.gauge(QStringLiteral("temperature_celsius"), QStringLiteral("Line one\nback\\slash \"q\""))
        .set(-1.5);
    auto &errors = r.counterFamily(QStringLiteral("errors_total"), QStringLiteral("Errors."),
                                   {QStringLiteral("kind"), QStringLiteral("path")});
    errors.labels({QStringLiteral("timeout"), QStringLiteral("/a")}).inc();
    errors.labels({QStringLiteral("quote\"d"), QStringLiteral("back\\slash\nnl")}).inc(2);
    r.gaugeFamily(QStringLiteral("unused"), QStringLiteral("Never used."), {QStringLiteral("x")});
    Histogram &latency =
        r.histogram(QStringLiteral("latency_seconds"), QStringLiteral("Latency."), {0.25, 1});
    for (double v : {0.125, 0.25, 0.5, 3.0})
        latency.observe(v);
    r.histogramFamily(QStringLiteral("size_bytes"), QStringLiteral("Sizes."),
                      {QStringLiteral("dir")}, {1024})
        .labels({QStringLiteral("in")})
        .observe(100);
    r.gauge(QStringLiteral("ratio"), QStringLiteral("R.")).set(pinf);

    const QByteArray expected = R"(# HELP requests_total Requests handled.
# TYPE requests_total counter
requests_total 3
# HELP temperature_celsius Line one\nback\\slash "q"
# TYPE temperature_celsius gauge
temperature_celsius -1.5
# HELP errors_total Errors.
# TYPE errors_total counter
errors_total{kind="timeout",path="/a"} 1
errors_total{kind="quote\"d",path="back\\slash\nnl"} 2
# HELP latency_seconds Latency.
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.25"} 2
latency_seconds_bucket{le="1"} 3
latency_seconds_bucket{le="+Inf"} 4
latency_seconds_sum 3.875
latency_seconds_count 4
# HELP size_bytes Sizes.
# TYPE size_bytes histogram
size_bytes_bucket{dir="in",le="1024"} 1
size_bytes_bucket{dir="in",le="+Inf"} 1
size_bytes_sum{dir="in"} 100
size_bytes_count{dir="in"} 1
# HELP ratio R.
# TYPE ratio gauge
ratio +Inf
)";
    QCOMPARE(r.render(), expected);
}

void TstMetrics::renderOmitsUnusedFamilies()
{
    MetricsRegistry r;
    auto &f =
        r.counterFamily(QStringLiteral("later_total"), QStringLiteral("L."), {QStringLiteral("k")});
    QCOMPARE(r.render(), QByteArray());
    f.labels({QStringLiteral("v")});
    QCOMPARE(r.render(), QByteArray("# HELP later_total L.\n# TYPE later_total counter\n"
                                    "later_total{k=\"v\"} 0\n"));
}

void TstMetrics::removedChildLeavesTheExposition()
{
    MetricsRegistry r;
    auto &f = r.gaugeFamily(QStringLiteral("stream_listeners"), QStringLiteral("L."),
                            {QStringLiteral("stream")});
    f.labels({QStringLiteral("a")}).set(3);
    f.labels({QStringLiteral("b")}).set(4);
    // A scrape that already holds the children keeps reading them after the removal.
    const auto views = f.children();
    QVERIFY(f.remove({QStringLiteral("a")}));
    QVERIFY(!f.remove({QStringLiteral("a")}));
    QCOMPARE(views.front().metric->value(), 3.0);
    QCOMPARE(r.render(), QByteArray("# HELP stream_listeners L.\n# TYPE stream_listeners gauge\n"
                                    "stream_listeners{stream=\"b\"} 4\n"));
    // The same labels later make a fresh child.
    QCOMPARE(f.labels({QStringLiteral("a")}).value(), 0.0);
    QVERIFY(f.remove({QStringLiteral("a")}));
    QVERIFY(f.remove({QStringLiteral("b")}));
    QCOMPARE(r.render(), QByteArray());
}

void TstMetrics::collectorsRunOnEachRender()
{
    MetricsRegistry r;
    Gauge &g = r.gauge(QStringLiteral("refreshes"), QStringLiteral("Collector runs."));
    QList<int> order;
    r.addCollector([&] {
        order << 1;
        g.inc();
    });
    r.addCollector([&] { order << 2; });
    QVERIFY(r.render().contains("\nrefreshes 1\n"));
    QVERIFY(r.render().contains("\nrefreshes 2\n"));
    QCOMPARE(order, (QList<int>{1, 2, 1, 2}));
}

void TstMetrics::concurrentUpdates()
{
    MetricsRegistry r;
    Counter &c = r.counter(QStringLiteral("ops_total"), QStringLiteral("Ops."));
    Gauge &g = r.gauge(QStringLiteral("level"), QStringLiteral("Level."));
    Histogram &h = r.histogram(QStringLiteral("op_seconds"), QStringLiteral("Op."), {1, 2});
    Family<Counter> &f = r.counterFamily(QStringLiteral("by_thread_total"), QStringLiteral("T."),
                                         {QStringLiteral("parity")});
    constexpr int threads = 4;
    constexpr int iterations = 200000;
    std::atomic<bool> stop{false};
    // A concurrent scraper: rendering must neither block nor corrupt the updaters, and every
    // snapshot it takes must be cumulative with +Inf == _count.
    std::atomic<int> badSnapshots{0};
    std::thread scraper([&] {
        while (!stop.load()) {
            const Histogram::Snapshot s = h.snapshot();
            for (std::size_t i = 1; i < s.cumulativeCounts.size(); ++i) {
                if (s.cumulativeCounts[i] < s.cumulativeCounts[i - 1])
                    ++badSnapshots;
            }
            if (s.cumulativeCounts.back() != s.count)
                ++badSnapshots;
            r.render();
        }
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            Counter &mine = f.labels({QString::number(t % 2)});
            for (int i = 0; i < iterations; ++i) {
                c.inc();
                c.inc(0.5);
                g.inc(3);
                g.dec();
                h.observe(double(i % 3)); // 0, 1, 2 -> buckets le=1, le=1, le=2
                mine.inc();
                if (i % 1000 == 0)
                    f.labels({QString::number(t % 2)}).inc(0); // contend on the family mutex
            }
        });
    }
    for (auto &w : workers)
        w.join();
    stop = true;
    scraper.join();

    constexpr double n = double(threads) * iterations;
    QCOMPARE(c.value(), n * 1.5);
    QCOMPARE(g.value(), n * 2);
    QCOMPARE(h.count(), quint64(n));
    const Histogram::Snapshot s = h.snapshot();
    const quint64 perValue = quint64(threads) * (iterations / 3);
    // iterations = 200000 = 3 * 66666 + 2, so values 0 and 1 each occur once more per thread.
    QCOMPARE(s.cumulativeCounts[0], 2 * perValue + 2 * threads);
    QCOMPARE(s.cumulativeCounts[2], quint64(n));
    QCOMPARE(h.sum(), double(threads) * ((iterations / 3) * 3.0 + 1.0));
    QCOMPARE(f.labels({QStringLiteral("0")}).value(), 2.0 * iterations);
    QCOMPARE(f.labels({QStringLiteral("1")}).value(), 2.0 * iterations);
    QCOMPARE(f.children().size(), std::size_t(2));
    QCOMPARE(badSnapshots.load(), 0);
}

void TstMetrics::parseStat_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<quint64>("utime");
    QTest::addColumn<quint64>("stime");
    QTest::addColumn<quint64>("start");
    QTest::addColumn<quint64>("vsize");
    QTest::addColumn<qint64>("rss");

    const QByteArray tail = " S 1 1234 1234 0 -1 4194560 2000 0 0 0 150 25 0 0 20 0 8 0 "
                            "987654 123456789 4321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 "
                            "0 17 1 0 0 0 0 0\n";
    QTest::newRow("plain") << QByteArray("4242 (veza-server)") + tail << true << quint64(150)
                           << quint64(25) << quint64(987654) << quint64(123456789) << qint64(4321);
    QTest::newRow("comm with spaces and parens")
        << QByteArray("4242 (a) b (c)") + tail << true << quint64(150) << quint64(25)
        << quint64(987654) << quint64(123456789) << qint64(4321);
    QTest::newRow("truncated") << QByteArray("4242 (x) S 1 2 3") << false << quint64(0)
                               << quint64(0) << quint64(0) << quint64(0) << qint64(0);
    QTest::newRow("no parens") << QByteArray("garbage") << false << quint64(0) << quint64(0)
                               << quint64(0) << quint64(0) << qint64(0);
    QTest::newRow("empty") << QByteArray() << false << quint64(0) << quint64(0) << quint64(0)
                           << quint64(0) << qint64(0);
}

void TstMetrics::parseStat()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, ok);
    const auto fields = ProcessMetrics::parseStat(line);
    QCOMPARE(fields.has_value(), ok);
    if (!ok)
        return;
    QTEST(fields->utimeTicks, "utime");
    QTEST(fields->stimeTicks, "stime");
    QTEST(fields->startTimeTicks, "start");
    QTEST(fields->virtualBytes, "vsize");
    QTEST(fields->residentPages, "rss");
}

void TstMetrics::processMetricsPlausible()
{
    MetricsRegistry r;
    ProcessMetrics process(r);
    const QByteArray text = r.render();
    const QHash<QString, double> s = parseSamples(text);

    for (const char *name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                             "process_virtual_memory_bytes", "process_open_fds", "process_max_fds",
                             "process_start_time_seconds"})
        QVERIFY2(s.contains(QLatin1String(name)), name);
    QVERIFY(text.contains("# TYPE process_cpu_seconds_total counter\n"));
    QVERIFY(text.contains("# TYPE process_open_fds gauge\n"));

    const double rss = s.value(QStringLiteral("process_resident_memory_bytes"));
    QVERIFY(rss > 1024 * 1024); // a Qt test process is well above 1 MiB resident
    QVERIFY(s.value(QStringLiteral("process_virtual_memory_bytes")) >= rss);
    const double fds = s.value(QStringLiteral("process_open_fds"));
    QVERIFY(fds >= 3); // stdin, stdout, stderr at least
    QVERIFY(s.value(QStringLiteral("process_max_fds")) >= fds);
    QVERIFY(s.value(QStringLiteral("process_cpu_seconds_total")) >= 0);

    const double now = QDateTime::currentMSecsSinceEpoch() / 1000.0;
    const double start = s.value(QStringLiteral("process_start_time_seconds"));
    QVERIFY2(start <= now + 1 && start > now - 3600, qPrintable(QString::number(start, 'f')));
}

void TstMetrics::processMetricsOpenFdsTrackFiles()
{
    MetricsRegistry r;
    ProcessMetrics process(r);
    const double before = parseSamples(r.render()).value(QStringLiteral("process_open_fds"));
    int fds[3];
    for (int &fd : fds)
        fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const double during = parseSamples(r.render()).value(QStringLiteral("process_open_fds"));
    for (int fd : fds)
        ::close(fd);
    const double after = parseSamples(r.render()).value(QStringLiteral("process_open_fds"));
    QCOMPARE(during, before + 3);
    QCOMPARE(after, before);
}

void TstMetrics::processMetricsCpuSeconds()
{
    MetricsRegistry r;
    ProcessMetrics process(r);
    const QHash<QString, double> first = parseSamples(r.render());
    // Busy-spin one thread for 400 ms of wall time: about 0.4 s of CPU, minus whatever the
    // scheduler gives to other load on the machine.
    QElapsedTimer timer;
    timer.start();
    volatile double sink = 0;
    while (timer.elapsed() < 400)
        sink = sink + std::sqrt(double(timer.nsecsElapsed()));
    const QHash<QString, double> second = parseSamples(r.render());
    const double cpuDelta = second.value(QStringLiteral("process_cpu_seconds_total")) -
                            first.value(QStringLiteral("process_cpu_seconds_total"));
    QVERIFY2(cpuDelta > 0.05 && cpuDelta < 2, qPrintable(QString::number(cpuDelta)));
}

void TstMetrics::processMetricsCollectorOutlivesObject()
{
    MetricsRegistry r;
    {
        ProcessMetrics process(r);
    }
    // The collector registered above must still work (it owns its state).
    const QHash<QString, double> s = parseSamples(r.render());
    QVERIFY(s.value(QStringLiteral("process_open_fds")) > 0);
}

int main(int argc, char **argv)
{
    // Child mode for fatalRegistration(): perform one bad registration, which must abort.
    if (const QByteArray which = qgetenv("VEZA_METRICS_FATAL_CASE"); !which.isEmpty())
        return runFatalCase(which);
    QCoreApplication app(argc, argv);
    TstMetrics tc;
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_metrics.moc"
