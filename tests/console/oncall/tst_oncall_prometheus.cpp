// PrometheusSource against a real Prometheus scraping a real veza-server every second: the
// figures come back through PromQL, Prometheus' firing alerts reach the AlertsModel (with the
// console's runbook ids), and a Prometheus that goes away makes the source unreachable.
#include "AlertsModel.h"
#include "FigureCatalog.h"
#include "FiguresModel.h"
#include "HttpProbe.h"
#include "OncallSession.h"
#include "PrometheusHarness.h"
#include "PrometheusSource.h"
#include "ServerProcess.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <cmath>

using namespace veza::oncall;
using namespace veza::testing;
using namespace std::chrono_literals;

namespace {

// Rules Prometheus evaluates every second. Both fire at once (for: 0s), so /api/v1/alerts
// lists them within seconds. HighCpu is named as a console rule and has no runbook of its
// own: the console gives it the rule's. VezaScraped carries its runbook as an annotation.
const QByteArray kRules = R"(groups:
  - name: veza-console-test
    rules:
      - alert: HighCpu
        expr: max(cpu_usage_percent{job="veza"}) >= 0
        for: 0s
        labels:
          severity: warning
        annotations:
          summary: a CPU figure exists (test rule)
      - alert: VezaScraped
        expr: up{job="veza"} == 1
        for: 0s
        labels:
          severity: critical
        annotations:
          runbook: service-down
)";

int rowNamed(const AlertsModel &model, const QString &name)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.alertAt(row).name == name)
            return row;
    }
    return -1;
}

} // namespace

class TestPrometheusSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (!PrometheusHarness(QStringLiteral(VEZA_PROMETHEUS)).isAvailable(&why))
            QSKIP(qPrintable(why));
    }

    void queriesNameTheGuidesSeries()
    {
        QCOMPARE(PrometheusSource::query(QStringLiteral("connections"), QStringLiteral("veza"),
                                         QStringLiteral("5m")),
                 QStringLiteral("sum(websocket_connections_active{job=\"veza\"})"));
        QCOMPARE(PrometheusSource::query(QStringLiteral("http_p99_ms"), {}, QStringLiteral("1m")),
                 QStringLiteral("1000 * histogram_quantile(0.99, sum by (le) "
                                "(rate(http_request_duration_seconds_bucket[1m])))"));
        QVERIFY(PrometheusSource::query(QStringLiteral("health_ready"), {}, QStringLiteral("5m"))
                    .isEmpty());
        // Every instance of a deployment reports the deployment's users: a sum would count
        // them once per instance.
        QCOMPARE(PrometheusSource::query(QStringLiteral("active_users"), QStringLiteral("veza"),
                                         QStringLiteral("5m")),
                 QStringLiteral("max(active_users_total{job=\"veza\"})"));
    }

    void figuresAndAlertsThroughPrometheus()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        QWebSocket socket;
        QSignalSpy connected(&socket, &QWebSocket::connected);
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.webSocketPort())));
        QVERIFY(connected.wait(5000));

        PrometheusHarness prometheus{QStringLiteral(VEZA_PROMETHEUS)};
        prometheus.addTarget(QStringLiteral("127.0.0.1:%1").arg(server.metricsPort()));
        prometheus.addRules(kRules);
        QVERIFY2(prometheus.start(), qPrintable(prometheus.errorString()));

        OncallSettings settings;
        settings.prometheusUrl = prometheus.url();
        settings.prometheusJob = QStringLiteral("veza");
        settings.interval = 1000ms;
        OncallSession session(settings);
        QVERIFY(session.usesPrometheus());
        QVERIFY(!session.evaluator());
        const FigureHistory &history = session.source()->history();
        const auto value = [&history](const char *key) {
            return history.reading(QString::fromLatin1(key)).value;
        };
        session.start();

        QTRY_COMPARE_WITH_TIMEOUT(value("health_live"), 1.0, 20000);
        QCOMPARE(history.reading(QStringLiteral("health_live")).text, QStringLiteral("1 of 1 up"));
        QTRY_COMPARE_WITH_TIMEOUT(value("connections"), 1.0, 10000);
        QVERIFY2(session.source()->status() == FigureSource::Status::Ok,
                 qPrintable(session.source()->statusReason()));
        QVERIFY(value("cpu_percent") >= 0);
        QVERIFY(value("memory_percent") > 0);
        QVERIFY(value("open_files") > 0);
        QCOMPARE(value("streams"), 0.0);
        QCOMPARE(value("listeners"), 0.0);
        QCOMPARE(value("active_users"), 0.0);
        QCOMPARE(value("delivery_success_percent"), 100.0);
        // No metric says readiness: unknown, not guessed.
        QVERIFY(std::isnan(value("health_ready")));

        // HTTP requests over a few scrapes: Prometheus' rate() and histogram_quantile() see them.
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(HttpProbe::getOnce(server.httpPort(), "/health/live").status, 200);
            QTest::qWait(100);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!std::isnan(value("http_p99_ms")), 10000);
        QVERIFY(value("http_p99_ms") > 0);
        QCOMPARE(value("error_rate_percent"), 0.0);

        // The dashboard's model shows them.
        FiguresModel *figures = session.figures();
        const int cpu = figures->rowOf(u"cpu_percent");
        QVERIFY(figures->data(figures->index(cpu, FiguresModel::ValueColumn)).toString() !=
                FigureCatalog::unknownText());

        // Prometheus' firing alerts, not the console's evaluation.
        AlertsModel *alerts = session.alerts();
        QTRY_COMPARE_WITH_TIMEOUT(alerts->rowCount(), 2, 20000);
        const int highCpu = rowNamed(*alerts, QStringLiteral("HighCpu"));
        QVERIFY(highCpu >= 0);
        QCOMPARE(int(alerts->alertAt(highCpu).severity), int(AlertSeverity::Warning));
        QCOMPARE(alerts->data(alerts->index(highCpu, AlertsModel::RunbookColumn)).toString(),
                 QStringLiteral("high-latency"));
        QVERIFY(
            alerts->data(alerts->index(highCpu, 0), AlertsModel::SinceRole).toDateTime().isValid());
        QCOMPARE(alerts->alertAt(highCpu).labels.value(QStringLiteral("alertname")),
                 QStringLiteral("HighCpu"));
        const int scraped = rowNamed(*alerts, QStringLiteral("VezaScraped"));
        QVERIFY(scraped >= 0);
        QCOMPARE(int(alerts->alertAt(scraped).severity), int(AlertSeverity::Critical));
        QCOMPARE(alerts->alertAt(scraped).runbook, QStringLiteral("service-down"));

        // Prometheus goes away: unreachable, the series and the last alerts stay.
        const qsizetype points = history.series(QStringLiteral("connections")).size();
        prometheus.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session.source()->status(), FigureSource::Status::Unreachable,
                                  10000);
        QVERIFY(!session.source()->statusReason().isEmpty());
        QVERIFY(history.series(QStringLiteral("connections")).size() > points);
        QCOMPARE(history.series(QStringLiteral("connections")).at(points - 1).value, 1.0);
        QCOMPARE(alerts->rowCount(), 2);
    }
};

QTEST_GUILESS_MAIN(TestPrometheusSource)
#include "tst_oncall_prometheus.moc"
