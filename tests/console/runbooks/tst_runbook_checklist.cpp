// A checklist being worked: steps done, skipped (with why) and reopened, notes with their
// time, the start and the end; and the model a runbook view shows it through.
#include "ChecklistModel.h"
#include "ChecklistSession.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {
Runbook threeSteps()
{
    Runbook runbook;
    runbook.id = QStringLiteral("high-latency");
    runbook.title = QStringLiteral("High latency");
    runbook.steps = {
        {QStringLiteral("confirm"),
         QStringLiteral("Confirm"),
         QStringLiteral("Look at P99."),
         QStringLiteral("http_p99_ms"),
         {{QStringLiteral("P99"), QStringLiteral("histogram_quantile(0.99, x)"),
           RunbookCommand::Kind::PromQL},
          {QStringLiteral("Pods"), QStringLiteral("kubectl -n {namespace} get pods")}}},
        {QStringLiteral("database"),
         QStringLiteral("Database"),
         QStringLiteral("Check it."),
         QString(),
         {}},
        {QStringLiteral("scale"),
         QStringLiteral("Scale out"),
         QStringLiteral("Add pods."),
         QString(),
         {}},
    };
    return runbook;
}

const QDateTime kStart(QDate(2025, 6, 1), QTime(1, 2, 0), Qt::UTC);
} // namespace

class TestRunbookChecklist : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now;
    IncidentClock clock()
    {
        return [this] { return m_now; };
    }

