#include "RunbookVocabulary.h"

#include "AlertRules.h"
#include "FigureCatalog.h"

// One list of each: the names the dashboard's library defines (its built-in alert rules, its
// figure catalog), so a runbook and an alert can never disagree on a name.
const QStringList &RunbookVocabulary::alertNames()
{
    static const QStringList names = [] {
        QStringList list;
        const veza::oncall::AlertRules rules = veza::oncall::AlertRules::builtIn();
        for (const veza::oncall::AlertRule &rule : rules.rules())
            list.append(rule.name);
        return list;
    }();
    return names;
}

const QStringList &RunbookVocabulary::figureKeys()
{
    static const QStringList keys = [] {
        QStringList list;
        for (const veza::oncall::FigureDefinition &figure : veza::oncall::FigureCatalog::all())
            list.append(figure.key);
        return list;
    }();
    return keys;
}

const QStringList &RunbookVocabulary::severityNames()
{
    static const QStringList names = {QStringLiteral("info"), QStringLiteral("warning"),
                                      QStringLiteral("critical")};
    return names;
}

std::optional<Runbook::Severity> RunbookVocabulary::severityFromName(const QString &name)
{
    switch (severityNames().indexOf(name)) {
    case 0:
        return Runbook::Severity::Info;
    case 1:
        return Runbook::Severity::Warning;
    case 2:
        return Runbook::Severity::Critical;
    default:
        return std::nullopt;
    }
}

QString RunbookVocabulary::severityName(Runbook::Severity severity)
{
    return severityNames().at(int(severity));
}
