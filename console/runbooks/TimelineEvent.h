#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

// One entry of an incident's timeline: when, what kind, who, what and on what. Alerts name the
// alert in `what`; actions are free-form ("kicked listener", "scaled to 6 replicas"); notes
// carry their text in `what`; checklist entries name the step in `what` and the runbook in
// `target`. A plain value.
struct TimelineEvent
{
    Q_DECLARE_TR_FUNCTIONS(TimelineEvent)

public:
    enum class Kind {
        AlertFired,
        AlertResolved,
        Action,
        Note,
        ChecklistStarted,
        StepDone,
        StepSkipped,
        StepReopened,
        ChecklistFinished,
    };

    QDateTime at; // UTC
    Kind kind = Kind::Note;
    QString who;
    QString what;
    QString target;
    QString detail; // an alert's figure, a skip's reason, ...

    // "Alert fired", "Step done", ... in the console's language.
    static QString kindName(Kind kind);
};
