#include "IncidentMarkdown.h"

#include "IncidentTimeline.h"

namespace {
// A table cell on one line, with no '|' that would end it early.
QString cell(const QString &text)
{
    QString result = text;
    result.replace(u'\\', QLatin1String("\\\\"));
    result.replace(u'|', QLatin1String("\\|"));
    result.replace(u'\n', u' ');
    return result.simplified();
}

// "| a | b | |": a table row, an empty cell written "| |".
QString row(const QStringList &cells)
{
    QString result = QStringLiteral("|");
    for (const QString &text : cells)
        result += text.isEmpty() ? QStringLiteral(" |") : u' ' + cell(text) + QStringLiteral(" |");
    return result + u'\n';
}

// "UTC+02:00", "UTC-03:30", "UTC": the offset of a local time, unambiguous for every reader.
QString utcOffset(const QDateTime &local)
{
    const int offset = local.offsetFromUtc();
    if (offset == 0)
        return QStringLiteral("UTC");
    const int minutes = qAbs(offset) / 60;
    return QStringLiteral("UTC%1%2:%3")
        .arg(QChar(offset < 0 ? u'-' : u'+'))
        .arg(minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

// A note's first line, for the table (the whole text is in the Notes section).
QString firstLine(const QString &text)
{
    const qsizetype end = text.indexOf(u'\n');
    return end < 0 ? text : text.left(end) + QStringLiteral(" …");
}
} // namespace

QString IncidentMarkdown::duration(qint64 seconds)
{
    if (seconds >= 3600) {
        return tr("%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    }
    if (seconds >= 60)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 s").arg(seconds);
}

QString IncidentMarkdown::write(const IncidentTimeline &timeline, const QTimeZone &zone)
{
    const QList<TimelineEvent> &events = timeline.events();
    const QString dateTimeFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    const QDateTime start = timeline.startedAt().toTimeZone(zone);
    const QDateTime end = timeline.endedAt().toTimeZone(zone);
    // Times of day are enough while the incident stays within one local day.
    const QString timeFormat =
        start.date() == end.date() ? QStringLiteral("HH:mm:ss") : dateTimeFormat;
    auto local = [&](const QDateTime &at) { return at.toTimeZone(zone).toString(timeFormat); };

    QString md;
    const QString title = timeline.title().isEmpty() ? tr("Incident") : timeline.title();
    md += QStringLiteral("# ") + title + QStringLiteral("\n\n");
    if (events.isEmpty()) {
        md += tr("No events were recorded.") + u'\n';
        return md;
    }
    md += QStringLiteral("- ") +
          tr("Start: %1 %2").arg(start.toString(dateTimeFormat), utcOffset(start)) + u'\n';
    md += QStringLiteral("- ") +
          tr("End: %1 %2").arg(end.toString(dateTimeFormat), utcOffset(end)) + u'\n';
    md += QStringLiteral("- ") + tr("Duration: %1").arg(duration(start.secsTo(end))) +
          QStringLiteral("\n\n");

    md += QStringLiteral("## ") + tr("Timeline") + QStringLiteral("\n\n");
    md += row({tr("Time"), tr("Event"), tr("Who"), tr("What"), tr("Target"), tr("Details")});
    md += QStringLiteral("| --- | --- | --- | --- | --- | --- |\n");
    for (const TimelineEvent &event : events) {
        const QString what =
            event.kind == TimelineEvent::Kind::Note ? firstLine(event.what) : event.what;
        md += row({local(event.at), TimelineEvent::kindName(event.kind), event.who, what,
                   event.target, event.detail});
    }

    QStringList notes;
    for (const TimelineEvent &event : events) {
        if (event.kind != TimelineEvent::Kind::Note)
            continue;
        QString heading = local(event.at);
        if (!event.who.isEmpty())
            heading += QStringLiteral(", ") + event.who;
        if (!event.target.isEmpty())
            heading += QStringLiteral(" (") + event.target + u')';
        QString text = event.what;
        text.replace(u'\n', QStringLiteral("\n  "));
        notes.append(QStringLiteral("- ") + heading + QStringLiteral(": ") + text);
    }
    if (!notes.isEmpty()) {
        md += u'\n' + QStringLiteral("## ") + tr("Notes") + QStringLiteral("\n\n") +
              notes.join(u'\n') + u'\n';
    }

    if (!timeline.checklists().isEmpty())
        md += u'\n' + QStringLiteral("## ") + tr("Checklists") + u'\n';
    for (const ChecklistSession *session : timeline.checklists()) {
        const Runbook &runbook = session->runbook();
        md += QStringLiteral("\n### ") + runbook.title + QStringLiteral("\n\n");
        md += (session->isFinished()
                   ? tr("Started %1, finished %2; %3 of %4 steps done, %5 skipped.")
                         .arg(local(session->startedAt()), local(session->finishedAt()))
                   : tr("Started %1, not finished; %2 of %3 steps done, %4 skipped.")
                         .arg(local(session->startedAt())))
                  .arg(session->count(ChecklistSession::StepState::Done))
                  .arg(session->stepCount())
                  .arg(session->count(ChecklistSession::StepState::Skipped)) +
              QStringLiteral("\n\n");
        for (int step = 0; step < session->stepCount(); ++step) {
            const QString stepTitle = runbook.steps.at(step).title;
            switch (session->stepState(step)) {
            case ChecklistSession::StepState::Done:
                md += QStringLiteral("- [x] ") +
                      tr("%1 (done %2)").arg(stepTitle, local(session->stepChangedAt(step)));
                break;
            case ChecklistSession::StepState::Skipped:
                md += QStringLiteral("- [ ] ") +
                      (session->skipReason(step).isEmpty()
                           ? tr("~~%1~~ (skipped %2)")
                                 .arg(stepTitle, local(session->stepChangedAt(step)))
                           : tr("~~%1~~ (skipped %2: %3)")
                                 .arg(stepTitle, local(session->stepChangedAt(step)),
                                      session->skipReason(step)));
                break;
            case ChecklistSession::StepState::Todo:
                md += QStringLiteral("- [ ] ") + stepTitle;
                break;
            }
            md += u'\n';
        }
    }
    return md;
}
