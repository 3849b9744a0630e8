#include "RunbookLibrary.h"

#include <algorithm>

void RunbookLibrary::insert(const Runbook &runbook)
{
    m_runbooks.insert(runbook.id, runbook);
}

std::optional<Runbook> RunbookLibrary::runbook(const QString &id) const
{
    const auto found = m_runbooks.constFind(id);
    if (found == m_runbooks.constEnd())
        return std::nullopt;
    return *found;
}

std::optional<Runbook> RunbookLibrary::forAlert(const QString &alertName) const
{
    const QList<Runbook> all = allForAlert(alertName);
    if (all.isEmpty())
        return std::nullopt;
    return all.first();
}

QList<Runbook> RunbookLibrary::allForAlert(const QString &alertName) const
{
    QList<Runbook> result;
    for (const Runbook &runbook : m_runbooks) {
        if (runbook.alerts.contains(alertName))
            result.append(runbook);
    }
    // Already by id; a stable sort keeps that order within a severity.
    std::stable_sort(result.begin(), result.end(),
                     [](const Runbook &a, const Runbook &b) { return a.severity > b.severity; });
    return result;
}
