#include "ChecklistSession.h"

#include <algorithm>

ChecklistSession::ChecklistSession(const Runbook &runbook, IncidentClock clock, QObject *parent)
    : QObject(parent)
    , m_runbook(runbook)
    , m_clock(clock ? std::move(clock) : systemIncidentClock())
    , m_steps(runbook.steps.size())
    , m_startedAt(m_clock())
{
}

ChecklistSession::StepState ChecklistSession::stepState(int step) const
{
    return step >= 0 && step < stepCount() ? m_steps.at(step).state : StepState::Todo;
}

QDateTime ChecklistSession::stepChangedAt(int step) const
{
    return step >= 0 && step < stepCount() ? m_steps.at(step).changedAt : QDateTime();
}

QString ChecklistSession::skipReason(int step) const
{
    return step >= 0 && step < stepCount() ? m_steps.at(step).skipReason : QString();
}

int ChecklistSession::count(StepState state) const
{
    return int(std::count_if(m_steps.begin(), m_steps.end(),
                             [state](const StepRecord &record) { return record.state == state; }));
}

bool ChecklistSession::markDone(int step)
{
    return setState(step, StepState::Done, {});
}

bool ChecklistSession::skip(int step, const QString &reason)
{
    return setState(step, StepState::Skipped, reason.trimmed());
}

bool ChecklistSession::reopen(int step)
{
    return setState(step, StepState::Todo, {});
}

bool ChecklistSession::setState(int step, StepState state, const QString &reason)
{
    if (step < 0 || step >= stepCount())
        return false;
    StepRecord &record = m_steps[step];
    if (record.state == state && record.skipReason == reason)
        return true;
    record.state = state;
    record.changedAt = state == StepState::Todo ? QDateTime() : m_clock();
    record.skipReason = reason;
    Q_EMIT stepStateChanged(step, state);
    updateFinished(state);
    return true;
}

bool ChecklistSession::addNote(const QString &text, int step)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return false;
    m_notes.append({m_clock(), trimmed, step >= 0 && step < stepCount() ? step : -1});
    Q_EMIT noteAdded(int(m_notes.size()) - 1);
    return true;
}

QList<ChecklistSession::Note> ChecklistSession::notesForStep(int step) const
{
    QList<Note> result;
    std::copy_if(m_notes.begin(), m_notes.end(), std::back_inserter(result),
                 [step](const Note &note) { return note.step == step; });
    return result;
}

void ChecklistSession::finish()
{
    if (isFinished())
        return;
    m_finishedAt = m_clock();
    Q_EMIT finishedChanged(true);
}

void ChecklistSession::updateFinished(StepState changedTo)
{
    if (changedTo == StepState::Todo && isFinished()) {
        // A step reopened: the checklist is being worked again.
        m_finishedAt = QDateTime();
        Q_EMIT finishedChanged(false);
    } else if (!isFinished() && count(StepState::Todo) == 0) {
        m_finishedAt = m_clock();
        Q_EMIT finishedChanged(true);
    }
}