private Q_SLOTS:
    void init() { m_now = kStart; }

    void recordsStepsWithTheirTimes()
    {
        ChecklistSession session(threeSteps(), clock());
        QSignalSpy changed(&session, &ChecklistSession::stepStateChanged);
        QCOMPARE(session.startedAt(), kStart);
        QCOMPARE(session.stepCount(), 3);
        QCOMPARE(session.stepState(0), ChecklistSession::StepState::Todo);
        QVERIFY(!session.stepChangedAt(0).isValid());

        m_now = kStart.addSecs(60);
        QVERIFY(session.markDone(0));
        m_now = kStart.addSecs(120);
        QVERIFY(session.skip(1, QStringLiteral("  SQLite deployment ")));

        QCOMPARE(session.stepState(0), ChecklistSession::StepState::Done);
        QCOMPARE(session.stepChangedAt(0), kStart.addSecs(60));
        QCOMPARE(session.stepState(1), ChecklistSession::StepState::Skipped);
        QCOMPARE(session.stepChangedAt(1), kStart.addSecs(120));
        QCOMPARE(session.skipReason(1), QStringLiteral("SQLite deployment"));
        QCOMPARE(session.count(ChecklistSession::StepState::Done), 1);
        QCOMPARE(session.count(ChecklistSession::StepState::Skipped), 1);
        QCOMPARE(session.count(ChecklistSession::StepState::Todo), 1);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(1).at(0).toInt(), 1);
        QCOMPARE(changed.at(1).at(1).value<ChecklistSession::StepState>(),
                 ChecklistSession::StepState::Skipped);

        // Marking a step as it already is changes nothing, not even its time.
        m_now = kStart.addSecs(150);
        QVERIFY(session.markDone(0));
        QCOMPARE(session.stepChangedAt(0), kStart.addSecs(60));
        QCOMPARE(changed.size(), 2);

        // Reopened: to do again, no time.
        QVERIFY(session.reopen(0));
        QCOMPARE(session.stepState(0), ChecklistSession::StepState::Todo);
        QVERIFY(!session.stepChangedAt(0).isValid());

        QVERIFY(!session.markDone(3));
        QVERIFY(!session.skip(-1));
        QCOMPARE(changed.size(), 3);
    }

    void keepsNotesWithTheirTimes()
    {
        ChecklistSession session(threeSteps(), clock());
        QSignalSpy added(&session, &ChecklistSession::noteAdded);
        m_now = kStart.addSecs(90);
        QVERIFY(session.addNote(QStringLiteral("CPU at 95 % on two pods\n"), 0));
        m_now = kStart.addSecs(200);
        QVERIFY(session.addNote(QStringLiteral("Paged the database team")));
        QVERIFY(!session.addNote(QStringLiteral("   ")));
        m_now = kStart.addSecs(210);
        QVERIFY(session.addNote(QStringLiteral("about a step that does not exist"), 7));

        QCOMPARE(session.notes().size(), 3);
        QCOMPARE(added.size(), 3);
        QCOMPARE(session.notes().at(0).at, kStart.addSecs(90));
        QCOMPARE(session.notes().at(0).text, QStringLiteral("CPU at 95 % on two pods"));
        QCOMPARE(session.notes().at(0).step, 0);
        QCOMPARE(session.notes().at(1).at, kStart.addSecs(200));
        QCOMPARE(session.notes().at(1).step, -1);
        QCOMPARE(session.notes().at(2).step, -1);
        QCOMPARE(session.notesForStep(0).size(), 1);
        QCOMPARE(session.notesForStep(-1).size(), 2);
    }

    void finishesWhenEveryStepIsResolved()
    {
        ChecklistSession session(threeSteps(), clock());
        QSignalSpy finished(&session, &ChecklistSession::finishedChanged);
        session.markDone(0);
        session.skip(1);
        QVERIFY(!session.isFinished());
        QVERIFY(!session.finishedAt().isValid());

        m_now = kStart.addSecs(300);
        session.markDone(2);
        QVERIFY(session.isFinished());
        QCOMPARE(session.finishedAt(), kStart.addSecs(300));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);

        // Reopening a step opens the checklist again.
        session.reopen(1);
        QVERIFY(!session.isFinished());
        QCOMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
    }

    void finishesOnRequestWithStepsLeft()
    {
        ChecklistSession session(threeSteps(), clock());
        session.markDone(0);
        m_now = kStart.addSecs(400);
        session.finish();
        QCOMPARE(session.finishedAt(), kStart.addSecs(400));
        QCOMPARE(session.stepState(2), ChecklistSession::StepState::Todo);
        // Work after closing does not reopen it, and the end stays.
        m_now = kStart.addSecs(500);
        session.markDone(1);
        QCOMPARE(session.finishedAt(), kStart.addSecs(400));
    }

    void modelShowsTheSteps()
    {
        ChecklistSession session(threeSteps(), clock());
        ChecklistModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setSession(&session);
        QCOMPARE(model.rowCount(), 3);

        const QModelIndex first = model.index(0);
        QCOMPARE(first.data().toString(), QStringLiteral("Confirm"));
        QCOMPARE(first.data(ChecklistModel::StepIdRole).toString(), QStringLiteral("confirm"));
        QCOMPARE(first.data(ChecklistModel::ExplanationRole).toString(),
                 QStringLiteral("Look at P99."));
        QCOMPARE(first.data(ChecklistModel::FigureRole).toString(), QStringLiteral("http_p99_ms"));
        const QVariantList commands = first.data(ChecklistModel::CommandsRole).toList();
        QCOMPARE(commands.size(), 2);
        QCOMPARE(commands.at(0).toMap().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("promql"));
        QCOMPARE(commands.at(1).toMap().value(QStringLiteral("command")).toString(),
                 QStringLiteral("kubectl -n {namespace} get pods"));
        QCOMPARE(commands.at(1).toMap().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("shell"));
        QCOMPARE(first.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
        QVERIFY(model.flags(first) & Qt::ItemIsUserCheckable);

        // A change in the session changes its row only.
        QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
        m_now = kStart.addSecs(30);
        session.skip(1, QStringLiteral("no PostgreSQL"));
        QCOMPARE(dataChanged.size(), 1);
        QCOMPARE(dataChanged.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(dataChanged.at(0).at(1).toModelIndex().row(), 1);
        const QModelIndex second = model.index(1);
        QCOMPARE(second.data(ChecklistModel::StateRole).toInt(),
                 int(ChecklistSession::StepState::Skipped));
        QCOMPARE(second.data(ChecklistModel::SkipReasonRole).toString(),
                 QStringLiteral("no PostgreSQL"));
        QCOMPARE(second.data(ChecklistModel::ChangedAtRole).toDateTime(), kStart.addSecs(30));

        m_now = kStart.addSecs(45);
        session.addNote(QStringLiteral("two pods at 95 %"), 0);
        QCOMPARE(dataChanged.size(), 2);
        QCOMPARE(dataChanged.at(1).at(0).toModelIndex().row(), 0);
        const QVariantList notes = first.data(ChecklistModel::NotesRole).toList();
        QCOMPARE(notes.size(), 1);
        QCOMPARE(notes.at(0).toMap().value(QStringLiteral("text")).toString(),
                 QStringLiteral("two pods at 95 %"));
        QCOMPARE(notes.at(0).toMap().value(QStringLiteral("at")).toDateTime(), kStart.addSecs(45));

        // Ticking the box in a view marks the step done; unticking reopens it.
        QVERIFY(model.setData(first, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(session.stepState(0), ChecklistSession::StepState::Done);
        QCOMPARE(first.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
        QVERIFY(model.setData(first, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(session.stepState(0), ChecklistSession::StepState::Todo);
        QVERIFY(!model.setData(first, QStringLiteral("x"), Qt::EditRole));

        QVERIFY(model.roleNames().value(ChecklistModel::CommandsRole) == "commands");
    }

    void modelForgetsADeletedSession()
    {
        auto *session = new ChecklistSession(threeSteps(), clock());
        ChecklistModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSession(session);
        QCOMPARE(model.rowCount(), 3);
        delete session;
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.session());
    }
};

QTEST_GUILESS_MAIN(TestRunbookChecklist)
#include "tst_runbook_checklist.moc"
