#pragma once

#include <QString>

// One thing wrong with a runbook file, where it is, and whether the file was refused for it
// (an error) or loaded anyway (a warning).
struct RunbookProblem
{
    enum class Level { Warning, Error };

    Level level = Level::Error;
    QString file; // path as read (":/runbooks/x.json" for a shipped file)
    int line = 0; // 1-based; 0 when the problem is the whole file (unreadable)
    QString message;

    bool isError() const { return level == Level::Error; }
    // "path:line: error: message", the form editors and terminals link to the line.
    QString toString() const;
};
