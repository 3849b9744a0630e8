// An incident's timeline: events in time order whatever order they are recorded in, the
// checklists' steps and notes recorded as they happen, the Markdown for the post-mortem
// (checked word for word with a fixed clock and time zone), and the model that shows it.
#include "IncidentMarkdown.h"
#include "IncidentTimeline.h"
#include "TimelineModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {
Runbook highLatency()
{
    Runbook runbook;
    runbook.id = QStringLiteral("high-latency");
    runbook.title = QStringLiteral("High latency");
    runbook.steps = {
        {QStringLiteral("confirm"), QStringLiteral("Confirm"), QStringLiteral("."), {}, {}},
        {QStringLiteral("database"), QStringLiteral("Database"), QStringLiteral("."), {}, {}},
        {QStringLiteral("scale"), QStringLiteral("Scale out"), QStringLiteral("."), {}, {}},
    };
    return runbook;
}

const QDateTime kStart(QDate(2025, 6, 1), QTime(1, 2, 10), Qt::UTC);
const QTimeZone kZone(2 * 3600); // UTC+02:00, whatever the machine's zone
} // namespace

class TestRunbookTimeline : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now;
    IncidentClock clock()
    {
        return [this] { return m_now; };
    }
    void at(int seconds) { m_now = kStart.addSecs(seconds); }

    // The incident of exportsMarkdown, recorded out of order on purpose.
    void recordIncident(IncidentTimeline &timeline)
    {
        timeline.setOperatorName(QStringLiteral("ana"));
        at(120);
        ChecklistSession *checklist = timeline.startChecklist(highLatency());
        // The alert fired before the console saw it.
        timeline.recordAlertFired(QStringLiteral("HighLatency"), QStringLiteral("http_p99_ms 240"),
                                  kStart);
        at(180);
        checklist->markDone(0);
        at(240);
        checklist->addNote(QStringLiteral("CPU at 95 % on two pods"), 0);
        at(300);
        checklist->skip(1, QStringLiteral("SQLite deployment"));
        at(360);
        timeline.recordAction(QStringLiteral("lea"), QStringLiteral("kicked listener 41"),
                              QStringLiteral("night-shift"));
        at(420);
        timeline.addNote(QStringLiteral("Scaled to 6 | watching P99\nper route."));
        timeline.recordAlertResolved(QStringLiteral("HighLatency"), {}, kStart.addSecs(600));
        // Same time as the step done: after it, in the order recorded.
        timeline.recordAction(QStringLiteral("ana"), QStringLiteral("scaled deployment"),
                              QStringLiteral("veza-server"), kStart.addSecs(180));
    }

