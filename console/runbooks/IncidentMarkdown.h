#pragma once

#include <QCoreApplication>
#include <QString>
#include <QTimeZone>

class IncidentTimeline;

// Writes an incident's timeline as Markdown for the post-mortem: the title, the time range,
// a table of the events with their local times, the notes in full, then each checklist worked
// with the state of every step. Texts in the console's language. Any thread (reads only).
class IncidentMarkdown
{
    Q_DECLARE_TR_FUNCTIONS(IncidentMarkdown)

public:
    static QString write(const IncidentTimeline &timeline, const QTimeZone &zone);

    // "1 h 05 min", "39 min 20 s", "45 s".
    static QString duration(qint64 seconds);
};
