#pragma once

#include "IncidentClock.h"
#include "Runbook.h"

#include <QDateTime>
#include <QList>
#include <QObject>

// One runbook being worked through during an incident: each step's state (to do, done,
// skipped, with when and why), the engineer's notes with their time, and when the checklist
// started and finished (every step done or skipped, or finish() called). No widget: a
// ChecklistModel shows it. GUI thread.
class ChecklistSession : public QObject
{
    Q_OBJECT

public:
    enum class StepState { Todo, Done, Skipped };
    Q_ENUM(StepState)

    struct Note
    {
        QDateTime at; // UTC
        QString text;
        int step = -1; // the step it is about, or -1 for the checklist as a whole
    };

    // Starts now (by `clock`, the system clock when empty).
    explicit ChecklistSession(const Runbook &runbook, IncidentClock clock = {},
                              QObject *parent = nullptr);

    const Runbook &runbook() const { return m_runbook; }
    int stepCount() const { return int(m_steps.size()); }
    StepState stepState(int step) const;
    QDateTime stepChangedAt(int step) const; // when it was done or skipped; invalid when to do
    QString skipReason(int step) const;
    int count(StepState state) const;

    // False (and nothing changes) for a step index out of range.
    bool markDone(int step);
    bool skip(int step, const QString &reason = {});
    bool reopen(int step); // back to to-do

    // Adds a note (trimmed; an empty one is ignored and returns false).
    bool addNote(const QString &text, int step = -1);
    const QList<Note> &notes() const { return m_notes; }
    QList<Note> notesForStep(int step) const;

    QDateTime startedAt() const { return m_startedAt; }
    QDateTime finishedAt() const { return m_finishedAt; } // invalid while unfinished
    bool isFinished() const { return m_finishedAt.isValid(); }
    // Closes the checklist now even with steps left to do (they stay to do).
    void finish();

Q_SIGNALS:
    void stepStateChanged(int step, ChecklistSession::StepState state);
    void noteAdded(int index); // into notes()
    void finishedChanged(bool finished);

private:
    struct StepRecord
    {
        StepState state = StepState::Todo;
        QDateTime changedAt;
        QString skipReason;
    };

    bool setState(int step, StepState state, const QString &reason);
    void updateFinished(StepState changedTo);

    Runbook m_runbook;
    IncidentClock m_clock;
    QList<StepRecord> m_steps;
    QList<Note> m_notes;
    QDateTime m_startedAt;
    QDateTime m_finishedAt;
};
