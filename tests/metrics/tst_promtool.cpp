// Integration test: the rendered exposition passes the real Prometheus parser and linter
// (`promtool check metrics`), for every metric kind and for label values that need escaping.

#include "metrics/MetricsRegistry.h"
#include "metrics/ProcessMetrics.h"
#include "metrics/ResourceMetrics.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>
#include <limits>
#include <memory>

using namespace veza::metrics;

namespace {

struct PromtoolResult
{
    int exitCode = -1;
    QString output;
};

// promtool reads the exposition from stdin; the text is also kept in a temporary file so a
// failure can be reproduced by hand (the path is printed on failure).
PromtoolResult runPromtool(const QByteArray &exposition, QString *keptPath)
{
    QTemporaryFile file(QDir::tempPath() + QStringLiteral("/veza-metrics-XXXXXX.prom"));
    file.setAutoRemove(false);
    if (file.open()) {
        file.write(exposition);
        file.close();
        *keptPath = file.fileName();
    }
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.setStandardInputFile(file.fileName());
    promtool.start(QStringLiteral(VEZA_PROMTOOL),
                   {QStringLiteral("check"), QStringLiteral("metrics")});
    PromtoolResult result;
    if (!promtool.waitForFinished(60000))
        return result;
    result.exitCode = promtool.exitStatus() == QProcess::NormalExit ? promtool.exitCode() : -1;
    result.output = QString::fromUtf8(promtool.readAll()).trimmed();
    return result;
}

} // namespace

class TstPromtool : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void promtoolAccepts_data();
    void promtoolAccepts();
    void promtoolCatchesBrokenInput();
};

void TstPromtool::initTestCase()
{
    if (QByteArray(VEZA_PROMTOOL).isEmpty())
        QSKIP("promtool not found at configure time (Debian package \"prometheus\")");
}

void TstPromtool::promtoolAccepts_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("every kind with awkward labels") << "kinds";
    QTest::newRow("process and resource metrics") << "process";
    QTest::newRow("special values") << "special";
}

void TstPromtool::promtoolAccepts()
{
    QFETCH(QString, scenario);
    MetricsRegistry r;
    std::unique_ptr<ProcessMetrics> process;
    std::unique_ptr<ResourceMetrics> resources;
    if (scenario == u"kinds") {
        r.counter(QStringLiteral("veza_requests_total"), QStringLiteral("Requests handled."))
            .inc(42);
        r.gauge(QStringLiteral("veza_connections"),
                QStringLiteral("Open connections.\nSecond line with a \\ backslash."))
            .set(7);
        auto &errors = r.counterFamily(QStringLiteral("veza_errors_total"),
                                       QStringLiteral("Errors by \"kind\"."),
                                       {QStringLiteral("kind"), QStringLiteral("detail")});
        errors.labels({QStringLiteral("quote"), QStringLiteral("say \"hi\"")}).inc();
        errors.labels({QStringLiteral("backslash"), QStringLiteral("C:\\path\\")}).inc(2);
        errors.labels({QStringLiteral("newline"), QStringLiteral("a\nb\n")}).inc(3);
        errors.labels({QStringLiteral("all"), QStringLiteral("\\\"\n}{,=")}).inc();
        errors.labels({QStringLiteral("utf8"), QString::fromUtf8("caf\u00e9 \u266b")}).inc();
        errors.labels({QStringLiteral("empty"), QString()}).inc();
        auto &rooms =
            r.gaugeFamily(QStringLiteral("veza_room_listeners"),
                          QStringLiteral("Listeners per room."), {QStringLiteral("room")});
        rooms.labels({QStringLiteral("lobby")}).set(3);
        rooms.labels({QStringLiteral("stage")}).dec(0.5);
        Histogram &latency = r.histogram(QStringLiteral("veza_request_duration_seconds"),
                                         QStringLiteral("Request latency."));
        for (double v : {0.0001, 0.003, 0.2, 1.0, 7.5, 60.0})
            latency.observe(v);
        auto &sizes = r.histogramFamily(QStringLiteral("veza_message_size_bytes"),
                                        QStringLiteral("Message sizes."),
                                        {QStringLiteral("direction")}, {64, 1024, 65536});
        sizes.labels({QStringLiteral("in")}).observe(100);
        sizes.labels({QStringLiteral("out \"quoted\"")}).observe(1e6);
        r.histogram(QStringLiteral("veza_empty_seconds"), QStringLiteral("Never observed."));
    } else if (scenario == u"process") {
        process = std::make_unique<ProcessMetrics>(r);
        resources = std::make_unique<ResourceMetrics>(r);
        r.render(); // a second sample, so cpu_usage_percent has an interval
    } else {
        r.gauge(QStringLiteral("veza_plus_inf"), QStringLiteral("Plus infinity."))
            .set(std::numeric_limits<double>::infinity());
        r.gauge(QStringLiteral("veza_minus_inf"), QStringLiteral("Minus infinity."))
            .set(-std::numeric_limits<double>::infinity());
        r.gauge(QStringLiteral("veza_not_a_number"), QStringLiteral("NaN."))
            .set(std::numeric_limits<double>::quiet_NaN());
        r.gauge(QStringLiteral("veza_tiny"), QStringLiteral("Tiny.")).set(1e-300);
        r.gauge(QStringLiteral("veza_huge"), QStringLiteral("Huge.")).set(1.7e308);
        r.counter(QStringLiteral("veza_big_total"), QStringLiteral("Big.")).inc(9007199254740993.0);
        r.histogram(QStringLiteral("veza_nan_seconds"), QStringLiteral("NaN observed."), {1})
            .observe(std::numeric_limits<double>::quiet_NaN());
    }

    const QByteArray text = r.render();
    QVERIFY(!text.isEmpty());
    QString path;
    const PromtoolResult result = runPromtool(text, &path);
    const QString diagnostic = QStringLiteral("promtool exit %1, output: \"%2\", input: %3")
                                   .arg(result.exitCode)
                                   .arg(result.output, path);
    QVERIFY2(result.exitCode == 0, qPrintable(diagnostic));
    QVERIFY2(result.output.isEmpty(), qPrintable(diagnostic)); // no lint complaints either
    QFile::remove(path);
}

// Guards the test itself: if promtool were not really checking (wrong binary, stdin not
// read), the test above would pass vacuously.
void TstPromtool::promtoolCatchesBrokenInput()
{
    QString path;
    const PromtoolResult bad = runPromtool("# TYPE x counter\nx{a=\"unterminated} 1\n", &path);
    QVERIFY2(bad.exitCode != 0, qPrintable(bad.output));
    QFile::remove(path);
    const PromtoolResult lint = runPromtool("# HELP x X.\n# TYPE x counter\nx 1\n", &path);
    QVERIFY2(lint.exitCode != 0 && lint.output.contains(QLatin1String("_total")),
             qPrintable(lint.output));
    QFile::remove(path);
}

QTEST_GUILESS_MAIN(TstPromtool)
#include "tst_promtool.moc"
