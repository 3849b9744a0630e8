#include "TimelineEvent.h"

QString TimelineEvent::kindName(Kind kind)
{
    switch (kind) {
    case Kind::AlertFired:
        return tr("Alert fired");
    case Kind::AlertResolved:
        return tr("Alert resolved");
    case Kind::Action:
        return tr("Action");
    case Kind::Note:
        return tr("Note");
    case Kind::ChecklistStarted:
        return tr("Checklist started");
    case Kind::StepDone:
        return tr("Step done");
    case Kind::StepSkipped:
        return tr("Step skipped");
    case Kind::StepReopened:
        return tr("Step reopened");
    case Kind::ChecklistFinished:
        return tr("Checklist finished");
    }
    return {};
}
