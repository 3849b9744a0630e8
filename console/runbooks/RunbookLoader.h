#pragma once

#include "RunbookLibrary.h"
#include "RunbookProblem.h"

#include <QCoreApplication>
#include <QStringList>

// Builds the console's RunbookLibrary from the runbook files (*.json, one runbook each) of, in
// this order: the shipped ones (the Qt resource :/runbooks), the user's folder
// (AppDataLocation/runbooks) and an extra folder the caller names. A file whose id was already
// loaded from an earlier folder replaces it, so a team overrides a shipped runbook or adds its
// own without rebuilding the console. A file with an error is refused and reported with its
// file and line; the others still load. GUI thread (reads small files synchronously).
class RunbookLoader
{
    Q_DECLARE_TR_FUNCTIONS(RunbookLoader)

public:
    explicit RunbookLoader(const QString &language = QStringLiteral("en"));

    void setExtraFolder(const QString &folder) { m_extraFolder = folder; }
    QString extraFolder() const { return m_extraFolder; }
    QString language() const { return m_language; }

    static QString shippedFolder(); // ":/runbooks"
    static QString userFolder();    // QStandardPaths::AppDataLocation + "/runbooks"
    // The folders read, lowest precedence first (missing ones are skipped without a word).
    QStringList folders() const;

    RunbookLibrary load();
    // The errors and warnings of the last load(), file by file.
    const QList<RunbookProblem> &problems() const { return m_problems; }
    bool hasErrors() const;

private:
    void loadFolder(const QString &folder, RunbookLibrary &library);

    QString m_language;
    QString m_extraFolder;
    QList<RunbookProblem> m_problems;
};