private Q_SLOTS:
    void init() { m_now = kStart; }

    void keepsEventsInTimeOrder()
    {
        IncidentTimeline timeline(QStringLiteral("Latency on eu-west"), clock());
        recordIncident(timeline);
        QList<TimelineEvent::Kind> kinds;
        QList<QDateTime> times;
        for (const TimelineEvent &event : timeline.events()) {
            kinds.append(event.kind);
            times.append(event.at);
        }
        using K = TimelineEvent::Kind;
        QCOMPARE(kinds, QList<K>({K::AlertFired, K::ChecklistStarted, K::StepDone, K::Action,
                                  K::Note, K::StepSkipped, K::Action, K::Note, K::AlertResolved}));
        QVERIFY(std::is_sorted(times.begin(), times.end()));
        QCOMPARE(timeline.startedAt(), kStart);
        QCOMPARE(timeline.endedAt(), kStart.addSecs(600));
        QCOMPARE(timeline.events().at(3).what, QStringLiteral("scaled deployment"));
        QCOMPARE(timeline.events().at(4).target, QStringLiteral("High latency › Confirm"));
        QCOMPARE(timeline.addNote(QStringLiteral("  ")), -1);
    }

    void exportsMarkdown()
    {
        IncidentTimeline timeline(QStringLiteral("Latency on eu-west"), clock());
        recordIncident(timeline);
        const QString expected = QStringLiteral(R"(# Latency on eu-west

- Start: 2025-06-01 03:02:10 UTC+02:00
- End: 2025-06-01 03:12:10 UTC+02:00
- Duration: 10 min 00 s

## Timeline

| Time | Event | Who | What | Target | Details |
| --- | --- | --- | --- | --- | --- |
| 03:02:10 | Alert fired | | HighLatency | | http_p99_ms 240 |
| 03:04:10 | Checklist started | ana | High latency | | |
| 03:05:10 | Step done | ana | Confirm | High latency | |
| 03:05:10 | Action | ana | scaled deployment | veza-server | |
| 03:06:10 | Note | ana | CPU at 95 % on two pods | High latency › Confirm | |
| 03:07:10 | Step skipped | ana | Database | High latency | SQLite deployment |
| 03:08:10 | Action | lea | kicked listener 41 | night-shift | |
| 03:09:10 | Note | ana | Scaled to 6 \| watching P99 … | | |
| 03:12:10 | Alert resolved | | HighLatency | | |

## Notes

- 03:06:10, ana (High latency › Confirm): CPU at 95 % on two pods
- 03:09:10, ana: Scaled to 6 | watching P99
  per route.

## Checklists

### High latency

Started 03:04:10, not finished; 1 of 3 steps done, 1 skipped.

- [x] Confirm (done 03:05:10)
- [ ] ~~Database~~ (skipped 03:07:10: SQLite deployment)
- [ ] Scale out
)");
        const QString markdown = timeline.toMarkdown(kZone);
        if (markdown != expected)
            qWarning().noquote() << "got:\n" << markdown;
        QCOMPARE(markdown, expected);
    }

    void exportsAnIncidentAcrossMidnight()
    {
        const QDateTime evening(QDate(2025, 6, 1), QTime(21, 50, 0), Qt::UTC); // 23:50 local
        m_now = evening;
        IncidentTimeline timeline(QString(), clock());
        timeline.recordAlertFired(QStringLiteral("ServiceDown"));
        ChecklistSession *checklist = timeline.startChecklist(highLatency());
        m_now = evening.addSecs(15 * 60);
        checklist->markDone(0);
        checklist->markDone(1);
        m_now = evening.addSecs(75 * 60 + 5);
        checklist->skip(2);
        const QString expected = QStringLiteral(R"(# Incident

- Start: 2025-06-01 23:50:00 UTC+02:00
- End: 2025-06-02 01:05:05 UTC+02:00
- Duration: 1 h 15 min

## Timeline

| Time | Event | Who | What | Target | Details |
| --- | --- | --- | --- | --- | --- |
| 2025-06-01 23:50:00 | Alert fired | | ServiceDown | | |
| 2025-06-01 23:50:00 | Checklist started | | High latency | | |
| 2025-06-02 00:05:00 | Step done | | Confirm | High latency | |
| 2025-06-02 00:05:00 | Step done | | Database | High latency | |
| 2025-06-02 01:05:05 | Step skipped | | Scale out | High latency | |
| 2025-06-02 01:05:05 | Checklist finished | | High latency | | |

## Checklists

### High latency

Started 2025-06-01 23:50:00, finished 2025-06-02 01:05:05; 2 of 3 steps done, 1 skipped.

- [x] Confirm (done 2025-06-02 00:05:00)
- [x] Database (done 2025-06-02 00:05:00)
- [ ] ~~Scale out~~ (skipped 2025-06-02 01:05:05)
)");
        const QString markdown = timeline.toMarkdown(kZone);
        if (markdown != expected)
            qWarning().noquote() << "got:\n" << markdown;
        QCOMPARE(markdown, expected);
    }

    void exportsAnEmptyTimeline()
    {
        IncidentTimeline timeline(QString(), clock());
        QCOMPARE(timeline.toMarkdown(kZone),
                 QStringLiteral("# Incident\n\nNo events were recorded.\n"));
    }

    void durations()
    {
        QCOMPARE(IncidentMarkdown::duration(45), QStringLiteral("45 s"));
        QCOMPARE(IncidentMarkdown::duration(39 * 60 + 5), QStringLiteral("39 min 05 s"));
        QCOMPARE(IncidentMarkdown::duration(2 * 3600 + 5 * 60 + 59), QStringLiteral("2 h 05 min"));
    }

    void modelInsertsRowsWhereTheyBelong()
    {
        IncidentTimeline timeline(QStringLiteral("x"), clock());
        TimelineModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTimeZone(kZone);
        model.setTimeline(&timeline);
        QCOMPARE(model.columnCount(), int(TimelineModel::ColumnCount));
        QCOMPARE(model.headerData(TimelineModel::KindColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Event"));

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        at(60);
        timeline.recordAction(QStringLiteral("ana"), QStringLiteral("restarted"),
                              QStringLiteral("veza-server-1"));
        timeline.recordAlertFired(QStringLiteral("ServiceDown"), QStringLiteral("up == 0"), kStart);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(1).at(1).toInt(), 0); // the earlier alert went before the action

        QCOMPARE(model.index(0, TimelineModel::TimeColumn).data().toString(),
                 QStringLiteral("03:02:10"));
        QCOMPARE(model.index(0, TimelineModel::KindColumn).data().toString(),
                 QStringLiteral("Alert fired"));
        QCOMPARE(model.index(0, TimelineModel::WhatColumn).data().toString(),
                 QStringLiteral("ServiceDown"));
        QCOMPARE(model.index(0, TimelineModel::DetailColumn).data().toString(),
                 QStringLiteral("up == 0"));
        QCOMPARE(model.index(1, TimelineModel::WhoColumn).data().toString(), QStringLiteral("ana"));
        QCOMPARE(model.index(1, TimelineModel::TargetColumn).data().toString(),
                 QStringLiteral("veza-server-1"));
        QCOMPARE(model.index(1, 0).data(TimelineModel::AtRole).toDateTime(), kStart.addSecs(60));
        QCOMPARE(model.index(1, 0).data(TimelineModel::KindRole).toInt(),
                 int(TimelineEvent::Kind::Action));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setTimeZone(QTimeZone::utc());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, TimelineModel::TimeColumn).data().toString(),
                 QStringLiteral("01:02:10"));
    }
};

QTEST_GUILESS_MAIN(TestRunbookTimeline)
#include "tst_runbook_timeline.moc"
