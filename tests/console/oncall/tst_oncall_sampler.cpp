// MetricsSampler against a real veza-server: the figures after two samples, the health probes,
// the readiness probe's failing reasons, and a server that stops: unreachable, ServiceDown
// pending then firing (with a `for` shortened for the test), the series kept.
#include "AlertEvaluator.h"
#include "AlertRules.h"
#include "ChatTestClient.h"
#include "FigureCatalog.h"
#include "MetricsSampler.h"
#include "ServerProcess.h"
#include "support/PostgresHarness.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <cmath>
#include <csignal>

using namespace veza::oncall;
using namespace veza::testing;
using namespace std::chrono_literals;

namespace {

void pointAt(MetricsSampler &sampler, const ServerProcess &server)
{
    sampler.setMetricsUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(server.metricsPort())));
    sampler.setHealthBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.httpPort())));
}

double value(const MetricsSampler &sampler, const char *key)
{
    return sampler.history().reading(QString::fromLatin1(key)).value;
}

bool anyPointAbove(const FigureSeries &series, double threshold)
{
    for (qsizetype i = 0; i < series.size(); ++i) {
        if (series.at(i).value > threshold)
            return true;
    }
    return false;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void figuresThenServiceDown()
    {
        ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));
        // Traffic: a chat user in a room, two more WebSocket connections.
        ChatTestClient alice;
        alice.open(server.webSocketPort(), server.token(QStringLiteral("alice")));
        QVERIFY(alice.waitConnected());
        const QJsonObject joined = alice.answerTo(
            alice.request(QStringLiteral("join"), {{QStringLiteral("room"), "lobby"}}));
        QCOMPARE(joined.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
        QWebSocket plain[2];
        for (QWebSocket &socket : plain) {
            QSignalSpy connected(&socket, &QWebSocket::connected);
            socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.webSocketPort())));
            QVERIFY(connected.wait(5000));
        }

        MetricsSampler sampler;
        pointAt(sampler, server);
        sampler.setInterval(1000ms);
        AlertRules rules = AlertRules::builtIn();
        QVERIFY(rules.setForDuration(u"ServiceDown", 2s));
        AlertEvaluator evaluator(rules, sampler.history());
        QSignalSpy sampled(&sampler, &FigureSource::sampled);
        sampler.start();
        QTRY_COMPARE_WITH_TIMEOUT(sampled.size(), 1, 10000);
        // First scrape: gauges already (the CPU too: the server measures it), no rate yet (a
        // rate needs two scrapes).
        QCOMPARE(value(sampler, "connections"), 3.0);
        QVERIFY(value(sampler, "cpu_percent") >= 0);
        QVERIFY(std::isnan(value(sampler, "messages_per_second")));

        for (int i = 0; i < 5; ++i) {
            const QJsonObject ack = alice.answerTo(
                alice.request(QStringLiteral("send"),
                              {{QStringLiteral("room"), "lobby"},
                               {QStringLiteral("body"), QStringLiteral("hi %1").arg(i)},
                               {QStringLiteral("client_msg_id"), QStringLiteral("m-%1").arg(i)}}));
            QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
        }
        QTRY_VERIFY_WITH_TIMEOUT(sampled.size() >= 2, 10000);
        QCOMPARE(sampler.status(), FigureSource::Status::Ok);
        QVERIFY2(sampler.lastParseErrors().isEmpty(),
                 qPrintable(sampler.lastParseErrors().join(u'\n')));

        QCOMPARE(value(sampler, "connections"), 3.0);
        QCOMPARE(value(sampler, "active_users"), 1.0);
        QCOMPARE(value(sampler, "streams"), 0.0);
        QCOMPARE(value(sampler, "listeners"), 0.0);
        QCOMPARE(value(sampler, "stream_degraded_percent"), 0.0);
        QVERIFY(value(sampler, "cpu_percent") >= 0);
        QVERIFY(value(sampler, "memory_percent") > 0);
        QVERIFY(value(sampler, "open_files") > 0);
        QVERIFY(value(sampler, "delivery_success_percent") > 99);
        QVERIFY(value(sampler, "slow_consumer_disconnects_per_minute") == 0);
        QCOMPARE(value(sampler, "health_live"), 1.0);
        QCOMPARE(sampler.history().reading(QStringLiteral("health_live")).text,
                 QStringLiteral("alive"));
        QCOMPARE(FigureCatalog::stateOf(*FigureCatalog::find(u"health_live"),
                                        value(sampler, "health_live")),
                 FigureState::Ok);
        // The sampler's own probes are HTTP requests: latency and error rate have values.
        QTRY_VERIFY_WITH_TIMEOUT(!std::isnan(value(sampler, "http_p99_ms")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!std::isnan(value(sampler, "error_rate_percent")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(value(sampler, "health_ready"), 1.0, 10000);
        // The messages sent between two scrapes: a rate and a latency P99.
        QTRY_VERIFY_WITH_TIMEOUT(
            anyPointAbove(sampler.history().series(QStringLiteral("messages_per_second")), 0),
            10000);
        QVERIFY(anyPointAbove(sampler.history().series(QStringLiteral("message_p99_ms")), 0));
        QCOMPARE(evaluator.state(u"ServiceDown"), AlertEvaluator::State::Inactive);

        // The server dies.
        QSignalSpy status(&sampler, &FigureSource::statusChanged);
        QSignalSpy pending(&evaluator, &AlertEvaluator::alertPending);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        const qsizetype pointsBefore =
            sampler.history().series(QStringLiteral("connections")).size();
        server.sendSignal(SIGKILL);
        QVERIFY(server.waitForExit(5000));
        QTRY_COMPARE_WITH_TIMEOUT(sampler.status(), FigureSource::Status::Unreachable, 10000);
        QVERIFY(!status.isEmpty());
        QVERIFY(!sampler.statusReason().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(pending.size(), 1, 10000);
        QCOMPARE(pending.first().first().value<Alert>().name, QStringLiteral("ServiceDown"));
        QCOMPARE(fired.size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 1, 10000);
        const Alert down = fired.first().first().value<Alert>();
        QCOMPARE(down.name, QStringLiteral("ServiceDown"));
        QCOMPARE(int(down.severity), int(AlertSeverity::Critical));
        QCOMPARE(down.runbook, QStringLiteral("service-down"));
        QVERIFY(down.firedAt.toMSecsSinceEpoch() - down.since.toMSecsSinceEpoch() >= 2000);
        QCOMPARE(evaluator.state(u"ServiceDown"), AlertEvaluator::State::Firing);

        // Nothing of the session is lost: the old points stay, the new rounds are gaps.
        const FigureSeries &connections = sampler.history().series(QStringLiteral("connections"));
        QVERIFY(connections.size() > pointsBefore);
        QCOMPARE(connections.at(pointsBefore - 1).value, 3.0);
        QVERIFY(std::isnan(connections.last()->value));
        QVERIFY(std::isnan(value(sampler, "connections")));
        QCOMPARE(value(sampler, "health_live"), 0.0);
        QCOMPARE(sampler.history().reading(QStringLiteral("health_live")).text,
                 QStringLiteral("no answer"));
    }

    // A 503 from /health/ready is an answer: the figure is critical with the server's reasons,
    // the source itself stays fine.
    void readinessFailuresAreKept()
    {
        PostgresHarness postgres;
        QVERIFY2(postgres.start(), qPrintable(postgres.errorString()));
        ServerProcess server;
        server.setEnv(QStringLiteral("DATABASE_URL"), postgres.url());
        server.setEnv(QStringLiteral("DATABASE_TIMEOUT_MS"), QStringLiteral("1000"));
        QVERIFY2(server.start(), qPrintable(server.diagnostics()));

        MetricsSampler sampler;
        pointAt(sampler, server);
        sampler.setInterval(500ms);
        sampler.start();
        QTRY_COMPARE_WITH_TIMEOUT(value(sampler, "health_ready"), 1.0, 10000);
        QVERIFY(sampler.readinessFailures().isEmpty());

        QVERIFY2(postgres.stop(), qPrintable(postgres.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(value(sampler, "health_ready"), 0.0, 20000);
        QCOMPARE(sampler.history().reading(QStringLiteral("health_ready")).text,
                 QStringLiteral("not ready"));
        QVERIFY2(sampler.readinessFailures().join(u'\n').contains(QStringLiteral("database")),
                 qPrintable(sampler.readinessFailures().join(u'\n')));
        QCOMPARE(value(sampler, "health_live"), 1.0);
        QCOMPARE(sampler.status(), FigureSource::Status::Ok);
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_oncall_sampler.moc"
