#include "Runbook.h"

int Runbook::indexOfStep(const QString &stepId) const
{
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (steps.at(i).id == stepId)
            return int(i);
    }
    return -1;
}
