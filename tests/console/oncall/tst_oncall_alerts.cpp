// The alert rules (the production guide's, from the built-in rules file, and errors in a rules
// file) and their evaluation over crafted series: time comes from the rounds' time stamps, so
// minutes of samples take no time.
#include "AlertEvaluator.h"
#include "AlertRules.h"
#include "AlertsModel.h"
#include "FigureHistory.h"

#include <QSignalSpy>
#include <QTest>
#include <functional>

using namespace veza::oncall;
using namespace std::chrono_literals;

namespace {

const QDateTime kT0 = QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC);

// Records one round every `step` from kT0 for `duration`, `key` following `value(seconds)`,
// the server answering (up = 1) unless `key` is up itself.
void feed(FigureHistory &history, const QString &key, std::chrono::seconds from,
          std::chrono::seconds to, const std::function<double(qint64)> &value,
          std::chrono::seconds step = 5s)
{
    for (auto t = from; t <= to; t += step) {
        QHash<QString, FigureReading> readings;
        readings[FigureHistory::kUp].value = 1;
        readings[key].value = value(t.count());
        history.record(kT0.addSecs(t.count()), readings);
    }
}

} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtInRulesAreTheGuides_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<qint64>("forMs");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("runbook");
        const auto row = [](const char *name, const char *expression, std::chrono::milliseconds f,
                            AlertSeverity severity, const char *runbook) {
            QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(expression)
                                << qint64(f.count()) << int(severity)
                                << QString::fromLatin1(runbook);
        };
        row("HighLatency", "http_p99_ms > 100", 2min, AlertSeverity::Critical, "high-latency");
        row("HighErrorRate", "error_rate_percent > 1", 1min, AlertSeverity::Critical,
            "service-down");
        row("ServiceDown", "up == 0", 30s, AlertSeverity::Critical, "service-down");
        row("HighCpu", "cpu_percent > 80", 5min, AlertSeverity::Warning, "high-latency");
        row("HighMemory", "memory_percent > 85", 5min, AlertSeverity::Warning, "memory-leak");
        row("TooManyConnections", "connections > 90000", 1min, AlertSeverity::Warning,
            "websocket-drops");
        row("ActiveUsersDrop", "delta(active_users, 5m) < -1000", 0s, AlertSeverity::Warning,
            "websocket-drops");
        row("LowDeliveryRate", "delivery_success_percent < 99.9", 2min, AlertSeverity::Warning,
            "websocket-drops");
        row("StreamQualityDegraded", "stream_degraded_percent > 5", 2min, AlertSeverity::Warning,
            "audio-latency");
    }

    void builtInRulesAreTheGuides()
    {
        QFETCH(QString, name);
        QFETCH(QString, expression);
        QFETCH(qint64, forMs);
        QFETCH(int, severity);
        QFETCH(QString, runbook);
        const AlertRules rules = AlertRules::builtIn();
        QCOMPARE(rules.rules().size(), 9);
        const AlertRule *rule = rules.find(name);
        QVERIFY(rule);
        QCOMPARE(rule->expression(), expression);
        QCOMPARE(qint64(rule->forDuration.count()), forMs);
        QCOMPARE(int(rule->severity), severity);
        QCOMPARE(rule->runbook, runbook);
        // The runbooks the console will ship.
        const QStringList runbooks{"high-latency",    "service-down",  "memory-leak",
                                   "websocket-drops", "audio-latency", "memory-growth"};
        QVERIFY(runbooks.contains(rule->runbook));
    }

    void rulesFileErrorsNameFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown figure")
            << QByteArray("Hot  cpu > 80  for 1m severity warning runbook high-cpu")
            << "unknown figure \"cpu\"";
        QTest::newRow("bad duration")
            << QByteArray("Hot  cpu_percent > 80  for soon severity warning runbook x")
            << "invalid duration \"soon\"";
        QTest::newRow("bad severity")
            << QByteArray("Hot  cpu_percent > 80  for 1m severity dire runbook x")
            << "unknown severity \"dire\"";
        QTest::newRow("bad operator")
            << QByteArray("Hot  cpu_percent => 80  for 1m severity warning runbook x")
            << "invalid expression";
        QTest::newRow("bad threshold")
            << QByteArray("Hot  cpu_percent > eighty  for 1m severity warning runbook x")
            << "invalid threshold \"eighty\"";
        QTest::newRow("bad runbook")
            << QByteArray("Hot  cpu_percent > 80  for 1m severity warning runbook High_CPU")
            << "invalid runbook id";
        QTest::newRow("missing runbook")
            << QByteArray("Hot  cpu_percent > 80  for 1m severity warning") << "expected NAME";
        QTest::newRow("bad window")
            << QByteArray("Drop delta(active_users, 0s) < -1 for 0s severity info runbook x")
            << "invalid window \"0s\"";
        QTest::newRow("same name twice")
            << QByteArray("Ok  cpu_percent > 90  for 1m severity critical runbook high-latency")
            << "Ok is already defined on line 2";
    }

    void rulesFileErrorsNameFileAndLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, message);
        const QByteArray text = "# comment\n"
                                "Ok   cpu_percent > 80   for 5m  severity warning  runbook x\n"
                                "\n" +
                                line + "\n";
        QStringList errors;
        const AlertRules rules = AlertRules::parse(text, QStringLiteral("rules.conf"), &errors);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(QStringLiteral("rules.conf:4: ")),
                 qPrintable(errors.first()));
        QVERIFY2(errors.first().contains(message), qPrintable(errors.first()));
        // The good rule stays.
        QCOMPARE(rules.rules().size(), 1);
        QCOMPARE(rules.rules().first().line, 2);
    }

    void durations()
    {
        const auto ms = [](QStringView text) {
            return qint64(AlertRules::parseDuration(text).value_or(-1ms).count());
        };
        QCOMPARE(ms(u"30s"), 30000);
        QCOMPARE(ms(u"2m"), 120000);
        QCOMPARE(ms(u"1h"), 3600000);
        QCOMPARE(ms(u"250ms"), 250);
        QCOMPARE(ms(u"0s"), 0);
        QVERIFY(!AlertRules::parseDuration(u"2 m"));
        QVERIFY(!AlertRules::parseDuration(u"-1s"));
        QVERIFY(!AlertRules::parseDuration(u"1d"));
    }

    // P99 at 120 ms from kT0: pending at once, firing once two minutes of samples say so.
    void highLatencyFiresAfterTwoMinutes()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        QSignalSpy pending(&evaluator, &AlertEvaluator::alertPending);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        const QString p99 = QStringLiteral("http_p99_ms");
        feed(history, p99, 0s, 115s, [](qint64) { return 120; });
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Pending);
        QCOMPARE(pending.size(), 1);
        QCOMPARE(fired.size(), 0);
        feed(history, p99, 120s, 180s, [](qint64) { return 120; });
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Firing);
        QCOMPARE(fired.size(), 1);
        const Alert alert = fired.first().first().value<Alert>();
        QCOMPARE(alert.name, QStringLiteral("HighLatency"));
        QCOMPARE(int(alert.severity), int(AlertSeverity::Critical));
        QCOMPARE(alert.since, kT0);
        QCOMPARE(alert.firedAt, kT0.addSecs(120));
        QCOMPARE(alert.value, 120.0);
        QCOMPARE(alert.runbook, QStringLiteral("high-latency"));
        QCOMPARE(evaluator.firingAlerts().size(), 1);
        QCOMPARE(evaluator.firingAlerts().first().name, QStringLiteral("HighLatency"));
    }

    void healthyLatencyNeverFires()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        QSignalSpy pending(&evaluator, &AlertEvaluator::alertPending);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        feed(history, QStringLiteral("http_p99_ms"), 0s, 600s, [](qint64) { return 30; });
        QCOMPARE(pending.size(), 0);
        QCOMPARE(fired.size(), 0);
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Inactive);
    }

    // 90 s above the line, then healthy: pending, then inactive again, never fired.
    void aSpikeShorterThanForDoesNotFire()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        QSignalSpy pending(&evaluator, &AlertEvaluator::alertPending);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        feed(history, QStringLiteral("http_p99_ms"), 0s, 300s,
             [](qint64 t) { return t < 90 ? 120 : 30; });
        QCOMPARE(pending.size(), 1);
        QCOMPARE(fired.size(), 0);
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Inactive);
        // A second spike starts its own two minutes: no memory of the first.
        feed(history, QStringLiteral("http_p99_ms"), 305s, 400s, [](qint64) { return 150; });
        QCOMPARE(fired.size(), 0);
        QCOMPARE(pending.size(), 2);
    }

    void resolvesWhenTheValueFallsBack()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        QSignalSpy resolved(&evaluator, &AlertEvaluator::alertResolved);
        QSignalSpy changed(&evaluator, &AlertEvaluator::firingAlertsChanged);
        feed(history, QStringLiteral("http_p99_ms"), 0s, 240s,
             [](qint64 t) { return t < 180 ? 120 : 30; });
        QCOMPARE(fired.size(), 1);
        QCOMPARE(resolved.size(), 1);
        const Alert alert = resolved.first().first().value<Alert>();
        QCOMPARE(alert.name, QStringLiteral("HighLatency"));
        QCOMPARE(alert.since, kT0);
        QCOMPARE(alert.value, 30.0);
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Inactive);
        QVERIFY(evaluator.firingAlerts().isEmpty());
        // Firing (once: the value stayed 120), then none.
        QCOMPARE(changed.size(), 2);
        QVERIFY(changed.last().first().value<QList<Alert>>().isEmpty());
    }

    // A round without the figure (a failed scrape) is no value: the rule does not hold.
    void noValueDoesNotHold()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        feed(history, QStringLiteral("http_p99_ms"), 0s, 100s, [](qint64) { return 120; });
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Pending);
        history.record(kT0.addSecs(105), {});
        QCOMPARE(evaluator.state(u"HighLatency"), AlertEvaluator::State::Inactive);
    }

    void serviceDownAfterThirtySeconds()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        feed(history, FigureHistory::kUp, 0s, 60s, [](qint64 t) { return t < 20 ? 1 : 0; });
        // Down from 20 s: pending at 20, firing at 50.
        QCOMPARE(fired.size(), 1);
        const Alert alert = fired.first().first().value<Alert>();
        QCOMPARE(alert.name, QStringLiteral("ServiceDown"));
        QCOMPARE(alert.since, kT0.addSecs(20));
        QCOMPARE(alert.firedAt, kT0.addSecs(50));
        QCOMPARE(alert.runbook, QStringLiteral("service-down"));
    }

    // More than 1000 users gone within 5 minutes fires at once; a slow decline does not.
    void activeUsersDrop()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        QSignalSpy fired(&evaluator, &AlertEvaluator::alertFired);
        const QString users = QStringLiteral("active_users");
        // 100 users less per minute for 20 minutes: at most 500 in any 5 minutes.
        feed(history, users, 0s, 1200s, [](qint64 t) { return 5000 - double(t) * 100 / 60; });
        QCOMPARE(fired.size(), 0);
        // Steady at 3000 for five minutes, then 1200 gone within one round.
        feed(history, users, 1205s, 1500s, [](qint64) { return 3000; });
        QCOMPARE(fired.size(), 0);
        feed(history, users, 1505s, 1505s, [](qint64) { return 1800; });
        QCOMPARE(fired.size(), 1);
        const Alert alert = fired.first().first().value<Alert>();
        QCOMPARE(alert.name, QStringLiteral("ActiveUsersDrop"));
        QCOMPARE(alert.value, -1200.0);
    }

    // A test (or a staging server) shortens a rule's `for`.
    void forCanBeShortened()
    {
        AlertRules rules = AlertRules::builtIn();
        QVERIFY(rules.setForDuration(u"ServiceDown", 2s));
        QVERIFY(!rules.setForDuration(u"NoSuchRule", 2s));
        QCOMPARE(qint64(rules.find(u"ServiceDown")->forDuration.count()), 2000);
    }

    // The evaluator's firing alerts in the model: rows come and go, a new value changes its
    // cell only.
    void alertsModelFollowsTheEvaluator()
    {
        FigureHistory history;
        AlertEvaluator evaluator(AlertRules::builtIn(), history);
        AlertsModel model;
        connect(&evaluator, &AlertEvaluator::firingAlertsChanged, &model, &AlertsModel::setAlerts);
        QSignalSpy inserted(&model, &AlertsModel::rowsInserted);
        QSignalSpy removed(&model, &AlertsModel::rowsRemoved);
        QSignalSpy changed(&model, &AlertsModel::dataChanged);
        QSignalSpy reset(&model, &AlertsModel::modelReset);

        feed(history, QStringLiteral("http_p99_ms"), 0s, 125s, [](qint64) { return 120; });
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(inserted.size(), 1);
        const auto cell = [&model](int column, int role = Qt::DisplayRole) {
            return model.data(model.index(0, column), role);
        };
        QCOMPARE(cell(AlertsModel::NameColumn).toString(), QStringLiteral("HighLatency"));
        QCOMPARE(cell(AlertsModel::SeverityColumn, AlertsModel::SeverityRole).toInt(),
                 int(AlertSeverity::Critical));
        QCOMPARE(cell(AlertsModel::SinceColumn, AlertsModel::SinceRole).toDateTime(), kT0);
        QCOMPARE(cell(AlertsModel::ValueColumn).toString(), QStringLiteral("120.0 ms"));
        QCOMPARE(cell(AlertsModel::RunbookColumn).toString(), QStringLiteral("high-latency"));

        feed(history, QStringLiteral("http_p99_ms"), 130s, 130s, [](qint64) { return 140; });
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().column(), int(AlertsModel::ValueColumn));
        QCOMPARE(changed.first().at(1).toModelIndex().column(), int(AlertsModel::ValueColumn));
        QCOMPARE(cell(AlertsModel::ValueColumn).toString(), QStringLiteral("140.0 ms"));

        // A second alert joins, the first resolves: one row in, one row out, no reset.
        QHash<QString, FigureReading> readings;
        readings[FigureHistory::kUp].value = 1;
        readings[QStringLiteral("http_p99_ms")].value = 20;
        readings[QStringLiteral("active_users")].value = 5000;
        history.record(kT0.addSecs(135), readings);
        readings[QStringLiteral("active_users")].value = 3000;
        history.record(kT0.addSecs(140), readings);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(AlertsModel::NameColumn).toString(), QStringLiteral("ActiveUsersDrop"));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(reset.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_oncall_alerts.moc"
