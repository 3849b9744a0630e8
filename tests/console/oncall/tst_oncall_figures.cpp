// The dashboard's figures: the fixed keys runbooks refer to, the production guide's targets,
// states from values, "—" for what the server does not export, and a model that tells views
// about the cells that changed only.
#include "FigureCatalog.h"
#include "FigureHistory.h"
#include "FiguresModel.h"

#include <QLocale>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

using namespace veza::oncall;

namespace {

const QDateTime kT0 = QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC);

const FigureDefinition &figure(const char *key)
{
    const FigureDefinition *found = FigureCatalog::find(QString::fromLatin1(key));
    Q_ASSERT(found);
    return *found;
}

} // namespace

class TestFigures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    // Another engineer's runbooks refer to these keys: exactly these, in this order.
    void keysAreFixed()
    {
        QStringList keys;
        for (const FigureDefinition &definition : FigureCatalog::all())
            keys.append(definition.key);
        const QStringList expected{"health_live",
                                   "health_ready",
                                   "connections",
                                   "active_users",
                                   "messages_per_second",
                                   "http_p99_ms",
                                   "message_p99_ms",
                                   "error_rate_percent",
                                   "cpu_percent",
                                   "memory_percent",
                                   "streams",
                                   "listeners",
                                   "stream_degraded_percent",
                                   "db_query_p99_ms",
                                   "delivery_success_percent",
                                   "slow_consumer_disconnects_per_minute",
                                   "open_files"};
        QCOMPARE(keys, expected);
        for (const FigureDefinition &definition : FigureCatalog::all())
            QVERIFY(!FigureCatalog::displayName(definition).isEmpty());
    }

    void guideTargetsAndStates_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("target");
        const auto row = [](const char *tag, const char *key, double value, FigureState state,
                            const char *target) {
            QTest::newRow(tag) << QString::fromLatin1(key) << value << int(state)
                               << QString::fromUtf8(target);
        };
        row("connections ok", "connections", 89999, FigureState::Ok, "< 90,000");
        row("connections over", "connections", 90001, FigureState::Warning, "< 90,000");
        row("p99 ok", "http_p99_ms", 49, FigureState::Ok, "< 50 ms");
        row("p99 missed", "http_p99_ms", 60, FigureState::Warning, "< 50 ms");
        row("p99 past HighLatency", "http_p99_ms", 120, FigureState::Critical, "< 50 ms");
        row("errors ok", "error_rate_percent", 0.05, FigureState::Ok, "< 0.1%");
        row("errors missed", "error_rate_percent", 0.5, FigureState::Warning, "< 0.1%");
        row("errors past HighErrorRate", "error_rate_percent", 2, FigureState::Critical, "< 0.1%");
        row("cpu ok", "cpu_percent", 79, FigureState::Ok, "< 80%");
        row("cpu over", "cpu_percent", 81, FigureState::Warning, "< 80%");
        row("memory over", "memory_percent", 86, FigureState::Warning, "< 85%");
        row("degraded over", "stream_degraded_percent", 5.5, FigureState::Warning, "< 5%");
        row("delivery ok", "delivery_success_percent", 99.95, FigureState::Ok, "> 99.9%");
        row("delivery low", "delivery_success_percent", 99.5, FigureState::Warning, "> 99.9%");
        row("no target", "streams", 12, FigureState::Ok, "");
        row("unknown", "cpu_percent", qQNaN(), FigureState::Unknown, "< 80%");
        row("live", "health_live", 1, FigureState::Ok, "");
        row("not ready", "health_ready", 0, FigureState::Critical, "");
    }

    void guideTargetsAndStates()
    {
        QFETCH(QString, key);
        QFETCH(double, value);
        QFETCH(int, state);
        QFETCH(QString, target);
        const FigureDefinition *definition = FigureCatalog::find(key);
        QVERIFY(definition);
        QCOMPARE(int(FigureCatalog::stateOf(*definition, value)), state);
        QCOMPARE(FigureCatalog::targetText(*definition), target);
    }

    void valuesWithUnits()
    {
        QCOMPARE(FigureCatalog::formatValue(figure("http_p99_ms"), 12.34),
                 QStringLiteral("12.3 ms"));
        QCOMPARE(FigureCatalog::formatValue(figure("connections"), 12345),
                 QStringLiteral("12,345"));
        QCOMPARE(FigureCatalog::formatValue(figure("error_rate_percent"), 0.0123),
                 QStringLiteral("0.01%"));
        QCOMPARE(FigureCatalog::formatValue(figure("messages_per_second"), 2.5),
                 QStringLiteral("2.5/s"));
        QCOMPARE(FigureCatalog::formatValue(figure("slow_consumer_disconnects_per_minute"), 3),
                 QStringLiteral("3.0/min"));
        // Not exported: a dash, never a number.
        QCOMPARE(FigureCatalog::formatValue(figure("db_query_p99_ms"), qQNaN()),
                 QStringLiteral("\u2014"));
        QCOMPARE(FigureCatalog::formatValue(figure("health_ready"), 0, QStringLiteral("not ready")),
                 QStringLiteral("not ready"));
    }

    void modelShowsTheHistory()
    {
        FigureHistory history;
        FiguresModel model;
        model.setHistory(&history);
        QCOMPARE(model.rowCount(), int(FigureCatalog::all().size()));
        QCOMPARE(model.columnCount(), int(FiguresModel::ColumnCount));
        const int cpu = model.rowOf(u"cpu_percent");
        QVERIFY(cpu >= 0);
        QCOMPARE(model.data(model.index(cpu, FiguresModel::ValueColumn)).toString(),
                 QStringLiteral("\u2014"));
        QCOMPARE(model.data(model.index(cpu, FiguresModel::StateColumn), FiguresModel::StateRole)
                     .toInt(),
                 int(FigureState::Unknown));

        QHash<QString, FigureReading> readings;
        readings[QStringLiteral("cpu_percent")].value = 12.5;
        readings[QStringLiteral("health_ready")].value = 0;
        readings[QStringLiteral("health_ready")].text = QStringLiteral("not ready");
        readings[QStringLiteral("health_ready")].details =
            QStringList{QStringLiteral("database: no answer within 5000 ms")};
        history.record(kT0, readings);
        QCOMPARE(model.data(model.index(cpu, FiguresModel::ValueColumn)).toString(),
                 QStringLiteral("12.5%"));
        QCOMPARE(model.data(model.index(cpu, FiguresModel::TargetColumn)).toString(),
                 QStringLiteral("< 80%"));
        QCOMPARE(model.data(model.index(cpu, FiguresModel::KeyColumn)).toString(),
                 QStringLiteral("cpu_percent"));
        const int ready = model.rowOf(u"health_ready");
        QCOMPARE(model.data(model.index(ready, FiguresModel::ValueColumn)).toString(),
                 QStringLiteral("not ready"));
        QCOMPARE(model.data(model.index(ready, FiguresModel::StateColumn)).toString(),
                 QStringLiteral("critical"));
        QVERIFY(model.data(model.index(ready, FiguresModel::ValueColumn), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("database")));
        // The series keeps every round, gaps included.
        history.record(kT0.addSecs(5), {});
        QCOMPARE(history.series(QStringLiteral("cpu_percent")).size(), 2);
        QCOMPARE(history.series(QStringLiteral("cpu_percent")).at(0).value, 12.5);
        QVERIFY(std::isnan(history.series(QStringLiteral("cpu_percent")).at(1).value));
    }

    // A round that changes one figure's value signals that cell; one that also crosses its
    // target signals the state cell as well; nothing else, and never a reset.
    void modelSignalsChangedCellsOnly()
    {
        FigureHistory history;
        FiguresModel model;
        model.setHistory(&history);
        QHash<QString, FigureReading> readings;
        readings[QStringLiteral("cpu_percent")].value = 10;
        readings[QStringLiteral("streams")].value = 3;
        history.record(kT0, readings);

        QSignalSpy changed(&model, &FiguresModel::dataChanged);
        QSignalSpy reset(&model, &FiguresModel::modelReset);
        history.record(kT0.addSecs(5), readings); // the same again
        QCOMPARE(changed.size(), 0);

        readings[QStringLiteral("cpu_percent")].value = 20;
        history.record(kT0.addSecs(10), readings);
        QCOMPARE(changed.size(), 1);
        const int cpu = model.rowOf(u"cpu_percent");
        QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(cpu, FiguresModel::ValueColumn));
        QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(cpu, FiguresModel::ValueColumn));

        changed.clear();
        readings[QStringLiteral("cpu_percent")].value = 95;
        history.record(kT0.addSecs(15), readings);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(cpu, FiguresModel::ValueColumn));
        QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(cpu, FiguresModel::StateColumn));
        QCOMPARE(changed.at(1).at(1).toModelIndex(), model.index(cpu, FiguresModel::StateColumn));
        QCOMPARE(reset.size(), 0);
    }

    void seriesIsBounded()
    {
        FigureHistory history;
        history.setCapacity(3);
        for (int i = 0; i < 10; ++i) {
            QHash<QString, FigureReading> readings;
            readings[QStringLiteral("streams")].value = i;
            history.record(kT0.addSecs(i), readings);
        }
        const FigureSeries &streams = history.series(QStringLiteral("streams"));
        QCOMPARE(streams.size(), 3);
        QCOMPARE(streams.at(0).value, 7.0);
        QCOMPARE(streams.valueAt(kT0.addSecs(8).toMSecsSinceEpoch()), 8.0);
        QVERIFY(std::isnan(streams.valueAt(kT0.toMSecsSinceEpoch())));
        // Time never goes back.
        FigureSeries series(10);
        QVERIFY(series.append(1000, 1));
        QVERIFY(!series.append(999, 2));
        QCOMPARE(series.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFigures)
#include "tst_oncall_figures.moc"
