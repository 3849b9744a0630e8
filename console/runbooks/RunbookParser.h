#pragma once

#include "Runbook.h"
#include "RunbookProblem.h"

#include <QCoreApplication>
#include <optional>

struct RunbookParseResult
{
    std::optional<Runbook> runbook; // empty when the file has an error
    QList<RunbookProblem> problems; // errors and warnings, in file order of discovery
};

// Reads one runbook file (the schema is in docs/console.md, "Runbooks"): checks every field,
// picks each text in the language asked for (English when a text has no translation), and
// reports each problem with the file and the line to fix. Any thread.
class RunbookParser
{
    Q_DECLARE_TR_FUNCTIONS(RunbookParser)

public:
    static constexpr int kSchemaVersion = 1;

    // `language` as QLocale::name() gives it ("fr_FR") or a bare code ("fr").
    explicit RunbookParser(const QString &language = QStringLiteral("en"));

    QString language() const { return m_language; }
    RunbookParseResult parse(const QByteArray &json, const QString &file) const;

    // "fr_FR", "fr-CA", "FR" -> "fr"; empty -> "en".
    static QString normalizedLanguage(const QString &language);

private:
    QString m_language;
};
