#pragma once

#include "ChecklistSession.h"
#include "IncidentClock.h"
#include "TimelineEvent.h"

#include <QList>
#include <QObject>
#include <QTimeZone>

// The record of one incident as the console saw it: alerts fired and resolved, actions taken,
// notes, and the checklists worked (started here, owned here, their steps and notes recorded
// as they happen), kept in time order, and written out as Markdown for the post-mortem. No
// widget: a TimelineModel shows it. GUI thread.
class IncidentTimeline : public QObject
{
    Q_OBJECT

public:
    // `clock` stamps what happens now (the system clock when empty).
    explicit IncidentTimeline(const QString &title = {}, IncidentClock clock = {},
                              QObject *parent = nullptr);

    QString title() const { return m_title; }
    void setTitle(const QString &title);
    // The console's user: the "who" of notes and checklist entries.
    QString operatorName() const { return m_operatorName; }
    void setOperatorName(const QString &name) { m_operatorName = name; }
    QDateTime now() const { return m_clock(); }

    // Each returns the index the event took in events(). An invalid `at` means now; a time
    // in the past (an alert that fired before the console saw it) lands in its place.
    int recordAlertFired(const QString &alert, const QString &detail = {},
                         const QDateTime &at = {});
    int recordAlertResolved(const QString &alert, const QString &detail = {},
                            const QDateTime &at = {});
    int recordAction(const QString &who, const QString &what, const QString &target = {},
                     const QDateTime &at = {});
    // A note about the incident as a whole, by the operator; -1 (nothing added) when empty.
    int addNote(const QString &text);
    int addEvent(TimelineEvent event);

    // Starts working `runbook`: the session belongs to this timeline, which records its steps,
    // notes and end.
    ChecklistSession *startChecklist(const Runbook &runbook);
    const QList<ChecklistSession *> &checklists() const { return m_checklists; }

    const QList<TimelineEvent> &events() const { return m_events; }
    QDateTime startedAt() const; // the first event's time; invalid without events
    QDateTime endedAt() const;   // the last event's time

    // The post-mortem's Markdown (IncidentMarkdown), times in `zone`.
    QString toMarkdown(const QTimeZone &zone = QTimeZone::systemTimeZone()) const;

Q_SIGNALS:
    void eventAboutToBeInserted(int index);
    void eventInserted(int index);
    void titleChanged(const QString &title);

private:
    void recordStep(ChecklistSession *session, int step, ChecklistSession::StepState state);
    void recordNote(ChecklistSession *session, int index);

    QString m_title;
    QString m_operatorName;
    IncidentClock m_clock;
    QList<TimelineEvent> m_events;
    QList<ChecklistSession *> m_checklists;
};
