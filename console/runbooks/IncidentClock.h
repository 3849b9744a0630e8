#pragma once

#include <QDateTime>
#include <functional>

// The time source of checklists and incident timelines: the system clock in the console, a
// fixed or stepped one in tests, so what they record and export is reproducible. Returns UTC.
using IncidentClock = std::function<QDateTime()>;

inline IncidentClock systemIncidentClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}
