#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// A runbook as the console shows it: texts already in the language it was loaded for, steps in
// order. Plain values, copied freely; built by RunbookParser, kept by RunbookLibrary.

// A command an engineer copies: a shell command for a terminal, or a PromQL expression for
// Prometheus or Grafana. Its text may hold placeholders such as {namespace} (see
// RunbookPlaceholders), declared in Runbook::placeholders.
struct RunbookCommand
{
    enum class Kind { Shell, PromQL };

    QString label;
    QString text;
    Kind kind = Kind::Shell;
};

struct RunbookStep
{
    QString id; // unique within its runbook
    QString title;
    QString explanation;
    QString figure; // the live figure that answers the step (RunbookVocabulary), or empty
    QList<RunbookCommand> commands;
};

// A value the engineer supplies before running a command, e.g. {pod}.
struct RunbookPlaceholder
{
    QString name;        // as written between braces
    QString description; // what to put there
    QString example;     // a typical value, may be empty
};

struct Runbook
{
    enum class Severity { Info, Warning, Critical };

    QString id;
    QString title;
    QString summary;
    Severity severity = Severity::Warning;
    QStringList alerts; // alert names it answers
    QList<RunbookPlaceholder> placeholders;
    QList<RunbookStep> steps;

    QString language;   // the language its texts were picked for ("en", "fr")
    QString sourcePath; // the file it came from (":/runbooks/..." when shipped)
    // JSON pointers of the texts that had no translation for `language` and are shown in
    // English instead.
    QStringList untranslated;

    bool isShipped() const { return sourcePath.startsWith(QLatin1String(":/")); }
    int indexOfStep(const QString &stepId) const;
};
