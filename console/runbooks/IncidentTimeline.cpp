#include "IncidentTimeline.h"

#include "IncidentMarkdown.h"

#include <algorithm>

IncidentTimeline::IncidentTimeline(const QString &title, IncidentClock clock, QObject *parent)
    : QObject(parent)
    , m_title(title)
    , m_clock(clock ? std::move(clock) : systemIncidentClock())
{
}

void IncidentTimeline::setTitle(const QString &title)
{
    if (title == m_title)
        return;
    m_title = title;
    Q_EMIT titleChanged(title);
}

int IncidentTimeline::recordAlertFired(const QString &alert, const QString &detail,
                                       const QDateTime &at)
{
    return addEvent({at, TimelineEvent::Kind::AlertFired, {}, alert, {}, detail});
}

int IncidentTimeline::recordAlertResolved(const QString &alert, const QString &detail,
                                          const QDateTime &at)
{
    return addEvent({at, TimelineEvent::Kind::AlertResolved, {}, alert, {}, detail});
}

int IncidentTimeline::recordAction(const QString &who, const QString &what, const QString &target,
                                   const QDateTime &at)
{
    return addEvent({at, TimelineEvent::Kind::Action, who, what, target, {}});
}

int IncidentTimeline::addNote(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return -1;
    return addEvent({{}, TimelineEvent::Kind::Note, m_operatorName, trimmed, {}, {}});
}

int IncidentTimeline::addEvent(TimelineEvent event)
{
    event.at = event.at.isValid() ? event.at.toUTC() : m_clock();
    // After every event of the same time, so simultaneous events keep the order they came in.
    const auto position = std::upper_bound(
        m_events.begin(), m_events.end(), event.at,
        [](const QDateTime &at, const TimelineEvent &other) { return at < other.at; });
    const int index = int(position - m_events.begin());
    Q_EMIT eventAboutToBeInserted(index);
    m_events.insert(index, event);
    Q_EMIT eventInserted(index);
    return index;
}

ChecklistSession *IncidentTimeline::startChecklist(const Runbook &runbook)
{
    auto *session = new ChecklistSession(runbook, m_clock, this);
    m_checklists.append(session);
    addEvent({session->startedAt(),
              TimelineEvent::Kind::ChecklistStarted,
              m_operatorName,
              runbook.title,
              {},
              {}});
    connect(session, &ChecklistSession::stepStateChanged, this,
            [this, session](int step, ChecklistSession::StepState state) {
                recordStep(session, step, state);
            });
    connect(session, &ChecklistSession::noteAdded, this,
            [this, session](int index) { recordNote(session, index); });
    connect(session, &ChecklistSession::finishedChanged, this, [this, session](bool finished) {
        if (finished) {
            addEvent({session->finishedAt(),
                      TimelineEvent::Kind::ChecklistFinished,
                      m_operatorName,
                      session->runbook().title,
                      {},
                      {}});
        }
    });
    return session;
}

void IncidentTimeline::recordStep(ChecklistSession *session, int step,
                                  ChecklistSession::StepState state)
{
    TimelineEvent event;
    event.who = m_operatorName;
    event.what = session->runbook().steps.at(step).title;
    event.target = session->runbook().title;
    switch (state) {
    case ChecklistSession::StepState::Done:
        event.kind = TimelineEvent::Kind::StepDone;
        event.at = session->stepChangedAt(step);
        break;
    case ChecklistSession::StepState::Skipped:
        event.kind = TimelineEvent::Kind::StepSkipped;
        event.at = session->stepChangedAt(step);
        event.detail = session->skipReason(step);
        break;
    case ChecklistSession::StepState::Todo:
        event.kind = TimelineEvent::Kind::StepReopened;
        break;
    }
    addEvent(event);
}

void IncidentTimeline::recordNote(ChecklistSession *session, int index)
{
    const ChecklistSession::Note &note = session->notes().at(index);
    const Runbook &runbook = session->runbook();
    const QString about =
        note.step >= 0 ? runbook.title + QStringLiteral(" › ") + runbook.steps.at(note.step).title
                       : runbook.title;
    addEvent({note.at, TimelineEvent::Kind::Note, m_operatorName, note.text, about, {}});
}

QDateTime IncidentTimeline::startedAt() const
{
    return m_events.isEmpty() ? QDateTime() : m_events.first().at;
}

QDateTime IncidentTimeline::endedAt() const
{
    return m_events.isEmpty() ? QDateTime() : m_events.last().at;
}

QString IncidentTimeline::toMarkdown(const QTimeZone &zone) const
{
    return IncidentMarkdown::write(*this, zone);
}
